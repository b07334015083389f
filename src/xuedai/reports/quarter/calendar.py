"""The quarter's clocks in working days (DOMAIN.md §6, §8; seed [004] 第九条 3): the university (or
county) classifies within 3 working days after the quarter end, the province centre summarises
within 3 more. Working days follow the official calendar with the administrator's overrides
(``policies.working_days``).

Worked example: 30 Sep 2025 → the university's deadline is Sat 11 Oct 2025 (1–8 Oct are the
National Day holidays, 11 Oct an adjusted workday), the province's Wed 15 Oct.
"""

from __future__ import annotations

import datetime as dt

from xuedai.policies.working_days import add_working_days, working_days_between

UNIT_DAYS = 3
PROVINCE_DAYS = 3
QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def unit_deadline(as_of: dt.date) -> dt.date:
    return add_working_days(as_of, UNIT_DAYS)


def province_deadline(as_of: dt.date) -> dt.date:
    return add_working_days(unit_deadline(as_of), PROVINCE_DAYS)


def latest_quarter_end(today: dt.date) -> dt.date:
    """The last quarter end on or before ``today``.

    >>> latest_quarter_end(dt.date(2026, 4, 2)), latest_quarter_end(dt.date(2026, 3, 31))
    (datetime.date(2026, 3, 31), datetime.date(2026, 3, 31))
    """
    for month, day in reversed(QUARTER_ENDS):
        candidate = dt.date(today.year, month, day)
        if candidate <= today:
            return candidate
    return dt.date(today.year - 1, 12, 31)


def clock(deadline: dt.date, today: dt.date) -> str:
    """The work item's clock: working days left, due today, or overdue by how many."""
    if today > deadline:
        return f"已超期{working_days_between(deadline, today)}个工作日"
    if today == deadline:
        return "今日截止"
    return f"剩余{working_days_between(today, deadline)}个工作日"
