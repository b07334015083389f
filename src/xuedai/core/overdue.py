"""Overdue amounts, penalty interest (罚息) and compound interest (复利).

DOMAIN.md §4 Overdue; seed [001 附件四] 五.1 (罚息利率为正常借款利率的130%, on the actual overdue
amount and days). An amount due on day D and still unpaid at the end of D is overdue; on D+n it is
n days overdue. Overdue principal accrues penalty interest at multiplier × contract rate instead of
normal interest; overdue borrower interest accrues compound interest at the same rate; both per day
over [D, D+n) at /360, rounded half-up to the fen when charged (a payment, a statement).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xuedai.core.daycount import days_between
from xuedai.core.interest import Accrual

DEFAULT_PENALTY_MULTIPLIER = Decimal("1.3")  # [001 附件四]: 130%
MISUSE_PENALTY_MULTIPLIER = Decimal("1.5")  # policy: 150% when the loan was misused (挪用)


def is_overdue(due_on: date, on: date) -> bool:
    """Whether an amount due on ``due_on`` and unpaid is overdue on day ``on``.

    The amount becomes overdue at the end of its due day, so it is not overdue on the day itself.

    >>> is_overdue(date(2020, 12, 20), date(2020, 12, 20)), is_overdue(date(2020, 12, 20), date(2020, 12, 21))
    (False, True)
    """
    return on > due_on


def overdue_days(due_on: date, on: date) -> int:
    """Days overdue on ``on`` of an unpaid amount due on ``due_on`` (D+n → n; never negative).

    >>> overdue_days(date(2020, 12, 20), date(2021, 1, 20))
    31
    """
    return max(0, days_between(due_on, on))


def penalty_rate(annual_rate: Decimal, multiplier: Decimal = DEFAULT_PENALTY_MULTIPLIER) -> Decimal:
    """The yearly penalty rate: multiplier × contract rate (5.65% × 1.3 = 7.345%).

    >>> penalty_rate(Decimal("0.0565"))
    Decimal('0.07345')
    """
    return annual_rate * multiplier


def penalty_accrual(
    amount: Decimal, annual_rate: Decimal, multiplier: Decimal, start: date, end: date
) -> Accrual:
    """Penalty (or compound) interest on an overdue ``amount`` for the days ``[start, end)``.

    Always day-by-day at /360 — an overdue balance never earns the whole-year rule.
    """
    if amount < 0:
        raise ValueError("overdue amount must not be negative")
    return Accrual.on(amount, penalty_rate(annual_rate, multiplier), max(0, days_between(start, end)))


def penalty_interest(
    amount: Decimal,
    annual_rate: Decimal,
    due_on: date,
    paid_on: date,
    multiplier: Decimal = DEFAULT_PENALTY_MULTIPLIER,
) -> Decimal:
    """Penalty charged when an amount due on ``due_on`` is paid on ``paid_on`` (rounded once).

    Worked example: 1500 yuan principal due 20 Dec 2021 at 5.65%, paid 20 Jan 2022 (31 days
    overdue): 1500 × 0.07345 × 31 / 360 = 9.487… → 9.49. Paid on the due day: 0.00.

    >>> penalty_interest(Decimal(1500), Decimal("0.0565"), date(2021, 12, 20), date(2022, 1, 20))
    Decimal('9.49')
    """
    return penalty_accrual(amount, annual_rate, multiplier, due_on, paid_on).rounded()
