"""Transit grace as a property (issue 12 items 2 and 7): a channel payment applied as of its value
date after later payments were posted — reversing and replaying what it changes — leaves the ledger
exactly as if it had been posted on its value date in the first place, fen for fen, and the ledger
still reconciles with the engine. Random value dates, arrival delays (0–7 working days) and counter
payments in between, on the published example's contract (1603.58 due on 20 Dec 2019)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xuedai.loans.models import BALANCES, LoanAccount
from xuedai.loans.reconcile import account_differences
from xuedai.loans.services import contract_disburse, repayment_post, settlement_post
from xuedai.loans.services.ledger import _net_postings
from xuedai.loans.services.transit import transit_payment_post
from xuedai.policies.models import PolicyVersion
from xuedai.policies.working_days import add_working_days

from .conftest import make_contract

pytestmark = pytest.mark.django_db
DUE = dt.date(2019, 12, 20)
NEXT = dt.date(2020, 12, 20)


def _account(province):
    contract = make_contract(province)
    PolicyVersion.objects.filter(pk=contract.policy_version_id).update(transit_grace_working_days=7)
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    for day in (dt.date(2018, 12, 20), DUE):
        settlement_post(actor=None, account=account, on=day)
    return LoanAccount.objects.select_related("contract__policy_version").get(pk=account.pk)


def _net(account) -> dict:
    totals: dict = defaultdict(D)
    for day, kind, due_on, amount in _net_postings(account.pk):
        totals[(day, kind, due_on)] += amount
    return {k: v for k, v in totals.items() if v}


cents = st.integers(min_value=1, max_value=200_000).map(lambda n: D(n) / 100)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value_offset=st.integers(0, 6), delay=st.integers(0, 7), amount=cents,
       counters=st.lists(st.tuples(st.integers(0, 12), cents), max_size=3))
def test_a_late_channel_payment_equals_one_posted_on_its_value_date(province, value_offset, delay, amount,
                                                                    counters):
    value_date = DUE + dt.timedelta(days=value_offset)
    arrived = add_working_days(value_date, delay)
    counter = sorted((value_date + dt.timedelta(days=k), a) for k, a in counters
                     if value_date + dt.timedelta(days=k) <= arrived)
    late, timely = _account(province), _account(province)
    for day, paid in counter:  # the counter payments reach the ledger first …
        repayment_post(actor=None, account=late, on=day, amount=paid)
    applied_on, _ = transit_payment_post(actor=None, account=late, amount=amount, value_date=value_date,
                                         arrived_on=arrived)
    assert applied_on == value_date
    # … the same payments in the order of their days, the channel's on its value date.
    for day, paid in sorted([*counter, (value_date, amount)], key=lambda p: p[0]):
        repayment_post(actor=None, account=timely, on=day, amount=paid)
    for account in (late, timely):
        account.refresh_from_db()
    assert _net(late) == _net(timely)
    assert [getattr(late, f) for f in BALANCES] == [getattr(timely, f) for f in BALANCES]
    for account in (late, timely):
        settlement_post(actor=None, account=LoanAccount.objects.get(pk=account.pk), on=NEXT)
    assert _net(late) == _net(timely)
    assert account_differences(LoanAccount.objects.get(pk=late.pk), NEXT) == []
