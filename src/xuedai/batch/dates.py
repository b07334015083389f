"""Calendar arithmetic on day-number columns (int64 days since 1970-01-01).

Mirrors :mod:`xuedai.core.daycount` column-wise. Calendar fields come from NumPy's ``datetime64``
casts (``[D]`` → ``[M]`` → month index ``year × 12 + month − 1``), so month and year arithmetic is
integer arithmetic on that index — no per-row Python.
"""

from __future__ import annotations

import numpy as np

from xuedai.batch.exact import DAYS_PER_YEAR


def ymd(day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month 1–12, day 1–31) of each day number."""
    day = np.asarray(day, dtype=np.int64)
    month_index = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    first = month_index.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return month_index // 12 + 1970, month_index % 12 + 1, day - first + 1


def month_index(day: np.ndarray) -> np.ndarray:
    """``(year − 1970) × 12 + month − 1`` of each day number: months compare and add as integers."""
    return np.asarray(day, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def first_of_month(month_idx: np.ndarray) -> np.ndarray:
    """Day number of the 1st of each month index."""
    return np.asarray(month_idx, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(
        np.int64
    )


def is_leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def days_in_month(month_idx: np.ndarray) -> np.ndarray:
    return first_of_month(month_idx + 1) - first_of_month(month_idx)


def from_ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day number of (year, month, day); the day must exist in that month."""
    return first_of_month((year - 1970) * 12 + month - 1) + day - 1


def pboc_weight(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``[start, end)`` in 1/360 years under the PBOC rule: mirrors ``core.daycount.day_weight(…, "pboc")``.

    Whole years counted from ``start`` (``core.daycount.whole_years``, anniversaries by
    ``add_years``: 29 Feb → 28 Feb in a common year) count 360 each; leftover days count 1 each.
    The anniversary in ``end``'s year is either on or before ``end`` (then that many years) or after
    it (one year fewer) — the anniversary a year earlier is always before ``end`` — so a single
    comparison replaces the core's step-back loop. Empty or reversed stretches weigh 0.

    Worked example: 20 Dec 2019 → 20 Dec 2020 is 360; 20 Dec 2019 → 1 Jan 2021 is 372.
    """
    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    ys, ms, ds = ymd(start)
    ye, me, de = ymd(end)
    years = ye - ys
    # Feb 29 is the only month-day that does not recur; add_years clamps it to Feb 28.
    feb29 = (ms == 2) & (ds == 29)
    anniversary_day = np.where(feb29 & ~is_leap(ye), 28, ds)
    after_end = (ms > me) | ((ms == me) & (anniversary_day > de))
    years = years - after_end
    ya = ys + years
    anniversary = from_ymd(ya, ms, np.where(feb29 & ~is_leap(ya), 28, ds))
    weight = years * DAYS_PER_YEAR + (end - anniversary)
    return np.where(end > start, weight, 0)


def actual_weight(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``[start, end)`` in days (算头不算尾): ``core.daycount.day_weight(…, "actual_360")``."""
    return np.maximum(np.asarray(end, dtype=np.int64) - np.asarray(start, dtype=np.int64), 0)


def count_month_days_through(day: np.ndarray, month: np.ndarray, dom: np.ndarray) -> np.ndarray:
    """How many dates falling on (``month``, ``dom``) lie on or before ``day``, counted from 1970.

    ``C(b) − C(a)`` is the number of such dates in ``(a, b]`` — how settlement dates are counted
    without listing them (``core.schedule.settlement_dates``).
    """
    y, m, d = ymd(day)
    return (y - 1970) + ((m > month) | ((m == month) & (d >= dom)))


def is_month_day(day: np.ndarray, month: np.ndarray, dom: np.ndarray) -> np.ndarray:
    _, m, d = ymd(day)
    return (m == month) & (d == dom)
