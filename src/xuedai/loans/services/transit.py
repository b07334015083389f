"""A payment that was in transit through a channel: applied as of its value date (DOMAIN.md §4 Channels).

DOMAIN.md §4: "Payments in transit through a channel get 7 working days without penalty" — the
signing version's ``transit_grace_working_days`` (7 from the 2020 notice on, 0 in the seed
versions). A payment whose value date (the day the borrower paid at the channel) is at most that
many working days (``policies.working_days``, the official calendar with its adjusted workdays)
before the day it arrives is applied *as of the value date*: the engine walks the account with the
payment on that day, so no penalty runs from the value date on and later settlements see the lower
balance. Beyond the grace it is an ordinary payment of its arrival day.

A deduction run's result file is posted on the run's day, its value date; when the account has
postings after that day by the time the file arrives (a counter payment in between), the posting
chunk calls :func:`transit_payment_apply` with the day the file is posted as the arrival
(``loans.deduction.posting``).

Later postings may already exist (the 20th's penalty charge of another payment, the 20 Dec
settlement): the ledger stays append-only, so every engine posting from the value date on whose
(day, kind, due day) total the new walk changes is reversed (a counter-posting, ``Kind.REVERSAL``,
booked on the arrival day) and the engine's amount for it posted again on its own day. Keys the
payment does not change are left alone.

Worked example (tests/loans/test_transit_grace.py): 6000 yuan at 5.65 %, 1500 principal + 103.58
interest due on Fri 20 Dec 2019 (DOMAIN.md §4's published example). On Mon 23 Dec the borrower pays
100.00 at the counter: 3 days overdue, penalty 1500 × 7.345 % × 3/360 = 0.918… → 0.92, compound
103.58 × 7.345 % × 3/360 = 0.063… → 0.06, the rest 99.02 to the overdue interest. Then 1603.58 he
had paid at the channel on 20 Dec arrives on Tue 31 Dec — the 7th working day after (23–27, 30,
31 Dec). Applied as of 20 Dec it pays the 103.58 and the 1500 that day; the 23 Dec payment finds
nothing overdue and waits as credit (100.00): the five postings of 23 Dec are reversed and a
CREDIT_IN 100.00 posted on 23 Dec. Arriving on Thu 2 Jan 2020 (1 Jan a holiday) it is too late and
pays as of 2 Jan, after 10 more days of penalty 1500 × 7.345 % × 10/360 = 3.06.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.core.money import ZERO, to_money
from xuedai.core.terms import Payment
from xuedai.policies.working_days import add_working_days

from ..models import OUTSIDE_ENGINE, Kind, LoanAccount, Posting
from ..replay import Expected, totals
from .errors import ServicingError
from .ledger import _net_postings, _post_many, account_refresh, account_replay, ledger_payments
from .servicing import _locked, _record_early_outcomes, repayment_post


def transit_deadline(account: LoanAccount, value_date: dt.date) -> dt.date:
    """The last arrival day that still counts as of ``value_date`` (value date itself if no grace)."""
    grace = account.contract.policy_version.transit_grace_working_days
    return add_working_days(value_date, grace) if grace else value_date


@transaction.atomic(durable=True)
def transit_payment_post(*, actor, account: LoanAccount, amount, value_date: dt.date,
                         arrived_on: dt.date | None = None,
                         channel: str = "") -> tuple[dt.date, list[Posting]]:
    """Post a payment paid at a channel on ``value_date`` that reached the account on ``arrived_on``
    (the business date). Returns (the day it was applied as of, the reversals written)."""
    return transit_payment_apply(actor=actor, account=account, amount=amount, value_date=value_date,
                                 arrived_on=arrived_on, channel=channel)


@transaction.atomic
def transit_payment_apply(*, actor, account: LoanAccount, amount, value_date: dt.date,
                          arrived_on: dt.date | None = None, channel: str = "",
                          job_run=None) -> tuple[dt.date, list[Posting]]:
    """:func:`transit_payment_post` in the caller's transaction (a result file's posting chunk)."""
    amount = to_money(amount, what="到账金额")
    if amount <= 0:
        raise ServicingError("到账金额：必须大于 0")
    arrived_on = arrived_on or businessdate.today()
    if value_date > arrived_on:
        raise ServicingError(f"付款日期：{value_date:%Y-%m-%d} 晚于到账日 {arrived_on:%Y-%m-%d}")
    account = _locked(account)
    source = f"{channel or '渠道'}在途款（付款日{value_date:%Y-%m-%d}，到账日{arrived_on:%Y-%m-%d}）"
    if arrived_on > transit_deadline(account, value_date):
        # Beyond the grace: an ordinary payment of the arrival day (repayment_post audits it).
        repayment_post(actor=actor, account=account, on=arrived_on, amount=amount, source=source[:200],
                       job_run=job_run)
        return arrived_on, []
    reversals = _apply_as_of(account, amount, value_date, arrived_on, source, job_run)
    audit_record(actor=actor, action="loans.transit_payment_post", obj=account, subject=account.contract,
                 after={"value_date": value_date, "arrived_on": arrived_on, "amount": amount,
                        "channel": channel, "reversed": len(reversals)})
    return value_date, reversals


def _apply_as_of(account: LoanAccount, amount: Decimal, value_date: dt.date, arrived_on: dt.date,
                 source: str, job_run=None) -> list[Posting]:
    """Reverse and replay the engine postings from ``value_date`` on that the payment changes."""
    rows = _net_postings(account.pk)
    latest = max((day for day, kind, _due, _amount in rows if kind not in OUTSIDE_ENGINE),
                 default=arrived_on)
    as_of = max(arrived_on, latest)
    payments = ledger_payments(account.pk, rows=rows)
    by_day: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for payment in payments:
        by_day[payment.on] += payment.amount
    by_day[value_date] += amount
    result = account_replay(account, as_of, payments=[Payment(d, a) for d, a in sorted(by_day.items())],
                            rows=rows)
    expected = totals(r for r in result.expected if r.on >= value_date)
    held: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for day, kind, due_on, signed in rows:
        if kind not in OUTSIDE_ENGINE and day >= value_date:
            held[(day, kind, due_on)] += signed
    changed = {key for key in set(expected) | set(held) if expected.get(key, ZERO) != held.get(key, ZERO)}
    live = (Posting.objects.filter(account=account, business_date__gte=value_date, reversed_by__isnull=True)
            .exclude(kind__in=[*OUTSIDE_ENGINE, Kind.REVERSAL]).order_by("pk"))
    to_reverse = [p for p in live if (p.business_date, p.kind, p.due_on) in changed]
    memo = f"冲正：{source}按付款日重算"[:200]
    reversals = Posting.objects.bulk_create([
        Posting(account=account, business_date=arrived_on, kind=Kind.REVERSAL, amount=p.amount,
                due_on=p.due_on, reverses=p, job_run=job_run, memo=memo) for p in to_reverse])
    replayed = [Expected(key[0], key[1], expected[key], key[2])
                for key in sorted(changed, key=lambda k: (k[0], k[1], k[2] or dt.date.min))
                if expected.get(key, ZERO) > 0]
    _post_many(account, replayed, job_run=job_run, memo=source[:200])
    _record_early_outcomes(account, result, value_date)
    account_refresh(account, as_of)
    return reversals
