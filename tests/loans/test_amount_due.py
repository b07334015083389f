"""loans.amount_due: what is due, when and where (DOMAIN.md §1, §4) — from the ledger and the engine.

The contracts are built through loans' own services (disbursement, settlements, repayments), and the
answers are checked against the ledger's cached balances and the deduction run's channel."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.postloan.ledger_world import disbursed
from xuedai.core.money import ZERO
from xuedai.loans.amount_due import borrower_due, contract_due
from xuedai.loans.deduction.services import deduction_prepare
from xuedai.loans.models import Channel, DeductionLine, LoanAccount
from xuedai.loans.services import early_repayment_apply, repayment_post

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def test_overdue_amounts_are_the_ledgers_and_go_in_the_next_run(world):
    # Seed version (deposit ≥ 10 days before), interest and first principal unpaid since 2025-12-20.
    contract, account = disbursed(world)
    due = contract_due(contract, TODAY)
    assert due.overdue.principal == account.principal_due > 0
    assert due.overdue.interest == account.interest_due > 0
    assert due.overdue.penalty > 0 and due.overdue.days == 335
    assert (due.overdue.deposit_by, due.overdue.deduct_on) == (dt.date(2026, 12, 15), dt.date(2026, 12, 20))
    assert due.next.on == dt.date(2026, 12, 20) and due.next.interest > 0 and due.next.principal > 0
    assert (due.next.deposit_by, due.next.deposit_days) == (dt.date(2026, 12, 10), 10)
    assert due.outstanding == account.principal_outstanding


def test_a_repayment_clears_what_was_overdue(world):
    contract, account = disbursed(world)
    before = contract_due(contract, TODAY)
    repayment_post(actor=None, account=account, on=TODAY, amount=before.overdue.total, source="支付宝")
    after = contract_due(contract, TODAY)
    assert after.overdue is None
    assert after.outstanding == before.outstanding - before.overdue.principal
    assert after.next.on == before.next.on


def test_in_school_nothing_is_due_before_the_first_self_paid_settlement(world):
    # Self-pay from 2028-09-01; the state pays every settlement before (贴息).
    contract, _ = disbursed(world, self_pay_from=dt.date(2028, 9, 1))
    due = contract_due(contract, TODAY)
    assert due.overdue is None
    assert due.next.on == dt.date(2028, 12, 20) and due.next.interest > 0
    next_settlement = next(row for row in due.plan if row.on > TODAY)
    assert next_settlement.on == dt.date(2026, 12, 20)
    assert next_settlement.borrower_interest == ZERO and next_settlement.subsidy_interest > 0


def test_an_early_repayment_is_the_next_amount_due(world):
    contract, account = disbursed(world)
    repayment_post(actor=None, account=account, on=TODAY, amount=contract_due(contract, TODAY).overdue.total,
                   source="支付宝")
    applied = dt.date(2027, 3, 5)
    early_repayment_apply(actor=None, account=account, applied_on=applied, principal=Decimal("1000.00"))
    due = contract_due(contract, applied)
    assert due.next.early and due.next.on == dt.date(2027, 3, 20)
    assert due.next.principal == Decimal("1000.00") and due.next.interest > 0
    assert due.next.deposit_by == dt.date(2027, 3, 20)  # by the deduction itself, whatever the version


def test_a_borrower_sums_the_contracts_due_on_the_same_day(world):
    borrower = world.graduate(contracts=0)
    first, _ = disbursed(world, borrower)
    second, _ = disbursed(world, borrower, academic_year=2023)
    due = borrower_due(borrower, TODAY)
    parts = [contract_due(c, TODAY) for c in (first, second)]
    assert due.next.on == parts[0].next.on == parts[1].next.on
    assert due.next.total == parts[0].next.total + parts[1].next.total
    assert due.overdue.total == parts[0].overdue.total + parts[1].overdue.total


@pytest.mark.parametrize("county_index, kind", [(0, Channel.AGENT_BANK), (1, Channel.ALIPAY)])
def test_the_channel_is_the_deduction_runs(world, county_index, kind):
    county = world.province.counties[county_index]
    borrower = world.graduate(contracts=0, county=county, household_region_code=county.region_code)
    contract, account = disbursed(world, borrower)
    channel = contract_due(contract, TODAY).channel
    assert channel.kind == kind
    if kind == Channel.ALIPAY:
        assert channel.account.startswith("zxdk****") and account.channel_account not in channel.where
    else:
        assert county.name in channel.where and county.agent_bank.name in channel.where
    deduction_prepare(on=dt.date(2026, 12, 20))
    line = DeductionLine.objects.select_related("run").get(account=account)
    assert line.run.channel == kind


def test_a_contract_without_an_account_still_has_its_plan(world):
    borrower = world.graduate()
    contract = borrower.contracts.get()
    assert not LoanAccount.objects.filter(pk=contract.pk).exists()
    due = contract_due(contract, TODAY)
    assert due.next is not None and due.plan
