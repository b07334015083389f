"""Five-tier classification (五级分类) over a portfolio, from each contract's oldest unpaid due date.

Mirrors ``core.classification.grade_seed`` and ``grade_2023`` (DOMAIN.md §4 Classification, §6;
seed [004] 第七条). Grades are returned as int8 ranks, 0 正常 … 4 损失 (``Grade.rank``);
:data:`GRADES` maps a rank back to ``core.classification.Grade``.

The seed rule counts calendar months from D with month-end clamping (``core.daycount.add_months``).
Vectorised through the month index ``year × 12 + month − 1``:

- ``as_of ≤ add_months(D, k)`` ⇔ ``m(as_of) < m(D) + k``, or the same month and
  ``day(as_of) ≤ day(D)`` — when D's day is clamped to the month end, every day of that month
  satisfies both sides, so no clamp is needed;
- ``as_of < add_months(D, k)`` ⇔ ``m(as_of) < m(D) + k``, or the same month and
  ``day(as_of) < min(day(D), days in that month)`` — here the clamp matters (D = 29 Feb 2020:
  28 Feb 2021 is D + 1 year, so 损失).
"""

from __future__ import annotations

import numpy as np

from xuedai.batch.dates import days_in_month, month_index, ymd
from xuedai.batch.exact import NO_DATE
from xuedai.core.classification import Grade

GRADES: tuple[Grade, ...] = tuple(Grade)  # rank → Grade
NORMAL, SPECIAL_MENTION, SUBSTANDARD, DOUBTFUL, LOSS = range(5)


def _flags(flag: np.ndarray | None, n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool) if flag is None else np.asarray(flag, dtype=bool)


def grade_seed(
    oldest_unpaid_due: np.ndarray,
    as_of: int,
    *,
    needs_collection: np.ndarray | None = None,
    unrecoverable: np.ndarray | None = None,
) -> np.ndarray:
    """Seed-rule ranks (int8): ``core.classification.grade_seed`` column-wise.

    Worked example, D = 20 Dec 2020: 20 Jun 2021 次级 (exactly 6 months), 21 Jun 2021 可疑,
    20 Dec 2021 损失.
    """
    due = np.asarray(oldest_unpaid_due, dtype=np.int64)
    n = len(due)
    overdue = (due != NO_DATE) & (as_of > due)
    due = np.where(overdue, due, as_of)  # keep the calendar casts in range for "no date"
    _, _, due_day = ymd(due)
    due_month = month_index(due)
    as_of_month = int(month_index(np.array([as_of]))[0])
    as_of_day = int(ymd(np.array([as_of]))[2][0])
    within_6 = (as_of_month < due_month + 6) | ((as_of_month == due_month + 6) & (as_of_day <= due_day))
    month_len = int(days_in_month(np.array([as_of_month]))[0])
    within_year = (as_of_month < due_month + 12) | (
        (as_of_month == due_month + 12) & (as_of_day < np.minimum(due_day, month_len))
    )
    rank = np.where(within_6, SUBSTANDARD, np.where(within_year, DOUBTFUL, LOSS))
    rank = np.where(overdue, rank, np.where(_flags(needs_collection, n), SPECIAL_MENTION, NORMAL))
    return np.where(_flags(unrecoverable, n), LOSS, rank).astype(np.int8)


def grade_2023(
    oldest_unpaid_due: np.ndarray, as_of: int, *, unrecoverable: np.ndarray | None = None
) -> np.ndarray:
    """2023-rule ranks (int8): ``core.classification.grade_2023``: 0 days 正常, 1–90 关注,
    91–270 次级, 271–360 可疑, more than 360 损失."""
    due = np.asarray(oldest_unpaid_due, dtype=np.int64)
    days = np.where(due == NO_DATE, 0, as_of - due)
    rank = (days > 0).astype(np.int8) + (days > 90) + (days > 270) + (days > 360)
    return np.where(_flags(unrecoverable, len(due)), LOSS, rank).astype(np.int8)


def grade_counts(rank: np.ndarray) -> dict[Grade, int]:
    """How many contracts in each grade (the 资产质量分类认定表 headline)."""
    counts = np.bincount(rank, minlength=5)
    return {grade: int(counts[i]) for i, grade in enumerate(GRADES)}
