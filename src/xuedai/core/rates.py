"""A contract's rate schedule: the signing rate, then each change with the day it takes effect.

DOMAIN.md §1 interest rate: a contract keeps its signing rate except where a later notice applies
to existing contracts (the 2023 cut to LPR − 60 bp, which the bank applied to more than 9 million
existing borrowers) or its LPR-linked rate resets after an LPR change. Which changes a contract gets
is decided outside ``core`` (``loans.rate_schedule`` from the policy versions and the LPR history);
here a change is just ``(from, annual_rate)``: the rate in force from that day on.

DOMAIN.md §4 Day count: a rate change breaks the stretch like a change of principal or payer, so
the whole-year rule applies only where principal, payer *and* rate stay the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise


@dataclass(frozen=True, order=True)
class RateChange:
    """From ``effective_from`` on (inclusive), interest runs at ``annual_rate``."""

    effective_from: date
    annual_rate: Decimal

    def __post_init__(self) -> None:
        if self.annual_rate < 0:
            raise ValueError("调整后年利率不能为负")


def check_rate_changes(changes: Sequence[RateChange], disbursed_on: date) -> None:
    """Refuse a schedule the engine cannot read: dates strictly ascending and after disbursement.

    A change on the disbursement day itself is refused: the rate on that day is the signing rate
    by definition (a contract signed after a cut is signed at the new rate).

    >>> check_rate_changes([RateChange(date(2023, 1, 1), Decimal("0.0315"))], date(2022, 9, 10))
    """
    previous: date | None = None
    for index, change in enumerate(changes):
        if change.effective_from <= disbursed_on:
            raise ValueError(f"第 {index + 1} 次利率调整的生效日应晚于放款日 {disbursed_on.isoformat()}")
        if previous is not None and change.effective_from <= previous:
            raise ValueError(
                f"第 {index + 1} 次利率调整的生效日应晚于上一次（{previous.isoformat()}），按日期升序排列"
            )
        previous = change.effective_from


def rate_on(day: date, signing_rate: Decimal, changes: Sequence[RateChange]) -> Decimal:
    """The rate in force on ``day``: the latest change on or before it, else the signing rate.

    >>> cut = [RateChange(date(2023, 1, 1), Decimal("0.0315"))]
    >>> rate_on(date(2022, 12, 31), Decimal("0.0375"), cut), rate_on(date(2023, 1, 1), Decimal("0.0375"), cut)
    (Decimal('0.0375'), Decimal('0.0315'))
    """
    rate = signing_rate
    for change in changes:
        if change.effective_from > day:
            break
        rate = change.annual_rate
    return rate


def split_by_rate(
    start: date, end: date, signing_rate: Decimal, changes: Sequence[RateChange]
) -> list[tuple[date, date, Decimal]]:
    """Cut ``[start, end)`` where the rate changes; each piece carries the rate in force on it.

    A change to the same rate as before does not cut (the stretch stays whole, so the whole-year
    rule still applies to it).

    Worked example: 20 Dec 2022 → 20 Dec 2023 with a cut from 3.75 % to 3.15 % on
    1 Jan 2023 → 12 days at 3.75 %, then 353 days at 3.15 %.

    >>> pieces = split_by_rate(date(2022, 12, 20), date(2023, 12, 20), Decimal("0.0375"),
    ...                        [RateChange(date(2023, 1, 1), Decimal("0.0315"))])
    >>> [((e - s).days, str(r)) for s, e, r in pieces]
    [(12, '0.0375'), (353, '0.0315')]
    """
    if end <= start:
        return []
    cuts = [start, *(c.effective_from for c in changes if start < c.effective_from < end), end]
    pieces: list[tuple[date, date, Decimal]] = []
    for piece_start, piece_end in pairwise(cuts):
        rate = rate_on(piece_start, signing_rate, changes)
        if pieces and pieces[-1][2] == rate:
            pieces[-1] = (pieces[-1][0], piece_end, rate)
        else:
            pieces.append((piece_start, piece_end, rate))
    return pieces


@dataclass(frozen=True)
class RatePeriod:
    """One line of a statement: ``[start, end)`` at ``annual_rate`` (``end`` None: still running)."""

    start: date
    end: date | None
    annual_rate: Decimal


def rate_periods(
    disbursed_on: date, signing_rate: Decimal, changes: Sequence[RateChange], until: date | None = None
) -> list[RatePeriod]:
    """The contract's rate periods from disbursement, for the borrower's statement.

    >>> cut = [RateChange(date(2023, 1, 1), Decimal("0.0315"))]
    >>> [(p.start.isoformat(), p.end and p.end.isoformat(), str(p.annual_rate))
    ...  for p in rate_periods(date(2022, 9, 10), Decimal("0.0375"), cut)]
    [('2022-09-10', '2023-01-01', '0.0375'), ('2023-01-01', None, '0.0315')]
    """
    periods: list[RatePeriod] = []
    start, rate = disbursed_on, signing_rate
    for change in changes:
        if until is not None and change.effective_from > until:
            break
        if change.annual_rate == rate:
            continue
        periods.append(RatePeriod(start, change.effective_from, rate))
        start, rate = change.effective_from, change.annual_rate
    periods.append(RatePeriod(start, None, rate))
    return periods
