"""Staged disbursement: a loan paid out in tranches, interest only on what has been paid out.

DOMAIN.md §3.2: campus living expenses go to the student's account on a schedule, never in February
or August; §3.3: a commercial loan "may be disbursed at once or in tranches". Interest starts on the
day money is paid out ([003 第十七条]), so each tranche raises the normal-interest base from its day
on and breaks the stretch like any change of principal (DOMAIN.md §4 Day count).

:func:`living_expense_months` and :func:`campus_tranches` build the campus schedule; the engine
(``core.engine``) walks ``LoanTerms.tranches``.

Worked example: 8000 yuan, tuition and accommodation 5000 paid to the university on 15 Oct 2024,
living expenses 3000 monthly from October to July, never February: Oct, Nov, Dec, Jan, Mar, Apr,
May, Jun, Jul = 9 months → 333.33 × 8 + 333.36 (the remainder on the last, so the parts add up to
the fen), each on the 15th.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from itertools import pairwise

from .money import ZERO

NO_LIVING_EXPENSE_MONTHS = frozenset({2, 8})  # DOMAIN.md §3.2: never in February or August
FEN = Decimal("0.01")


@dataclass(frozen=True)
class Tranche:
    """``amount`` paid out on ``on``."""

    on: date
    amount: Decimal

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError("分次发放金额必须大于 0")


def check_tranches(tranches: tuple[Tranche, ...], principal: Decimal, disbursed_on: date,
                   maturity: date) -> None:
    """The first tranche is the disbursement day; dates strictly ascending, before maturity; the
    tranches add up to the principal."""
    if not tranches:
        return
    if tranches[0].on != disbursed_on:
        raise ValueError("第一次发放日须为放款日")
    if any(b.on <= a.on for a, b in pairwise(tranches)):
        raise ValueError("分次发放日期须严格递增")
    if tranches[-1].on >= maturity:
        raise ValueError("分次发放日期须早于到期日")
    if sum((t.amount for t in tranches), ZERO) != principal:
        raise ValueError("分次发放金额合计须等于本金")


def living_expense_months(first: date, until_month: tuple[int, int]) -> list[date]:
    """The monthly living-expense days from ``first`` (its day of month, capped at 28) to
    ``until_month`` (year, month) inclusive, skipping February and August."""
    day = min(first.day, 28)
    year, month = first.year, first.month
    days = []
    while (year, month) <= until_month:
        if month not in NO_LIVING_EXPENSE_MONTHS:
            days.append(date(year, month, day))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def split_even(amount: Decimal, parts: int) -> list[Decimal]:
    """``amount`` in ``parts`` equal shares floored to the fen, the remainder on the last share."""
    if parts <= 0:
        raise ValueError("分次数须大于 0")
    share = (amount / parts).quantize(FEN, rounding=ROUND_FLOOR)
    return [share] * (parts - 1) + [amount - share * (parts - 1)]


def campus_tranches(disbursed_on: date, to_university: Decimal, living: Decimal) -> list[Tranche]:
    """Tuition and accommodation on the disbursement day (受托支付); living expenses in equal monthly
    shares from the disbursement month to the July of its academic year, never in February or
    August ([002] 3.2), each on the disbursement day's day of month."""
    academic_start = disbursed_on.year if disbursed_on.month >= 9 else disbursed_on.year - 1
    months = living_expense_months(disbursed_on, (academic_start + 1, 7)) if living > 0 else []
    if living > 0 and not months:
        raise ValueError("该学年已没有可发放生活费的月份（2月、8月不发放）")
    by_day: dict[date, Decimal] = {disbursed_on: to_university}
    for on, share in zip(months, split_even(living, len(months)) if months else [], strict=True):
        by_day[on] = by_day.get(on, ZERO) + share
    return [Tranche(on, amount) for on, amount in sorted(by_day.items()) if amount > 0]
