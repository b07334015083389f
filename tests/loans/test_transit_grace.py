"""Transit grace (DOMAIN.md §4 Channels; policy ``transit_grace_working_days``), by hand.

The published example's contract (6000 at 5.65 %, seed version, 1500 principal a year): on Fri
20 Dec 2019 103.58 interest and 1500 principal fall due. The seed versions carry no grace; the
2020+ national versions carry 7 working days, given here to the contract's version.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from xuedai.loans.models import Kind, Posting
from xuedai.loans.reconcile import reconcile
from xuedai.loans.services import contract_disburse, repayment_post, settlement_post
from xuedai.loans.services.servicing import ServicingError
from xuedai.loans.services.transit import transit_deadline, transit_payment_post
from xuedai.origination.models import ContractState
from xuedai.policies.models import PolicyVersion

pytestmark = pytest.mark.django_db
DUE = dt.date(2019, 12, 20)


def _kinds(account, on):
    return sorted((p.kind, p.amount) for p in Posting.objects.filter(account=account, business_date=on)
                  .exclude(kind=Kind.REVERSAL).filter(reversed_by__isnull=True))


@pytest.fixture
def settled(contract):
    PolicyVersion.objects.filter(pk=contract.policy_version_id).update(transit_grace_working_days=7)
    contract.policy_version.refresh_from_db()
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    settlement_post(actor=None, account=account, on=dt.date(2018, 12, 20))
    settlement_post(actor=None, account=account, on=DUE)
    account.refresh_from_db()
    assert (account.interest_due, account.principal_due) == (D("103.58"), D("1500.00"))
    # 23 Dec: 100.00 at the counter, 3 days overdue: 0.92 penalty, 0.06 compound, 99.02 interest.
    repayment_post(actor=None, account=account, on=dt.date(2019, 12, 23), amount=D("100.00"))
    assert _kinds(account, dt.date(2019, 12, 23)) == sorted([
        (Kind.PENALTY, D("0.92")), (Kind.COMPOUND, D("0.06")), (Kind.PAY_PENALTY, D("0.92")),
        (Kind.PAY_COMPOUND, D("0.06")), (Kind.PAY_OVERDUE_INTEREST, D("99.02"))])
    return account


def test_seven_working_days_after_20_dec_2019_is_31_dec(settled):
    assert transit_deadline(settled, DUE) == dt.date(2019, 12, 31)  # 23–27, 30, 31 Dec


def test_a_payment_arriving_within_the_grace_is_applied_as_of_its_value_date(settled):
    applied_on, reversals = transit_payment_post(actor=None, account=settled, amount=D("1603.58"),
                                                 value_date=DUE, arrived_on=dt.date(2019, 12, 31),
                                                 channel="支付宝")
    assert applied_on == DUE
    # The five postings of 23 Dec reversed (on the arrival day), the ledger append-only.
    assert len(reversals) == 5
    assert {r.business_date for r in reversals} == {dt.date(2019, 12, 31)}
    assert _kinds(settled, DUE) == sorted([
        (Kind.SUBSIDY_INTEREST, D("240.13")), (Kind.INTEREST, D("103.58")), (Kind.PRINCIPAL, D("1500.00")),
        (Kind.PAY_INTEREST, D("103.58")), (Kind.PAY_PRINCIPAL, D("1500.00"))])
    assert _kinds(settled, dt.date(2019, 12, 23)) == [(Kind.CREDIT_IN, D("100.00"))]
    settled.refresh_from_db()
    assert (settled.principal_outstanding, settled.principal_due, settled.interest_due,
            settled.penalty_due, settled.credit) == (D("4500.00"), 0, 0, 0, D("100.00"))
    assert settled.contract.state == ContractState.REPAYING
    assert list(reconcile(as_of=dt.date(2019, 12, 31))) == []
    # The next settlement takes the credit first, as with any credit.
    settlement_post(actor=None, account=settled, on=dt.date(2020, 12, 20))
    assert list(reconcile(as_of=dt.date(2020, 12, 20))) == []


def test_a_payment_arriving_after_the_grace_pays_as_of_its_arrival_with_penalty(settled):
    applied_on, reversals = transit_payment_post(actor=None, account=settled, amount=D("1603.58"),
                                                 value_date=DUE, arrived_on=dt.date(2020, 1, 2))
    assert (applied_on, reversals) == (dt.date(2020, 1, 2), [])
    # 23 Dec → 2 Jan, 10 days on 1500 and on the 4.56 interest left: 3.06 and 0.01.
    assert (Kind.PENALTY, D("3.06")) in _kinds(settled, dt.date(2020, 1, 2))
    assert (Kind.COMPOUND, D("0.01")) in _kinds(settled, dt.date(2020, 1, 2))
    settled.refresh_from_db()
    assert settled.credit == D("1603.58") - D("3.06") - D("0.01") - D("4.56") - D("1500.00")
    assert list(reconcile(as_of=dt.date(2020, 1, 2))) == []


def test_without_grace_in_the_version_the_value_date_does_not_count(settled):
    PolicyVersion.objects.filter(pk=settled.contract.policy_version_id).update(transit_grace_working_days=0)
    settled.contract.policy_version.refresh_from_db()
    applied_on, _ = transit_payment_post(actor=None, account=settled, amount=D("1603.58"),
                                         value_date=DUE, arrived_on=dt.date(2019, 12, 24))
    assert applied_on == dt.date(2019, 12, 24)


def test_bad_input_is_refused_naming_the_field(settled):
    with pytest.raises(ServicingError, match="付款日期"):
        transit_payment_post(actor=None, account=settled, amount=D("1"), value_date=dt.date(2020, 1, 5),
                             arrived_on=dt.date(2020, 1, 2))
    with pytest.raises(ServicingError, match="到账金额"):
        transit_payment_post(actor=None, account=settled, amount=D("0"), value_date=DUE,
                             arrived_on=dt.date(2019, 12, 24))
    assert not Posting.objects.filter(account=settled, kind=Kind.REVERSAL).exists()
