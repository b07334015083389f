"""Staged disbursement through the ledger (DOMAIN.md §3.2, §3.3; interest on what has been paid out).

The plan is origination's (the disburse row writes ``Instalment`` rows); the ledger pays each on its
day. A campus contract of 8000 at 3 %, disbursed Tue 15 Oct 2024: tuition 4000 + accommodation 1000
to the university that day; living expenses 3000 on the 10th of Nov, Dec, Jan, Mar, Apr, May, Jun,
Jul (never February or August; ``origination.campus.rules.living_schedule``): 375 each.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from xuedai.loans.models import Kind, LoanAccount, Posting, TrancheCancellation
from xuedai.loans.reconcile import account_differences
from xuedai.loans.services import contract_disburse, settlement_post
from xuedai.loans.services.tranches import planned_days, tranches_cancel, tranches_pay_out
from xuedai.origination.models import Instalment
from xuedai.origination.models.commercial import CommercialFile
from xuedai.policies.models import PolicyVersion

from .conftest import make_contract

pytestmark = pytest.mark.django_db
ON = dt.date(2024, 10, 15)


@pytest.fixture
def campus(province):
    contract = make_contract(province, amount="8000.00", rate="0.03000", disbursed_on=ON,
                             self_pay_from=dt.date(2028, 9, 1), maturity=dt.date(2040, 12, 20),
                             tuition="4000.00", accommodation="1000.00")
    contract.product = "campus"
    contract.policy_version = PolicyVersion.objects.get(product="campus", region_code="",
                                                        effective_from=dt.date(2024, 9, 1))
    contract.save(update_fields=["product", "policy_version"])
    return contract


def _on(account, day):
    return sorted((p.kind, p.amount) for p in Posting.objects.filter(account=account, business_date=day))


def _fresh(account):
    return LoanAccount.objects.select_related("contract__policy_version").get(pk=account.pk)


def test_living_expenses_go_out_monthly_and_interest_runs_on_what_was_paid_out(campus):
    account = contract_disburse(actor=None, contract=campus, on=ON)
    plan = list(Instalment.objects.filter(contract=campus).order_by("due_on"))
    assert [r.due_on.month for r in plan] == [10, 11, 12, 1, 3, 4, 5, 6, 7]
    assert [r.amount for r in plan] == [D("5000.00")] + [D("375")] * 8
    assert not {r.due_on.month for r in plan[1:]} & {2, 8}
    assert _on(account, ON) == [(Kind.DISBURSE_UNIVERSITY, D("5000.00"))]
    assert account.principal_outstanding == D("5000.00")
    assert dt.date(2024, 11, 10) in planned_days(ON, dt.date(2024, 12, 31))
    assert tranches_pay_out(on=dt.date(2024, 11, 10)) == 1
    assert tranches_pay_out(on=dt.date(2024, 11, 10)) == 0  # idempotent
    assert tranches_pay_out(on=dt.date(2024, 12, 10)) == 1
    account.refresh_from_db()
    campus.refresh_from_db()
    assert account.principal_outstanding == campus.outstanding_principal == D("5750.00")
    assert _on(account, dt.date(2024, 12, 10)) == [(Kind.DISBURSE_STUDENT, D("375.00"))]

    settlement_post(actor=None, account=account, on=dt.date(2024, 12, 20))
    # By hand: 3 %/360 × (5000 × 26 + 5375 × 30 + 5750 × 10) = 348750 × 0.03/360 = 29.0625 → 29.06
    # (the lump sum would have earned 8000 × 3 % × 66/360 = 44.00).
    assert Posting.objects.get(account=account, kind=Kind.SUBSIDY_INTEREST).amount == D("29.06")
    assert account_differences(_fresh(account), dt.date(2024, 12, 20)) == []


def test_a_stop_cancels_what_is_not_yet_paid_out(campus):
    account = contract_disburse(actor=None, contract=campus, on=ON)
    for day in (dt.date(2024, 11, 10), dt.date(2024, 12, 10)):
        tranches_pay_out(on=day)
    settlement_post(actor=None, account=account, on=dt.date(2024, 12, 20))
    # Dropout on 5 Jan 2025: Jan, Mar–Jul (6 × 375) never go out.
    assert tranches_cancel(actor=None, contract=campus, on=dt.date(2025, 1, 5), reason="退学") == D("2250.00")
    assert tranches_pay_out(on=dt.date(2025, 1, 10)) == 0
    assert TrancheCancellation.objects.filter(instalment__contract=campus).count() == 6
    assert dt.date(2025, 1, 10) not in planned_days(ON, dt.date(2025, 12, 31))
    settlement_post(actor=None, account=account, on=dt.date(2025, 12, 20))
    # A whole year on what was paid out: 5750 × 3 % = 172.50.
    assert Posting.objects.get(account=account, kind=Kind.SUBSIDY_INTEREST,
                               business_date=dt.date(2025, 12, 20)).amount == D("172.50")
    assert account_differences(_fresh(account), dt.date(2025, 12, 20)) == []


def test_commercial_tranches_on_their_dates(province):
    contract = make_contract(province, amount="10000.00", rate="0.03600", disbursed_on=dt.date(2024, 9, 1),
                             self_pay_from=dt.date(2024, 9, 1), maturity=dt.date(2030, 12, 20))
    contract.product = "commercial"
    versions = PolicyVersion.objects.filter(product="commercial")
    contract.policy_version = versions.order_by("-effective_from")[0]
    contract.save(update_fields=["product", "policy_version"])
    CommercialFile.objects.create(contract=contract, tranches=2)
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2024, 9, 1))
    assert account.principal_outstanding == D("5000.00")
    assert tranches_pay_out(on=dt.date(2024, 10, 1)) == 1
    settlement_post(actor=None, account=account, on=dt.date(2024, 12, 20))
    # The borrower pays from disbursement: 3.6 %/360 × (5000 × 30 + 10000 × 80) = 95.00, not the
    # lump sum's 10000 × 3.6 % × 110/360 = 110.00.
    assert Posting.objects.get(account=account, kind=Kind.INTEREST).amount == D("95.00")
    assert account_differences(_fresh(account), dt.date(2024, 12, 20)) == []


def test_a_campus_loan_without_fees_is_not_settled_before_its_first_payout(campus):
    """Nothing due on the disbursement day (no tuition or accommodation): nothing out until the
    10th of November, but the contract is 已发放, not 已结清."""
    from xuedai.origination.models import ContractState

    campus.tuition = campus.accommodation = D("0")
    campus.save(update_fields=["tuition", "accommodation"])
    account = contract_disburse(actor=None, contract=campus, on=ON)
    campus.refresh_from_db()
    assert account.principal_outstanding == 0 and campus.state == ContractState.DISBURSED
    assert tranches_pay_out(on=dt.date(2024, 11, 10)) == 1
    assert tranches_pay_out(on=dt.date(2024, 12, 10)) == 1
    settlement_post(actor=None, account=_fresh(account), on=dt.date(2024, 12, 20))
    # 8000 over 8 months (Nov–Jul without February) → 1000 each: 1000 from 10 Nov, 2000 from
    # 10 Dec: 3 %/360 × (1000 × 30 + 2000 × 10) = 3 %/360 × 50000 = 4.1666… → 4.17.
    assert Posting.objects.get(account=account, kind=Kind.SUBSIDY_INTEREST).amount == D("4.17")
    assert account_differences(_fresh(account), dt.date(2024, 12, 20)) == []
