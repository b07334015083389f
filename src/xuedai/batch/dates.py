"""Calendar arithmetic on day-number columns (int64 days since 1970-01-01).

Mirrors :mod:`xuedai.core.daycount` column-wise. NumPy's ``datetime64`` casts cost ~35 ns a row, so
the calendar fields come from lookup tables built once (with those casts) for every day of
1900–2199: a gather is a few ns and stays in cache (the tables are ~2 MB). A day outside that range
raises :class:`~xuedai.batch.exact.KernelRangeError` (route the row to the scalar core).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from xuedai.batch.exact import DAYS_PER_YEAR, EPOCH_ORDINAL, KernelRangeError

FIRST_YEAR, LAST_YEAR = 1900, 2199
BASE = dt.date(FIRST_YEAR, 1, 1).toordinal() - EPOCH_ORDINAL  # day number of the first table row
SPAN = dt.date(LAST_YEAR + 1, 1, 1).toordinal() - dt.date(FIRST_YEAR, 1, 1).toordinal()
KEYS = 13 * 32  # month-day key = month × 32 + day, ordered like the dates within a year
FEB_29 = 2 * 32 + 29


@cache
def _tables() -> dict[str, np.ndarray]:
    day = np.arange(BASE, BASE + SPAN, dtype=np.int64)
    month_idx = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    first = month_idx.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    year, month, dom = month_idx // 12 + 1970, month_idx % 12 + 1, day - first + 1
    # anniversary[year offset, key]: the day number of that month-day in that year, 29 Feb → 28 Feb
    # in a common year (core.daycount.add_years). Keys that are not dates stay 0 (never looked up).
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    anniversary = np.zeros((len(years), KEYS), dtype=np.int64)
    row_of_year = np.searchsorted(year, years)  # first day of each year
    key = month * 32 + dom
    for offset in range(366):  # fill per day-of-year position: 366 vector assignments
        rows = row_of_year + offset
        ok = (rows < SPAN) & (year[np.minimum(rows, SPAN - 1)] == years)
        anniversary[np.flatnonzero(ok), key[rows[ok]]] = day[rows[ok]]
    common = ~((years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0)))
    anniversary[common, FEB_29] = anniversary[common, FEB_29 - 1]
    return {
        # int32 halves the tables' cache footprint; every product formed from them stays < 2³¹.
        "year": year.astype(np.int32), "month": month.astype(np.int32), "dom": dom.astype(np.int32),
        "month_idx": month_idx.astype(np.int32), "key": key.astype(np.int32),
        "anniversary": anniversary.ravel().astype(np.int32),
        "month_first": np.unique(first),  # day number of the 1st of each month, by month index
        "month_first_idx": int(month_idx[0]),
    }


@cache
def weights_to(on: int) -> np.ndarray:
    """``pboc_weight(x, on)`` for every day x of the table up to ``on`` (row ``x − BASE``): a settlement
    batch has one end date, so each stretch ending there costs one gather."""
    return pboc_weight(np.arange(BASE, on + 1, dtype=np.int64), np.int64(on)).astype(np.int32)


@cache
def month_days_through(month: int, dom: int) -> np.ndarray:
    """:func:`count_month_days_through` for every day of the table (row ``x − BASE``), for one
    month-day: counting settlement dates then costs one gather."""
    t = _tables()
    return (t["year"] + (t["key"] >= month * 32 + dom)).astype(np.int32)


def table_rows(day: np.ndarray) -> np.ndarray:
    rows = np.asarray(day, dtype=np.int64) - BASE
    if rows.size and (int(rows.min()) < 0 or int(rows.max()) >= SPAN):
        raise KernelRangeError(f"a date outside {FIRST_YEAR}–{LAST_YEAR}")
    return rows


def field(name: str, day: np.ndarray) -> np.ndarray:
    """One calendar field (``year``, ``month``, ``dom``, ``month_idx``, ``key``) of each day number."""
    return _tables()[name][table_rows(day)]


def ymd(day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month 1–12, day 1–31) of each day number."""
    rows, t = table_rows(day), _tables()
    return t["year"][rows], t["month"][rows], t["dom"][rows]


def month_index(day: np.ndarray) -> np.ndarray:
    """``(year − 1970) × 12 + month − 1``: months compare and add as integers."""
    return field("month_idx", day)


def first_of_month(month_idx: np.ndarray) -> np.ndarray:
    """Day number of the 1st of each month index."""
    t = _tables()
    return t["month_first"][np.asarray(month_idx, dtype=np.int64) - t["month_first_idx"]]


def days_in_month(month_idx: np.ndarray) -> np.ndarray:
    return first_of_month(np.asarray(month_idx) + 1) - first_of_month(month_idx)


def from_ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day number of (year, month, day); the day must exist in that month."""
    return first_of_month((np.asarray(year) - 1970) * 12 + month - 1) + day - 1


def pboc_weight(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``[start, end)`` in 1/360 years under the PBOC rule: ``core.daycount.day_weight(…, "pboc")``.

    Whole years counted from ``start`` (``core.daycount.whole_years``) count 360 each, leftover days
    1 each. The anniversary in ``end``'s year (29 Feb → 28 Feb in a common year, as
    ``core.daycount.add_years`` clamps) is on or before ``end`` (that many years) or after it (one
    fewer: the anniversary a year earlier is always before ``end``), so one comparison replaces the
    core's step-back loop. Empty or reversed stretches weigh 0.

    Worked example: 20 Dec 2019 → 20 Dec 2020 is 360 (366 days); 20 Dec 2019 → 1 Jan 2021 is 372.
    """
    start_rows, end_rows, t = table_rows(start), table_rows(end), _tables()
    year, anniversaries = t["year"], t["anniversary"]
    start_year, start_key, end_year = year[start_rows], t["key"][start_rows], year[end_rows]
    end_day = end_rows + BASE
    in_end_year = anniversaries[(end_year - FIRST_YEAR) * KEYS + start_key]
    after_end = in_end_year > end_day
    years = end_year - start_year - after_end
    year_before = np.maximum(end_year - 1 - FIRST_YEAR, 0)
    anniversary = np.where(after_end, anniversaries[year_before * KEYS + start_key], in_end_year)
    weight = years * DAYS_PER_YEAR + (end_day - anniversary)
    return np.where(end_rows > start_rows, weight, 0)


def actual_weight(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``[start, end)`` in days (算头不算尾): ``core.daycount.day_weight(…, "actual_360")``."""
    return np.maximum(np.asarray(end, dtype=np.int64) - np.asarray(start, dtype=np.int64), 0)


def count_month_days_through(day: np.ndarray, month: np.ndarray | int, dom: np.ndarray | int) -> np.ndarray:
    """How many dates falling on (``month``, ``dom``) lie on or before ``day``, counted from 1900.

    ``C(b) − C(a)`` is the number of such dates in ``(a, b]`` — how settlement dates are counted
    without listing them (``core.schedule.settlement_dates``).
    """
    rows = table_rows(day)
    if np.ndim(month) == 0 and np.ndim(dom) == 0:
        return month_days_through(int(month), int(dom))[rows]
    t = _tables()
    return t["year"][rows] + (t["key"][rows] >= np.asarray(month) * 32 + dom)


def is_month_day(day: np.ndarray, month: np.ndarray | int, dom: np.ndarray | int) -> np.ndarray:
    return field("key", day) == np.asarray(month) * 32 + dom
