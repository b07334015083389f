"""Five-tier classification (五级分类) of one contract.

DOMAIN.md §4 Classification and §6; seed [004] 第七条. The grade depends on the oldest unpaid due
date D of the contract (principal or interest, 贷款（含利息）逾期) and the as-of date.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from xuedai.core.daycount import add_months, add_years
from xuedai.core.overdue import overdue_days

GradeRule = Literal["seed", "2023"]


class Grade(StrEnum):
    """The five tiers, best first; ``label_zh`` is the word on every report."""

    NORMAL = "normal"
    SPECIAL_MENTION = "special_mention"
    SUBSTANDARD = "substandard"
    DOUBTFUL = "doubtful"
    LOSS = "loss"

    @property
    def label_zh(self) -> str:
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """0 (正常) … 4 (损失): a higher rank is a worse grade."""
        return list(Grade).index(self)

    @property
    def non_performing(self) -> bool:
        """次级 + 可疑 + 损失 = 不良 (DOMAIN.md §6)."""
        return self.rank >= Grade.SUBSTANDARD.rank


_LABELS = {
    Grade.NORMAL: "正常",
    Grade.SPECIAL_MENTION: "关注",
    Grade.SUBSTANDARD: "次级",
    Grade.DOUBTFUL: "可疑",
    Grade.LOSS: "损失",
}


def grade_seed(
    oldest_unpaid_due: date | None,
    as_of: date,
    *,
    needs_collection: bool = False,
    unrecoverable: bool = False,
) -> Grade:
    """Grade under seed [004] 第七条.

    - 正常: not overdue; 关注: not overdue, but only repaying after collection or other measures
      (a judgement the caller passes as ``needs_collection``);
    - 次级: overdue up to 6 months, inclusive (逾期6个月（含）以内);
    - 可疑: overdue more than 6 months, up to 1 year (6个月以上至1年);
    - 损失: overdue 1 year or more (逾期1年（含）以上), or unrecoverable after recovery measures or
      the borrower has died (``unrecoverable``).

    Boundary chosen: months are calendar months counted from D (D + 6 months, month-end clamped).
    Overdue on as_of ≤ D + 6 months → 次级; up to the day before D + 1 year → 可疑; from D + 1 year
    (the full year reached, "1年（含）") → 损失. 第七条 says both "6个月以上至1年" (可疑) and
    "1年（含）以上" (损失); the inclusive mark on 损失 wins the shared day.

    Worked example, D = 20 Dec 2020: 21 Dec 2020 次级 (1 day); 20 Jun 2021 次级 (exactly 6 months);
    21 Jun 2021 可疑; 19 Dec 2021 可疑; 20 Dec 2021 损失.

    >>> [grade_seed(date(2020, 12, 20), d).label_zh for d in (date(2021, 6, 20), date(2021, 6, 21))]
    ['次级', '可疑']
    """
    if unrecoverable:
        return Grade.LOSS
    if oldest_unpaid_due is None or overdue_days(oldest_unpaid_due, as_of) == 0:
        return Grade.SPECIAL_MENTION if needs_collection else Grade.NORMAL
    if as_of <= add_months(oldest_unpaid_due, 6):
        return Grade.SUBSTANDARD
    if as_of < add_years(oldest_unpaid_due, 1):
        return Grade.DOUBTFUL
    return Grade.LOSS


def grade_2023_for_days(days_overdue: int) -> Grade:
    """Grade under the 2023 rule (in force 1 July 2023, DOMAIN.md §6) from the days overdue.

    0 正常; 1–90 关注; 91–270 次级; 271–360 可疑; more than 360 损失.

    >>> [grade_2023_for_days(n).label_zh for n in (0, 1, 90, 91, 270, 271, 360, 361)]
    ['正常', '关注', '关注', '次级', '次级', '可疑', '可疑', '损失']
    """
    if days_overdue <= 0:
        return Grade.NORMAL
    if days_overdue <= 90:
        return Grade.SPECIAL_MENTION
    if days_overdue <= 270:
        return Grade.SUBSTANDARD
    if days_overdue <= 360:
        return Grade.DOUBTFUL
    return Grade.LOSS


def grade_2023(oldest_unpaid_due: date | None, as_of: date, *, unrecoverable: bool = False) -> Grade:
    """Grade under the 2023 rule from the oldest unpaid due date (see :func:`grade_2023_for_days`).

    Worked example, D = 20 Dec 2020: 20 Mar 2021 is 90 days → 关注; 21 Mar 2021 → 次级.
    """
    if unrecoverable:
        return Grade.LOSS
    if oldest_unpaid_due is None:
        return Grade.NORMAL
    return grade_2023_for_days(overdue_days(oldest_unpaid_due, as_of))


def grade(rule: GradeRule, oldest_unpaid_due: date | None, as_of: date) -> Grade:
    """Grade under the named rule; which rule a report uses is policy, passed in by the caller."""
    if rule == "seed":
        return grade_seed(oldest_unpaid_due, as_of)
    if rule == "2023":
        return grade_2023(oldest_unpaid_due, as_of)
    raise ValueError(f"unknown classification rule {rule!r}")
