"""Early repayment (提前还款): when an application is deducted.

DOMAIN.md §1 (early repayment row) and §4 Early repayment; seeds [001] 三 (1月-10月的每月10日前 …
支付宝每月20日左右进行扣款) and [003 第二十二条] (interest by the actual term, no other fee — the
interest itself is computed by :mod:`xuedai.core.engine`, which settles interest to the deduction
day). A failed deduction needs a new application; that is the caller's business.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from xuedai.core.daycount import add_months

EarlyRepaymentRules = Literal["policy", "seed"]
EARLY_REPAYMENT_RULES: tuple[EarlyRepaymentRules, ...] = ("policy", "seed")

DEDUCTION_DAY = 20
NO_DEDUCTION_MONTH = 11  # 20 Nov carries no deduction run (DOMAIN.md §1, §8)


def early_repayment_deduction_date(applied_on: date, rules: EarlyRepaymentRules) -> date | None:
    """The day an early-repayment application made on ``applied_on`` is deducted; None if refused.

    ``policy`` (newer notices): apply by the 15th → deducted on the 20th of that month (Jan–Sep,
    Dec); Oct 1–15 → 20 Oct; Oct 16 – Nov 30 → 20 Dec. The notices do not say what happens to an
    application after the 15th of another month; we read the windows as back to back, so it goes to
    the next deduction (16–30 Sep → 20 Oct, 16–31 Dec → 20 Jan).

    ``seed`` [001]: apply in Jan–Oct by the 10th (10日前, read inclusively like the policy's "by the
    15th") → deducted the 20th of that month; any other day is outside the window and refused.

    Worked examples: 15 Mar 2024 → 20 Mar (policy); 16 Oct 2024 → 20 Dec (policy);
    10 Mar 2024 → 20 Mar (seed); 11 Mar 2024 → None (seed).

    >>> early_repayment_deduction_date(date(2024, 10, 16), "policy")
    datetime.date(2024, 12, 20)
    """
    if rules == "seed":
        if applied_on.month <= 10 and applied_on.day <= 10:
            return applied_on.replace(day=DEDUCTION_DAY)
        return None
    if rules == "policy":
        month_start = applied_on.replace(day=1)
        candidate = month_start if applied_on.day <= 15 else add_months(month_start, 1)
        if candidate.month == NO_DEDUCTION_MONTH:
            candidate = add_months(candidate, 1)
        return candidate.replace(day=DEDUCTION_DAY)
    raise ValueError(f"unknown early-repayment rules {rules!r}")
