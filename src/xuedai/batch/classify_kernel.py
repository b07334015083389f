"""Five-tier classification (五级分类) over a portfolio, from each contract's oldest unpaid due date.

Mirrors ``core.classification.grade_seed`` and ``grade_2023`` (DOMAIN.md §4 Classification, §6;
seed [004] 第七条). Grades are returned as int8 ranks, 0 正常 … 4 损失 (``Grade.rank``);
:data:`GRADES` maps a rank back to ``core.classification.Grade``.

The seed rule counts calendar months from D with month-end clamping (``core.daycount.add_months``).
For one as-of day it reduces to two threshold days (:func:`seed_thresholds`); for a column of
as-of days it is vectorised through the month index ``year × 12 + month − 1``:

- ``as_of ≤ add_months(D, k)`` ⇔ ``m(as_of) < m(D) + k``, or the same month and
  ``day(as_of) ≤ day(D)`` — when D's day is clamped to the month end, every day of that month
  satisfies both sides, so no clamp is needed;
- ``as_of < add_months(D, k)`` ⇔ ``m(as_of) < m(D) + k``, or the same month and
  ``day(as_of) < min(day(D), days in that month)`` — here the clamp matters (D = 29 Feb 2020:
  28 Feb 2021 is D + 1 year, so 损失).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from xuedai.batch.dates import days_in_month, field, month_index
from xuedai.batch.exact import NO_DATE, to_date
from xuedai.batch.exact import day as exact_day
from xuedai.core.classification import Grade
from xuedai.core.daycount import add_months, add_years

GRADES: tuple[Grade, ...] = tuple(Grade)  # rank → Grade
NORMAL, SPECIAL_MENTION, SUBSTANDARD, DOUBTFUL, LOSS = range(5)


def _flags(flag: np.ndarray | None, n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool) if flag is None else np.asarray(flag, dtype=bool)


def seed_thresholds(as_of: int) -> tuple[int, int]:
    """For a fixed as-of day: (the earliest D still 次级, the latest D already 损失).

    ``add_months(D, k)`` never decreases as D grows, so "as_of ≤ D + 6 months" holds exactly for D
    from some day on, and "as_of ≥ D + 1 year" exactly up to some day. Both days are found with the
    core's own ``add_months`` / ``add_years``, so the boundary is the core's by construction.
    """
    day = to_date(as_of)
    assert day is not None
    first_substandard = day - timedelta(days=200)  # + 6 months is still before as_of
    while not day <= add_months(first_substandard, 6):
        first_substandard += timedelta(days=1)
    last_loss = day - timedelta(days=340)  # + 1 year is still after as_of
    while not add_years(last_loss, 1) <= day:
        last_loss -= timedelta(days=1)
    return exact_day(first_substandard), exact_day(last_loss)


def grade_seed(
    oldest_unpaid_due: np.ndarray,
    as_of: int | np.ndarray,
    *,
    needs_collection: np.ndarray | None = None,
    unrecoverable: np.ndarray | None = None,
) -> np.ndarray:
    """Seed-rule ranks (int8): ``core.classification.grade_seed`` column-wise.

    One as-of day (a quarter end): three comparisons of D with :func:`seed_thresholds`. An as-of
    column: the month-index comparisons of the module doc.
    Worked example, D = 20 Dec 2020: 20 Jun 2021 次级 (exactly 6 months), 21 Jun 2021 可疑,
    20 Dec 2021 损失.
    """
    due = np.asarray(oldest_unpaid_due, dtype=np.int64)
    n = len(due)
    overdue = (due != NO_DATE) & (due < as_of)
    if np.ndim(as_of) == 0:
        first_substandard, last_loss = seed_thresholds(int(as_of))
        rank = SUBSTANDARD + (due < first_substandard) + (due <= last_loss)
    else:
        rank = _seed_by_months(np.where(overdue, due, as_of), np.asarray(as_of, dtype=np.int64))
    rank = np.where(overdue, rank, np.where(_flags(needs_collection, n), SPECIAL_MENTION, NORMAL))
    return np.where(_flags(unrecoverable, n), LOSS, rank).astype(np.int8)


def _seed_by_months(due: np.ndarray, as_of: np.ndarray) -> np.ndarray:
    """Overdue ranks (2–4) by calendar months, for a per-contract as-of day (module doc)."""
    due_month, due_day = month_index(due), field("dom", due)
    as_of_month, as_of_day = month_index(as_of), field("dom", as_of)
    within_6 = (as_of_month < due_month + 6) | ((as_of_month == due_month + 6) & (as_of_day <= due_day))
    month_len = days_in_month(as_of_month)
    within_year = (as_of_month < due_month + 12) | (
        (as_of_month == due_month + 12) & (as_of_day < np.minimum(due_day, month_len))
    )
    return np.where(within_6, SUBSTANDARD, np.where(within_year, DOUBTFUL, LOSS))


def grade_2023(
    oldest_unpaid_due: np.ndarray, as_of: int | np.ndarray, *, unrecoverable: np.ndarray | None = None
) -> np.ndarray:
    """2023-rule ranks (int8): ``core.classification.grade_2023``: 0 days 正常, 1–90 关注,
    91–270 次级, 271–360 可疑, more than 360 损失."""
    due = np.asarray(oldest_unpaid_due, dtype=np.int64)
    days = np.where(due == NO_DATE, 0, np.asarray(as_of) - due)
    rank = (days > 0).astype(np.int8) + (days > 90) + (days > 270) + (days > 360)
    return np.where(_flags(unrecoverable, len(due)), LOSS, rank).astype(np.int8)


def grade_counts(rank: np.ndarray) -> dict[Grade, int]:
    """How many contracts in each grade (the 资产质量分类认定表 headline)."""
    counts = np.bincount(rank, minlength=5)
    return {grade: int(counts[i]) for i, grade in enumerate(GRADES)}
