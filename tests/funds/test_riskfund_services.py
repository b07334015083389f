"""Accrual, confirmation and the 20 Dec settlement of a fund, through the services, worked by hand.

Policy: the first seeded version (生源地, Sichuan 2012): 15 % of disbursements, finance 100 %.
Two contracts of 6000.00 → 12,000.00 disbursed in the academic year 2018—2019 → 1,800.00 accrued.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.funds.conftest import settle_year
from xuedai.audit.models import AuditEntry
from xuedai.funds.models import Accrual, AccrualStatus, FundKind, FundPosting, Settlement
from xuedai.funds.selectors import disbursement_summary
from xuedai.funds.services import FundsError, accrual_confirm, accrual_request, settlement_run
from xuedai.funds.services.ledger import fund_balance_from_postings
from xuedai.loans.services import repayment_post


def _postings(settlement):
    return {(p.kind, p.amount) for p in FundPosting.objects.filter(settlement=settlement)}


def test_disbursement_summary_splits_tuition_accommodation_living(pair, province):
    (row,) = disbursement_summary(None, 2019)
    assert row.organisation == province.counties[0]
    assert row.contracts == 2
    # each contract: tuition 4500, accommodation 1200 to the university, 300 living to the student
    assert (row.tuition, row.accommodation, row.living, row.total) == (
        D("9000.00"),
        D("2400.00"),
        D("600.00"),
        D("12000.00"),
    )
    assert disbursement_summary(None, 2020) == []


def test_the_summary_is_scoped(pair, province, make_user):
    from xuedai.orgs.models import Role

    other_county = make_user(province.counties[1], Role.OPERATOR)
    assert disbursement_summary(other_county, 2019) == []
    assert len(disbursement_summary(make_user(province.counties[0], Role.OPERATOR), 2019)) == 1


def test_accrual_request_and_confirmation_post_into_the_fund(pair, province_officer, banker):
    with pytest.raises(FundsError, match="学年尚未结束"):
        accrual_request(actor=province_officer, year=2019, on=dt.date(2019, 8, 31))
    (accrual,) = accrual_request(actor=province_officer, year=2019, on=dt.date(2019, 9, 30))
    assert (accrual.disbursed, accrual.rate, accrual.total, accrual.finance, accrual.university) == (
        D("12000.00"),
        D("0.1500"),
        D("1800.00"),
        D("1800.00"),
        D("0.00"),
    )
    with pytest.raises(FundsError, match="没有需要新提出"):
        accrual_request(actor=province_officer, year=2019, on=dt.date(2019, 9, 30))
    accrual_confirm(actor=banker, accruals=[accrual], on=dt.date(2019, 12, 1))
    accrual.refresh_from_db()
    assert accrual.status == AccrualStatus.CONFIRMED
    account = accrual.account
    account.refresh_from_db()
    assert account.balance == D("1800.00") == fund_balance_from_postings(account.pk)
    with pytest.raises(FundsError, match="已确认"):
        accrual_confirm(actor=banker, accruals=[accrual], on=dt.date(2019, 12, 2))
    assert AuditEntry.objects.filter(action="funds.accrual_confirm").count() == 1


def test_settlement_below_the_rate_then_a_recovery_comes_back(pair, province_officer, banker):
    _contracts, accounts = pair
    (accrual,) = accrual_request(actor=province_officer, year=2019, on=dt.date(2019, 9, 30))
    accrual_confirm(actor=banker, accruals=[accrual], on=dt.date(2019, 12, 1))
    settle_year(accounts, 2018)
    settle_year(accounts, 2019)
    # The second borrower pays the 2019 interest and principal (103.58 + 1500) on the day; the first
    # does not: 1,603.58 is overdue from 21 Dec 2019.
    repayment_post(actor=None, account=accounts[1], on=dt.date(2019, 12, 20), amount=D("1603.58"))
    with pytest.raises(FundsError, match="不是结算日"):
        settlement_run(actor=banker, on=dt.date(2020, 12, 19))
    (s,) = settlement_run(actor=banker, on=dt.date(2020, 12, 20))
    assert (s.total_loans, s.defaulted, s.fund_in, s.rate) == (
        D("12000.00"),
        D("1603.58"),
        D("1800.00"),
        D("0.1500"),
    )
    assert s.band == "低于补偿比例"
    # T1 = 15 % × 12,000 = 1,800: the fund covers 1,603.58, returns 196.42 to the university.
    assert (s.move_from_fund, s.move_reward, s.move_university_share, s.move_above_cap) == (
        D("1603.58"),
        D("196.42"),
        0,
        0,
    )
    assert _postings(s) == {(FundKind.COVER_PAID, D("1603.58")), (FundKind.REWARD_PAID, D("196.42"))}
    s.account.refresh_from_db()
    assert s.account.balance == 0 == fund_balance_from_postings(s.account.pk)
    with pytest.raises(FundsError, match="已结算"):
        settlement_run(actor=banker, on=dt.date(2020, 12, 20))

    # The loans settle 2020 after the fund (the fund counts what was overdue *before* the day); the
    # second borrower pays on time again; the first pays everything owed (and the penalty) on
    # 20 Mar 2021: the next settlement takes the cover back from the bank and pays it out as reward
    # (reverse order).
    settle_year(accounts, 2020)
    repayment_post(actor=None, account=accounts[1], on=dt.date(2020, 12, 20), amount=D("1754.25"))
    repayment_post(actor=None, account=accounts[0], on=dt.date(2021, 3, 20), amount=D("3600.00"))
    accounts[0].refresh_from_db()
    assert accounts[0].principal_due == accounts[0].interest_due == 0
    (t,) = settlement_run(actor=banker, on=dt.date(2021, 12, 20))
    # recovered: what was paid of the 1,603.58 compensated last year — not the 1,754.25 of 2020
    # that fell overdue after it (never compensated, nothing to return).
    assert t.defaulted == 0 and t.recovered == D("1603.58")
    assert (t.move_from_fund, t.move_reward) == (D("-1603.58"), D("1603.58"))
    # The recovery comes into the fund first (capped at the 1,603.58 compensated) and goes out
    # as reward ([003] 第二十八条).
    assert t.recovery_taken == D("1603.58")
    assert _postings(t) == {(FundKind.RECOVERY_IN, D("1603.58")), (FundKind.REWARD_PAID, D("1603.58"))}
    assert (t.cum_from_fund, t.cum_reward) == (0, D("1800.00"))
    assert Settlement.objects.count() == 2
    assert AuditEntry.objects.filter(action="funds.settlement_run").count() == 2


def test_fund_postings_are_append_only(pair, province_officer, banker):
    from django.db import IntegrityError, transaction

    (accrual,) = accrual_request(actor=province_officer, year=2019, on=dt.date(2019, 9, 30))
    accrual_confirm(actor=banker, accruals=[accrual], on=dt.date(2019, 12, 1))
    posting = FundPosting.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        FundPosting.objects.filter(pk=posting.pk).update(amount=D("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        posting.delete()
    assert Accrual.objects.count() == 1


def test_every_part_is_posted_and_every_balance_is_explained(pair, province_officer, banker, province):
    """Above 20 %, then a recovery: the accounts hold the cumulative parts, each from its postings."""
    from xuedai.funds.models import Party, ShareAccount
    from xuedai.funds.services.ledger import share_balance_from_postings

    _contracts, accounts = pair
    (accrual,) = accrual_request(actor=province_officer, year=2019, on=dt.date(2019, 9, 30))
    accrual_confirm(actor=banker, accruals=[accrual], on=dt.date(2019, 12, 1))
    settle_year(accounts, 2018)
    settle_year(accounts, 2019)
    (s,) = settlement_run(actor=banker, on=dt.date(2020, 12, 20))
    assert s.defaulted == D("3207.16") and (s.fund_limit, s.cap_limit) == (D("1800.00"), D("2400.00"))

    def balances():
        return {a.party: a.balance for a in ShareAccount.objects.all()}

    # 600.00 of the band 5 : 4 : 1 (300 / 240 / 60) and 807.16 above 20 % on the county
    assert balances() == {Party.UNIVERSITY: D("1107.16"), Party.BANK: D("240.00"), Party.PROVINCE: D("60.00"),
                          Party.SHORTFALL: 0}
    county = ShareAccount.objects.get(party=Party.UNIVERSITY)
    assert county.organisation == province.counties[0]
    assert ShareAccount.objects.get(party=Party.BANK).organisation == province.branch
    assert ShareAccount.objects.get(party=Party.PROVINCE).organisation == province.centre
    # the second borrower pays everything overdue on 20 Mar 2021: 1,603.58 (and penalty) recovered
    settle_year(accounts, 2020)
    repayment_post(actor=None, account=accounts[1], on=dt.date(2021, 3, 20), amount=D("3600.00"))
    (t,) = settlement_run(actor=banker, on=dt.date(2021, 12, 20))
    # of the 3,600.00 paid, what returns is the 1,603.58 overdue at the last settlement
    assert t.recovery_taken == t.recovered == D("1603.58")
    # the recovery came into the fund and went back out, top band first
    ins = FundPosting.objects.filter(settlement=t, kind=FundKind.RECOVERY_IN)
    outs = FundPosting.objects.filter(settlement=t, kind=FundKind.RECOVERY_RETURNED)
    assert sum(p.amount for p in ins) == t.recovered
    assert ins.filter(part="above_cap").get().amount == outs.filter(part="above_cap").get().amount
    for a in ShareAccount.objects.all():
        assert a.balance == share_balance_from_postings(a.pk)
    t.account.refresh_from_db()
    assert t.account.balance == fund_balance_from_postings(t.account.pk) == 0
    # the accounts hold exactly the cumulative parts of the last settlement
    assert balances() == {
        Party.UNIVERSITY: t.cum_university_share + t.cum_above_cap,
        Party.BANK: t.cum_bank_share,
        Party.PROVINCE: t.cum_province_share,
        Party.SHORTFALL: t.cum_shortfall,
    }
