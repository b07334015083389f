"""Settlement dates and the principal plan (还款计划).

DOMAIN.md §4 Settlement and Principal plan; seeds [003] 第十九条 (settlement 20 Dec each year) and
[001 附件四] (a fixed yearly repayment day). The maturity date is the last settlement and all
principal still outstanding falls due on it, even when it is not on the usual month-day (the final
year's settlement is 20 Sep under the newer policy).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from xuedai.core.daycount import MonthDay, next_occurrence
from xuedai.core.money import ZERO, format_money, round_fen

DEFAULT_SETTLEMENT_DAY = MonthDay(12, 20)


@dataclass(frozen=True, order=True)
class Instalment:
    """Principal falling due on a settlement date."""

    due: date
    amount: Decimal


class PlanError(ValueError):
    """A principal plan the contract cannot carry; ``index`` names the offending instalment (if one)."""

    def __init__(self, message_zh: str, index: int | None = None, part: str | None = None) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.index = index
        self.part = part  # "due" or "amount" when one field of one instalment is wrong


def settlement_dates(
    disbursed_on: date, maturity: date, month_day: MonthDay = DEFAULT_SETTLEMENT_DAY
) -> list[date]:
    """Every settlement date of a contract: each ``month_day`` after disbursement, then maturity.

    A settlement on the disbursement day itself would settle nothing, so it is skipped.

    Worked example: disbursed 1 Sep 2018, maturity 20 Sep 2021, settlement 12-20 →
    20 Dec 2018, 20 Dec 2019, 20 Dec 2020, 20 Sep 2021.

    >>> settlement_dates(date(2018, 9, 1), date(2021, 9, 20))[-2:]
    [datetime.date(2020, 12, 20), datetime.date(2021, 9, 20)]
    """
    if maturity <= disbursed_on:
        raise ValueError("到期日必须晚于放款日")
    dates: list[date] = []
    current = next_occurrence(disbursed_on, month_day)
    while current < maturity:
        dates.append(current)
        current = next_occurrence(current, month_day)
    dates.append(maturity)
    return dates


def first_settlement_after(day: date, dates: Sequence[date]) -> date | None:
    """The first settlement date strictly after ``day`` (None if there is none)."""
    return next((d for d in dates if d > day), None)


def default_principal_plan(principal: Decimal, first_due: date, dates: Sequence[date]) -> list[Instalment]:
    """Equal yearly principal in whole yuan from ``first_due`` to maturity, remainder last.

    DOMAIN.md §4 Principal plan. ``dates`` are the contract's settlement dates (maturity last);
    the instalments fall on those on or after ``first_due``. A share that rounds down to 0 yuan is
    left out (a tiny loan simply falls due later).

    Worked example: 6000 yuan from 20 Dec 2021 to 20 Dec 2024 → 1500 × 4;
    1000 yuan over 3 dates → 333, 333, 334.

    >>> [str(i.amount) for i in default_principal_plan(Decimal(1000), date(2021, 12, 20),
    ...     [date(2020, 12, 20), date(2021, 12, 20), date(2022, 12, 20), date(2023, 12, 20)])]
    ['333', '333', '334']
    """
    if principal <= 0:
        raise PlanError("本金必须大于 0")
    dues = [d for d in dates if d >= first_due]
    if not dues:
        raise PlanError(f"首次还本日 {first_due.isoformat()} 晚于到期日，没有可用的结息日")
    # Whole yuan: floor of the share, which is exact on a Decimal (no rounding of money involved).
    share = (principal / len(dues)).to_integral_value(rounding=ROUND_FLOOR)
    plan = [Instalment(d, share) for d in dues[:-1] if share > 0]
    plan.append(Instalment(dues[-1], principal - share * (len(dues) - 1)))
    return plan


def validate_plan(
    plan: Sequence[Instalment], principal: Decimal, dates: Sequence[date], first_allowed: date | None = None
) -> list[Instalment]:
    """Check a chosen plan (还款计划变更) against the term; return it sorted by date.

    DOMAIN.md §4 Principal plan: the borrower may choose another plan within the term. Each
    instalment must fall on a settlement date no earlier than ``first_allowed`` and no later than
    maturity, be positive with at most two decimals, appear once per date, and the instalments must
    add up to the principal. The first problem found raises :class:`PlanError`.

    Worked example: 6000 yuan as 2000 on 20 Dec 2022 and 4000 on 20 Dec 2024 is valid;
    2000 + 3000 is refused ("合计 5000.00 元，与本金 6000.00 元不符").
    """
    valid_dates = set(dates)
    maturity = dates[-1]
    seen: dict[date, int] = {}
    total = ZERO
    for index, item in enumerate(plan):
        where = f"第 {index + 1} 期（{item.due.isoformat()}）"
        if item.due > maturity:
            raise PlanError(f"{where}晚于到期日 {maturity.isoformat()}", index, "due")
        if first_allowed is not None and item.due < first_allowed:
            raise PlanError(f"{where}早于允许的首次还本日 {first_allowed.isoformat()}", index, "due")
        if item.due not in valid_dates:
            raise PlanError(f"{where}不是结息日（本金只能在结息日或到期日偿还）", index, "due")
        if item.due in seen:
            raise PlanError(f"{where}与第 {seen[item.due] + 1} 期日期重复", index, "due")
        seen[item.due] = index
        if item.amount <= 0:
            raise PlanError(f"{where}金额必须大于 0", index, "amount")
        if item.amount != round_fen(item.amount):
            raise PlanError(f"{where}金额最多两位小数", index, "amount")
        total += item.amount
    if total != principal:
        raise PlanError(f"还款计划合计 {format_money(total)} 元，与本金 {format_money(principal)} 元不符")
    return sorted(plan)


def principal_due_on(day: date, plan: Sequence[Instalment], maturity: date, not_yet_due: Decimal) -> Decimal:
    """Principal falling due on ``day``: the plan's instalment, or everything left at maturity.

    ``not_yet_due`` is the principal outstanding that has not fallen due before ``day``; the result
    never exceeds it (an early repayment may have eaten into later instalments).

    >>> principal_due_on(date(2024, 12, 20), [], date(2024, 12, 20), Decimal(1500))
    Decimal('1500')
    """
    if day == maturity:
        return not_yet_due
    planned = sum((i.amount for i in plan if i.due == day), ZERO)
    return min(planned, not_yet_due)
