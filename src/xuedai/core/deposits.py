"""When a borrower's money must be in the channel account, and when it is deducted.

DOMAIN.md §1 (settlement / repayment day: the seed asks for the deposit ≥ 10 days before the fixed
repayment day, newer versions none — the version's ``deposit_days_before``; overdue repayment:
deducted on each month's 20th but not 20 Nov, "deposit by the 15th → re-deducted on the next
20th") and §4 Overdue. Plain date arithmetic, no policy lookups: callers pass the version's days.
"""

from __future__ import annotations

from datetime import date, timedelta

from xuedai.core.daycount import add_months

DEDUCTION_DAY = 20
NO_DEDUCTION_MONTH = 11  # 20 Nov carries no deduction run (DOMAIN.md §1, §8)
OVERDUE_DEPOSIT_DAY = 15  # an overdue amount deposited by the 15th goes in that month's run


def deposit_deadline(due_on: date, days_before: int) -> date:
    """The day the money must be in the account: ``days_before`` the due day (0: the due day).

    >>> deposit_deadline(date(2026, 12, 20), 10)
    datetime.date(2026, 12, 10)
    """
    return due_on - timedelta(days=days_before)


def next_deduction_day(day: date) -> date:
    """The first deduction run strictly after ``day``: the 20th of a month, never 20 Nov.
    After a failed run on 2026-10-20 → 2026-12-20; on 2026-12-20 → 2027-01-20; on 2026-12-05 →
    2026-12-20.

    >>> next_deduction_day(date(2026, 10, 20))
    datetime.date(2026, 12, 20)
    """
    candidate = day.replace(day=DEDUCTION_DAY)
    while candidate <= day or candidate.month == NO_DEDUCTION_MONTH:
        candidate = add_months(candidate, 1)
    return candidate


def overdue_deduction(today: date) -> tuple[date, date]:
    """(deposit by, deducted on) for an overdue amount deposited from ``today`` on: the first run
    whose deposit day (the 15th) is not past. On 2026-11-20 → (2026-12-15, 2026-12-20); on
    2026-12-16 → (2027-01-15, 2027-01-20).

    >>> overdue_deduction(date(2026, 12, 16))
    (datetime.date(2027, 1, 15), datetime.date(2027, 1, 20))
    """
    run = next_deduction_day(today - timedelta(days=1))
    while run.replace(day=OVERDUE_DEPOSIT_DAY) < today:
        run = next_deduction_day(run)
    return run.replace(day=OVERDUE_DEPOSIT_DAY), run
