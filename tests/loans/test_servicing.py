"""Disbursement → settlement → repayment → overdue → penalty → classification, by hand.

DOMAIN.md §4's published example: 6000 yuan at 5.65%, disbursed 1 Sep 2018, self-pay from
1 Sep 2019. The seed policy version (Sichuan 2012) has no grace years, so principal is 1500 a year
on 20 Dec 2019–2022.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from xuedai.loans.models import GradeRecord, Kind, Posting
from xuedai.loans.services import (
    account_balances_from_postings,
    classify,
    contract_disburse,
    penalty_accrue,
    repayment_post,
    settlement_post,
)
from xuedai.origination.models import ContractState


def _kinds(account, on):
    return {(p.kind, p.amount) for p in Posting.objects.filter(account=account, business_date=on)}


def test_disbursement_splits_by_payee(contract):
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    assert _kinds(account, dt.date(2018, 9, 1)) == {(Kind.DISBURSE_UNIVERSITY, D("5700.00")),
                                                    (Kind.DISBURSE_STUDENT, D("300.00"))}
    assert account.principal_outstanding == D("6000.00")
    contract.refresh_from_db()
    assert contract.state == ContractState.DISBURSED and contract.outstanding_principal == D("6000.00")


def test_the_published_example_through_overdue_and_penalty(contract):
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    settlement_post(actor=None, account=account, on=dt.date(2018, 12, 20))
    assert _kinds(account, dt.date(2018, 12, 20)) == {(Kind.SUBSIDY_INTEREST, D("103.58"))}

    settlement_post(actor=None, account=account, on=dt.date(2019, 12, 20))
    # 20 Dec 2018 → 20 Dec 2019: the state 255 days (240.13), the borrower 110 days (103.58).
    assert _kinds(account, dt.date(2019, 12, 20)) == {
        (Kind.SUBSIDY_INTEREST, D("240.13")), (Kind.INTEREST, D("103.58")), (Kind.PRINCIPAL, D("1500.00"))}
    repayment_post(actor=None, account=account, on=dt.date(2019, 12, 20), amount=D("1603.58"))
    account.refresh_from_db()
    assert (account.principal_outstanding, account.principal_due, account.interest_due) == (
        D("4500.00"), D("0"), D("0"))
    assert account.subsidy_receivable == D("343.71")

    # 20 Dec 2020: 4500 × 5.65% = 254.25 and 1500 principal — not paid.
    settlement_post(actor=None, account=account, on=dt.date(2020, 12, 20))
    account.refresh_from_db()
    assert (account.principal_due, account.interest_due) == (D("1500.00"), D("254.25"))

    # 31 Dec 2020 quarter end: 11 days overdue → seed rule 次级, 2023 rule 关注.
    assert classify(account=account, on=dt.date(2020, 12, 31), rule="seed").grade == "substandard"
    assert classify(account=account, on=dt.date(2020, 12, 31), rule="2023").grade == "special_mention"
    assert GradeRecord.objects.get(account=account, as_of=dt.date(2020, 12, 31)).days_overdue == 11

    # 20 Jan 2021, 31 days: penalty 1500 × 7.345% × 31/360 = 9.49, compound 254.25 × … = 1.61.
    assert penalty_accrue(account=account, on=dt.date(2021, 1, 20)) == D("11.10")
    account.refresh_from_db()
    assert account.contract.state == ContractState.OVERDUE
    assert account.amount_owed == D("1765.35")
    repayment_post(actor=None, account=account, on=dt.date(2021, 1, 20), amount=D("1800.00"))
    assert _kinds(account, dt.date(2021, 1, 20)) == {
        (Kind.PENALTY, D("9.49")), (Kind.COMPOUND, D("1.61")), (Kind.PAY_PENALTY, D("9.49")),
        (Kind.PAY_COMPOUND, D("1.61")), (Kind.PAY_OVERDUE_INTEREST, D("254.25")),
        (Kind.PAY_OVERDUE_PRINCIPAL, D("1500.00")), (Kind.CREDIT_IN, D("34.65"))}
    account.refresh_from_db()
    assert (account.principal_outstanding, account.credit, account.penalty_due) == (
        D("3000.00"), D("34.65"), 0)
    assert account.contract.state == ContractState.REPAYING

    # 20 Dec 2021: 3000 × 5.65% = 169.50 + 1500; the credit pays 34.65 of it at once.
    settlement_post(actor=None, account=account, on=dt.date(2021, 12, 20))
    account.refresh_from_db()
    assert (account.credit, account.interest_due, account.principal_due) == (0, D("134.85"), D("1500.00"))
    assert account_balances_from_postings(account)["interest_due"] == D("134.85")


def test_settlement_refused_on_another_day(contract):
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    with pytest.raises(ValueError):
        settlement_post(actor=None, account=account, on=dt.date(2018, 12, 21))


def test_reconcile_agrees_then_reports_a_planted_difference(contract):
    from xuedai.loans.models import LoanAccount
    from xuedai.loans.reconcile import account_differences
    from xuedai.loans.services import posting_reverse
    from xuedai.loans.services.ledger import LedgerError

    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    for year in (2018, 2019, 2020):
        settlement_post(actor=None, account=account, on=dt.date(year, 12, 20))
    repayment_post(actor=None, account=account, on=dt.date(2021, 1, 20), amount=D("500.00"))
    account = LoanAccount.objects.select_related("contract").get(pk=account.pk)
    assert account_differences(account, dt.date(2021, 3, 31)) == []

    # A planted posting the engine knows nothing of: the cache and the engine both disagree.
    Posting.objects.create(account=account, business_date=dt.date(2021, 2, 1), kind=Kind.PAY_PRINCIPAL,
                           amount=D("10.00"), due_on=dt.date(2020, 12, 20))
    fields = {d.field for d in account_differences(account, dt.date(2021, 3, 31))}
    assert {"cache.principal_outstanding", "posted.pay_principal"} <= fields

    # Reversed by a counter-posting: agreement again.
    planted = Posting.objects.get(business_date=dt.date(2021, 2, 1))
    posting_reverse(actor=None, posting=planted, reason="测试冲正", on=dt.date(2021, 2, 2))
    account = LoanAccount.objects.select_related("contract").get(pk=account.pk)
    assert account_differences(account, dt.date(2021, 3, 31)) == []
    with pytest.raises(LedgerError):
        posting_reverse(actor=None, posting=planted, reason="再次冲正")


def test_a_back_dated_payment_is_refused(contract):
    from xuedai.loans.services.servicing import ServicingError

    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    settlement_post(actor=None, account=account, on=dt.date(2018, 12, 20))
    settlement_post(actor=None, account=account, on=dt.date(2019, 12, 20))
    with pytest.raises(ServicingError):
        repayment_post(actor=None, account=account, on=dt.date(2019, 1, 20), amount=D("10.00"))
