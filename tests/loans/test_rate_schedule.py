"""A contract's rate schedule in the ledger: derived from the policy versions and the LPR history,
posted set-based, honoured by settlement (issue 12 item 1; DOMAIN.md §1 interest rate, §4)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from xuedai.audit.models import AuditEntry
from xuedai.loans.models import Kind, NoticeReset, Posting, RateChange, RateResetRule
from xuedai.loans.rate_schedule import lpr_history_clear, schedule_for
from xuedai.loans.services import contract_disburse, settlement_post
from xuedai.loans.services.rates import rate_changes_post
from xuedai.loans.terms import contract_terms
from xuedai.policies.models import PolicyVersion

from .conftest import make_contract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_lpr():
    lpr_history_clear()
    yield
    lpr_history_clear()


def _kinds(account, on):
    return {(p.kind, p.amount) for p in Posting.objects.filter(account=account, business_date=on)}


def _sichuan_2012_contract(province, **kw):
    """A 2012 Sichuan fixed-rate (6.55 %) contract still being repaid when the 2023 cut came."""
    contract = make_contract(
        province,
        amount="8000.00",
        rate="0.06550",
        disbursed_on=dt.date(2018, 10, 15),
        self_pay_from=dt.date(2022, 9, 1),
        maturity=dt.date(2032, 12, 20),
        **kw,
    )
    assert contract.policy_version.name.startswith("四川省生源地")
    return contract


def test_the_2023_cut_reaches_a_2012_fixed_rate_contract_then_lpr_resets_on_1_january(province):
    contract = _sichuan_2012_contract(province)
    contract_disburse(actor=None, contract=contract, on=dt.date(2018, 10, 15))
    contract.refresh_from_db()
    planned = [
        (c.effective_from, c.annual_rate, c.reason) for c in schedule_for(contract, dt.date(2026, 6, 1))
    ]
    # 2023-09-01: the national 2023 notice (LPR − 60 bp, for existing contracts too) on its own date,
    # LPR of 2023-08-21 4.20 % → 3.60 %; 1 Jan 2024 unchanged (still 4.20 %); 1 Jan 2025: LPR of
    # 2024-10-21 3.60 % → 3.00 %; 1 Jan 2026: LPR of 2025-05-20 3.50 % → 2.90 %.
    assert planned == [
        (dt.date(2023, 9, 1), D("0.03600"), "notice"),
        (dt.date(2025, 1, 1), D("0.03000"), "lpr"),
        (dt.date(2026, 1, 1), D("0.02900"), "lpr"),
    ]


def test_a_reset_rule_per_version_moves_the_notice_to_1_january(province):
    notice = PolicyVersion.objects.get(
        product="home_county", region_code="", effective_from=dt.date(2023, 9, 1)
    )
    RateResetRule.objects.create(policy_version=notice, notice_reset=NoticeReset.NEXT_JANUARY)
    contract = _sichuan_2012_contract(province)
    contract_disburse(actor=None, contract=contract, on=dt.date(2018, 10, 15))
    contract.refresh_from_db()
    first = schedule_for(contract, dt.date(2024, 6, 1))[0]
    assert (first.effective_from, first.annual_rate) == (dt.date(2024, 1, 1), D("0.03600"))


def test_posting_is_set_based_idempotent_and_audited_then_settlement_honours_it(province):
    contract = _sichuan_2012_contract(province)
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 10, 15))
    for year in range(2018, 2023):
        settlement_post(actor=None, account=account, on=dt.date(year, 12, 20))
    result = rate_changes_post(actor=None, until=dt.date(2023, 12, 1))
    assert (result.changes, result.contracts, result.late) == (1, {contract.pk}, set())
    assert rate_changes_post(actor=None, until=dt.date(2023, 12, 1)).changes == 0  # nothing new
    change = RateChange.objects.get(contract=contract)
    assert (change.effective_from, change.annual_rate, change.reason) == (
        dt.date(2023, 9, 1),
        D("0.03600"),
        "notice",
    )
    assert change.rule_version.effective_from == dt.date(2023, 9, 1)
    assert change.lpr_published_on == dt.date(2023, 8, 21)
    assert AuditEntry.objects.filter(action="loans.rate_changes_post").count() == 1

    contract.refresh_from_db()
    terms = contract_terms(contract)
    assert [(c.effective_from, c.annual_rate) for c in terms.rate_changes] == [
        (dt.date(2023, 9, 1), D("0.03600"))
    ]
    # 20 Dec 2022 → 20 Dec 2023: no grace under the 2012 version, 8000 over the 11 settlements
    # 2022–2032 is 727 a year, so 7273 not yet due: 7273 × (6.55 % × 255 + 3.60 % × 110) / 360
    # = 7273 × 20.6625 / 360 = 417.439… → 417.44, all the borrower's (self-pay since 2022-09-01);
    # at 6.55 % throughout it would be 7273 × 0.0655 = 476.38.
    settlement_post(actor=None, account=account, on=dt.date(2023, 12, 20))
    kinds = dict(_kinds(account, dt.date(2023, 12, 20)))
    assert kinds[Kind.INTEREST] == D("417.44")


def test_a_change_dated_before_the_last_settlement_is_not_written_but_counted(province):
    contract = _sichuan_2012_contract(province)
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 10, 15))
    for year in range(2018, 2024):
        settlement_post(actor=None, account=account, on=dt.date(year, 12, 20))
    result = rate_changes_post(actor=None, until=dt.date(2024, 6, 1))
    assert result.late == {contract.pk}  # 2023-09-01 was settled on 2023-12-20 at 6.55 %
    # … it is repriced from the next candidate day after that settlement instead: 1 Jan 2024.
    assert [(c.effective_from, c.annual_rate) for c in RateChange.objects.filter(contract=contract)] == [
        (dt.date(2024, 1, 1), D("0.03600"))
    ]


def test_the_worked_example_through_the_ledger(province):
    # Issue 12: 10 000 yuan disbursed 2022-09-10 at 3.75 %, subsidised, cut to 3.15 % from 2023-01-01.
    contract = make_contract(
        province,
        amount="10000.00",
        rate="0.03750",
        disbursed_on=dt.date(2022, 9, 10),
        self_pay_from=None,
        maturity=dt.date(2036, 9, 20),
        tuition="8000.00",
        accommodation="1200.00",
    )
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2022, 9, 10))
    RateChange.objects.create(
        contract=contract,
        effective_from=dt.date(2023, 1, 1),
        annual_rate=D("0.03150"),
        reason="lpr",
        rule_version=contract.policy_version,
    )
    settlement_post(actor=None, account=account, on=dt.date(2022, 12, 20))
    assert _kinds(account, dt.date(2022, 12, 20)) == {(Kind.SUBSIDY_INTEREST, D("105.21"))}
    settlement_post(actor=None, account=account, on=dt.date(2023, 12, 20))
    # 10000 × 3.75 % × 12/360 + 10000 × 3.15 % × 353/360 = 12.5 + 308.875 = 321.375 → 321.38
    assert _kinds(account, dt.date(2023, 12, 20)) == {(Kind.SUBSIDY_INTEREST, D("321.38"))}


def test_effective_terms_and_the_registered_schedule_agree_on_every_day(province):
    """One source for the 2023 cut's day (policies.repricing): the rate effective_terms gives on any
    day equals the rate the contract's registered schedule carries that day."""
    from xuedai.policies.selectors import effective_terms

    contract = _sichuan_2012_contract(province)
    contract_disburse(actor=None, contract=contract, on=dt.date(2018, 10, 15))
    contract.refresh_from_db()
    rate_changes_post(actor=None, until=dt.date(2027, 1, 1))
    rows = list(RateChange.objects.filter(contract=contract).values_list("effective_from", "annual_rate"))
    assert rows[0] == (dt.date(2023, 9, 1), D("0.03600"))

    def registered(day):
        rate = contract.annual_rate
        for effective_from, annual_rate in rows:
            if effective_from <= day:
                rate = annual_rate
        return rate

    for day in (dt.date(2023, 8, 31), dt.date(2023, 9, 1), dt.date(2023, 12, 31), dt.date(2024, 1, 1),
                dt.date(2025, 1, 1), dt.date(2026, 6, 30)):
        assert effective_terms(contract, day).annual_rate == registered(day), day
