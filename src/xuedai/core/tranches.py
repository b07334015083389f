"""Staged disbursement: a loan paid out in tranches, interest only on what has been paid out.

DOMAIN.md §3.2: campus living expenses go to the student's account on a schedule, never in February
or August; §3.3: a commercial loan "may be disbursed at once or in tranches". Interest starts on the
day money is paid out ([003 第十七条]), so each tranche raises the normal-interest base from its day
on and breaks the stretch like any change of principal (DOMAIN.md §4 Day count).

The schedule itself is origination's (``origination.campus.rules.living_schedule``: the 10th of
each month to July, never February or August; ``origination.commercial.services.tranche_plan``);
the engine (``core.engine``) walks ``LoanTerms.tranches``.

Worked example (tests/core/test_core_tranches.py): 10000 at 3.6 %, 6000 paid out on 1 Sep 2024 and
4000 on 1 Nov: 20 Dec 2024 settles 6000 × 3.6 % × 61/360 + 10000 × 3.6 % × 49/360 = 36.60 + 49.00
= 85.60, rounded once (a lump sum would earn 110.00).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from .money import ZERO


@dataclass(frozen=True)
class Tranche:
    """``amount`` paid out on ``on``."""

    on: date
    amount: Decimal

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError("分次发放金额必须大于 0")


def check_tranches(tranches: tuple[Tranche, ...], principal: Decimal, disbursed_on: date,
                   maturity: date) -> None:
    """The first tranche on or after the disbursement day (a campus loan with no fees pays its first
    living expenses a little later); dates strictly ascending, before maturity; the tranches add up
    to the principal."""
    if not tranches:
        return
    if tranches[0].on < disbursed_on:
        raise ValueError("第一次发放日不能早于放款日")
    if any(b.on <= a.on for a, b in pairwise(tranches)):
        raise ValueError("分次发放日期须严格递增")
    if tranches[-1].on >= maturity:
        raise ValueError("分次发放日期须早于到期日")
    if sum((t.amount for t in tranches), ZERO) != principal:
        raise ValueError("分次发放金额合计须等于本金")
