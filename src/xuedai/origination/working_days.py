"""Working days for the origination clocks (DOMAIN.md §8: "Working days follow the official Chinese
holiday calendar, including adjusted weekend workdays").

chinese_calendar knows the State Council's holiday notices for the years it ships; for a year it does
not know (it raises NotImplementedError) we fall back to Monday–Friday rather than refuse, because a
clock that is a day off is better than a page that fails. Example: National Day 2025 — the loan
office sends on Tue 30 Sep; 3 working days later is Sat 11 Oct (1–8 Oct are holidays, Sat 11 Oct is an
adjusted workday), not Fri 3 Oct.
"""

import datetime as dt

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself not counted): the deadline of an n-day clock."""
    day, left = start, n
    while left > 0:
        day += ONE_DAY
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start): days used on a clock."""
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day)
    return count
