"""When each reminder campaign runs and whom it reaches (DOMAIN.md §5, §8; seed [000 七, 九]).

- annual_due: one notice per borrower per due date, once the due date is within ANNUAL_LEAD_DAYS:
  for 20 Dec that is from 20 Nov — the start of the intensified period [000 九].
- intensified: 20 Nov–20 Dec [000 九 "要加大提醒力度"], on fixed days counted back from 20 Dec:
  27 Nov, 4 Dec, the 10 Dec deposit deadline ([001 附件四]: ≥ 10 days before), 15 Dec (Alipay's own
  notice comes 5 days before [000 七]) and 19 Dec; to borrowers with an amount due by 20 Dec or
  already overdue, not yet deposited.
- failed_deduction: after a deduction run, to the borrowers whose deduction failed (DOMAIN.md §9).
No borrower gets two texts on one day: annual and intensified skip a borrower already reminded.
"""

import datetime as dt

ANNUAL_LEAD_DAYS = 30
INTENSIFIED_START = (11, 20)
INTENSIFIED_END = (12, 20)
INTENSIFIED_DAYS_BEFORE_END = (23, 16, 10, 5, 1)


def intensified_window(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, *INTENSIFIED_START), dt.date(year, *INTENSIFIED_END)


def is_intensified_day(day: dt.date) -> bool:
    """2026-11-27, 12-04, 12-10, 12-15, 12-19 → True; 2026-11-28 → False."""
    start, end = intensified_window(day.year)
    return start <= day <= end and (end - day).days in INTENSIFIED_DAYS_BEFORE_END


def annual_notice_due(next_due_on: dt.date | None, today: dt.date) -> bool:
    """A due date 1–30 days ahead: 2026-12-20 seen on 2026-11-20 → True; on 2026-11-19 → False."""
    return next_due_on is not None and 0 < (next_due_on - today).days <= ANNUAL_LEAD_DAYS


def intensified_target(next_due_on: dt.date | None, due_now_positive: bool, today: dt.date) -> bool:
    """Someone with money due by the window's end, or already overdue."""
    _, end = intensified_window(today.year)
    return due_now_positive or (next_due_on is not None and today < next_due_on <= end)


def annual_candidate_days(today: dt.date) -> list[str]:
    """"MM-DD" of the days a due date may fall on for today's annual notices (a DB pre-filter)."""
    return [(today + dt.timedelta(days=n)).strftime("%m-%d") for n in range(1, ANNUAL_LEAD_DAYS + 1)]
