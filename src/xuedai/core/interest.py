"""Interest on a stretch, kept exact until it is charged.

DOMAIN.md §4 Day count and Rounding; seed [003] 第十七条 (interest from the day of disbursement),
第十九条 (settled yearly on 20 Dec). Interest is computed exactly and rounded half-up to the fen once
per contract per settlement, separately for the state's share (贴息) and the borrower's.

Exactness: an amount of interest is held as an :class:`Accrual`, i.e. ``principal × rate × weight``
where ``weight`` counts 1/360 years (see :func:`xuedai.core.daycount.day_weight`). Those products of
finite decimals are exact; the single division by 360 happens when the accrual is rounded, so sums
of many stretches never pick up a division error that could tip a half-fen the wrong way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from xuedai.core.daycount import DAYS_PER_YEAR, Basis, day_weight
from xuedai.core.money import round_fen

# Enough digits that principal × rate × weight is exact for any student loan (and far beyond).
_EXACT_DIGITS = 60


def _exact_product(*factors: Decimal | int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _EXACT_DIGITS
        result = Decimal(1)
        for factor in factors:
            result = result * factor
        return result


@dataclass(frozen=True)
class Accrual:
    """Unrounded interest, stored as yuan × annual rate × (1/360-year units).

    >>> (Accrual.on(Decimal("6000"), Decimal("0.0565"), 110)).rounded()
    Decimal('103.58')
    """

    weighted: Decimal = Decimal(0)

    @classmethod
    def on(cls, amount: Decimal, annual_rate: Decimal, weight: int) -> Accrual:
        return cls(_exact_product(amount, annual_rate, weight))

    def __add__(self, other: Accrual) -> Accrual:
        with localcontext() as ctx:
            ctx.prec = _EXACT_DIGITS
            return Accrual(self.weighted + other.weighted)

    def exact(self) -> Decimal:
        """The interest in yuan, to 60 significant digits (for display and tests, not for charging)."""
        with localcontext() as ctx:
            ctx.prec = _EXACT_DIGITS
            return self.weighted / DAYS_PER_YEAR

    def rounded(self) -> Decimal:
        """The interest charged: half-up to the fen, once (DOMAIN.md §4 Rounding)."""
        return round_fen(self.exact())


def stretch_accrual(
    principal: Decimal, annual_rate: Decimal, start: date, end: date, basis: Basis
) -> Accrual:
    """Interest on ``principal`` over ``[start, end)`` with principal and payer unchanged.

    DOMAIN.md §4: under ``pboc`` a stretch spanning whole years from its start earns
    principal × rate × years plus leftover days × rate / 360; otherwise principal × rate × days / 360.
    Under ``actual_360`` every day earns balance × rate / 360.

    Worked example (the published one): 6000 yuan at 5.65% from 1 Sep 2019 to 20 Dec 2019 is
    6000 × 0.0565 × 110 / 360 = 103.583… → 103.58; 20 Dec 2019 → 20 Dec 2020 is 339.00 under
    ``pboc`` and 6000 × 0.0565 × 366 / 360 = 344.65 under ``actual_360``.

    >>> year = (date(2019, 12, 20), date(2020, 12, 20))
    >>> stretch_accrual(Decimal(6000), Decimal("0.0565"), *year, "pboc").rounded()
    Decimal('339.00')
    """
    if principal < 0 or annual_rate < 0:
        raise ValueError("principal and rate must not be negative")
    return Accrual.on(principal, annual_rate, day_weight(start, end, basis))


def stretch_interest(
    principal: Decimal, annual_rate: Decimal, start: date, end: date, basis: Basis
) -> Decimal:
    """:func:`stretch_accrual` rounded to the fen, for a stretch charged on its own.

    >>> stretch_interest(Decimal(6000), Decimal("0.0565"), date(2018, 12, 20), date(2019, 9, 1), "pboc")
    Decimal('240.13')
    """
    return stretch_accrual(principal, annual_rate, start, end, basis).rounded()
