"""Working days for every clock and deadline (DOMAIN.md §8: "Working days follow the official Chinese
holiday calendar, including adjusted weekend workdays").

An administrator's WorkingDayOverride wins; otherwise chinese_calendar, which knows the State Council's
holiday notices for the years it ships; for a year it does not know (it raises NotImplementedError)
Monday–Friday rather than a refusal, because a clock that is a day off is better than a page that
fails — and the administrator can correct the year with overrides. Example: National Day 2025 — the loan
office sends on Tue 30 Sep; 3 working days later is Sat 11 Oct (1–8 Oct are holidays, Sat 11 Oct is an
adjusted workday), not Fri 3 Oct.
"""

import datetime as dt

import chinese_calendar

from .models import WorkingDayOverride

ONE_DAY = dt.timedelta(days=1)
# Clocks run days to weeks; one read of the overrides covers a clock this long.
WINDOW = dt.timedelta(days=400)


def overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    return dict(WorkingDayOverride.objects.filter(day__gte=start, day__lte=end)
                .values_list("day", "is_working_day"))


def official_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def is_working_day(day: dt.date, known: dict[dt.date, bool] | None = None) -> bool:
    """``known``: overrides already read for the days around ``day`` (else one query)."""
    known = overrides(day, day) if known is None else known
    return known[day] if day in known else official_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself not counted): the deadline of an n-day clock."""
    known = overrides(start, start + WINDOW)
    day, left = start, n
    while left > 0:
        day += ONE_DAY
        if is_working_day(day, known):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start): days used on a clock."""
    known = overrides(start, end)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day, known)
    return count
