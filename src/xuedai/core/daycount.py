"""Calendar arithmetic for interest: days 算头不算尾, whole years, month steps.

DOMAIN.md §4 Day count: a period runs from its first day included to its last day excluded, so
1 Sep → 20 Dec is 110 days; the daily rate is the annual rate / 360.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal

Basis = Literal["pboc", "actual_360"]
BASES: tuple[Basis, ...] = ("pboc", "actual_360")

DAYS_PER_YEAR = 360  # the PBOC rule's year for the daily rate (日利率 = 年利率 / 360)


def days_between(start: date, end: date) -> int:
    """Days from ``start`` (counted) to ``end`` (not counted): 算头不算尾 (DOMAIN.md §4).

    Worked example: 1 Sep 2019 → 20 Dec 2019 = 110 days.

    >>> days_between(date(2019, 9, 1), date(2019, 12, 20))
    110
    """
    return (end - start).days


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; a day the target month lacks becomes its last day.

    >>> add_months(date(2020, 8, 31), 6)
    datetime.date(2021, 2, 28)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The same month-day ``years`` later (29 Feb → 28 Feb in a common year).

    >>> add_years(date(2020, 2, 29), 1)
    datetime.date(2021, 2, 28)
    """
    return add_months(day, 12 * years)


def first_of_next_month(day: date) -> date:
    """The 1st of the month after ``day`` (even when ``day`` is itself a 1st).

    >>> first_of_next_month(date(2021, 6, 1))
    datetime.date(2021, 7, 1)
    """
    return add_months(day.replace(day=1), 1)


def whole_years(start: date, end: date) -> tuple[int, int]:
    """Split ``[start, end)`` into whole years counted from ``start`` and the leftover days.

    DOMAIN.md §4: a stretch 20 Dec → 20 Dec spans one whole year, whatever its number of days.

    >>> whole_years(date(2019, 12, 20), date(2020, 12, 20))  # 366 days, still one year
    (1, 0)
    >>> whole_years(date(2019, 12, 20), date(2021, 1, 1))
    (1, 12)
    """
    if end <= start:
        return 0, 0
    years = end.year - start.year
    # Step back while the anniversary lands after ``end`` (at most twice, for month-day order).
    while years > 0 and add_years(start, years) > end:
        years -= 1
    return years, days_between(add_years(start, years), end)


def day_weight(start: date, end: date, basis: Basis) -> int:
    """The stretch ``[start, end)`` measured in 1/360 years, the unit interest is computed in.

    - ``pboc``: whole years count 360 each (principal × rate × years), leftover days count 1 each;
      use it only for a stretch whose principal and payer stay the same (DOMAIN.md §4).
    - ``actual_360`` (积数计息): every calendar day counts 1, so a full year is 365 (or 366).

    Worked example: 20 Dec 2019 → 20 Dec 2020 is 360 under ``pboc`` and 366 under ``actual_360``.

    >>> day_weight(date(2019, 12, 20), date(2020, 12, 20), "pboc")
    360
    >>> day_weight(date(2019, 12, 20), date(2020, 12, 20), "actual_360")
    366
    """
    if end <= start:
        return 0
    if basis == "pboc":
        years, leftover = whole_years(start, end)
        return years * DAYS_PER_YEAR + leftover
    if basis == "actual_360":
        return days_between(start, end)
    raise ValueError(f"unknown day-count basis {basis!r}")


@dataclass(frozen=True, order=True)
class MonthDay:
    """A recurring calendar day such as the settlement day 12-20 (结息日 每年12月20日)."""

    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"月份应在 1–12 之间：{self.month}")
        # 29 Feb recurs only in leap years, so it cannot be a yearly settlement day.
        last = calendar.monthrange(2001, self.month)[1]
        if not 1 <= self.day <= last:
            raise ValueError(f"{self.month} 月没有第 {self.day} 日（每年都出现的日子才能作结息日）")

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """Read ``"MM-DD"``.

        >>> MonthDay.parse("12-20")
        MonthDay(month=12, day=20)
        """
        parts = text.strip().split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise ValueError(f"月日应写成 MM-DD（如 12-20）：{text!r}")
        return cls(int(parts[0]), int(parts[1]))

    def in_year(self, year: int) -> date:
        return date(year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


def next_occurrence(after: date, month_day: MonthDay) -> date:
    """The first date strictly after ``after`` falling on ``month_day``.

    >>> next_occurrence(date(2019, 12, 20), MonthDay(12, 20))
    datetime.date(2020, 12, 20)
    """
    candidate = month_day.in_year(after.year)
    return candidate if candidate > after else month_day.in_year(after.year + 1)
