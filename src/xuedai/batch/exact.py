"""Exact integer arithmetic for the kernels: scales, conversions, and ``a × b / d`` rounded once.

Why integers: the core keeps interest exact as ``principal × rate × weight`` (a Decimal product,
:class:`xuedai.core.interest.Accrual`) and divides by 360 once when it rounds half-up to the fen.
A kernel that used ``float`` would tip half-fen cases the wrong way. Here an amount is ``int64`` fen,
a rate is ``int64`` units of 10⁻⁷ (:data:`RATE_SCALE`; 5.65 % → 565 000), a penalty multiplier is
``int64`` hundredths (:data:`MULT_SCALE`; 130 % → 130), and an accrual is carried as the exact pair
``(q, r)`` with value ``q + r / d`` fen, ``0 ≤ r < d``. Pairs add exactly; :func:`round_half_up`
turns one into fen the way :func:`xuedai.core.money.round_fen` does (half away from zero; all kernel
amounts are ≥ 0).

Overflow proof for :func:`muldivmod` (every array is ``int64``, 2⁶³ ≈ 9.22 × 10¹⁸):

- Inputs are bounded by :func:`check_bounds`: ``0 ≤ a < 2⁴¹`` (2.2 × 10¹² — a fen amount, or twice
  one), ``0 ≤ b < 2⁶²``, ``0 < d < 2⁴¹`` (the largest divisor is 360 × 10⁷ × 100 = 3.6 × 10¹¹ < 2³⁹).
- Fast path, used when ``max(a) × max(b) < 2⁶³`` (checked with Python integers per call): the product
  fits, so ``divmod(a × b, d)`` is exact. For a student loan (≤ 10⁷ fen, rate ≤ 2.4 × 10⁶ units,
  weight ≤ 10⁴ days) the product is ≤ 2.4 × 10¹⁷, so this is the path taken in practice.
- Slow path, otherwise: ``b = qb·d + rb`` (``rb < d < 2⁴¹``); ``a = a1·2²⁰ + a0`` (``a1 < 2²¹``,
  ``a0 < 2²⁰``); ``a1·rb < 2⁶²`` = ``s·d + t`` (``t < d < 2⁴¹``); then
  ``a·b = (a·qb + s·2²⁰)·d + (t·2²⁰ + a0·rb)`` with ``t·2²⁰ < 2⁶¹`` and ``a0·rb < 2⁶¹``, so the last
  sum is < 2⁶² and one more ``divmod`` by ``d`` finishes exactly. ``a·qb`` and ``s·2²⁰`` are parts of
  the quotient, which the caller bounds (a fen amount of interest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import numpy as np

RATE_SCALE = 10**7  # rate units per 1 (100 %): any rate with ≤ 7 decimals is exact
MULT_SCALE = 100  # penalty multiplier units per 1 (×1.3 → 130)
DAYS_PER_YEAR = 360  # xuedai.core.daycount.DAYS_PER_YEAR: the PBOC daily rate is annual / 360
NORMAL_DIVISOR = DAYS_PER_YEAR * RATE_SCALE  # fen × rate units × weight → fen × 3.6e9
PENALTY_DIVISOR = NORMAL_DIVISOR * MULT_SCALE  # fen × rate units × multiplier units × days

_A_LIMIT = 1 << 41
_B_LIMIT = 1 << 62
_INT64_LIMIT = 1 << 63
_LOW_BITS = 20
_LOW_MASK = (1 << _LOW_BITS) - 1

# Days since 1970-01-01 are the kernels' dates (datetime64[D] as int64); date.toordinal() offset:
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
NO_DATE = np.int64(2**31 - 1)  # "no date" in a day column (self-pay not started, nothing unpaid)


class KernelRangeError(ValueError):
    """An input outside the range the overflow proof covers; route such rows to the scalar core."""


def check_bounds(a: np.ndarray, b: np.ndarray, d: int) -> tuple[int, int]:
    """Refuse inputs the overflow proof does not cover; return ``(max(a), max(b))``."""
    if not 0 < d < _A_LIMIT:
        raise KernelRangeError(f"divisor {d} outside (0, 2**41)")
    if a.size == 0:
        return 0, 0
    a_min, a_max, b_min, b_max = int(a.min()), int(a.max()), int(b.min()), int(b.max())
    if a_min < 0 or a_max >= _A_LIMIT:
        raise KernelRangeError("an amount outside [0, 2**41) fen")
    if b_min < 0 or b_max >= _B_LIMIT:
        raise KernelRangeError("a rate × weight product outside [0, 2**62)")
    return a_max, b_max


def muldivmod(a: np.ndarray, b: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """``(q, r)`` with ``a × b = q·d + r``, ``0 ≤ r < d``, exactly in int64 (proof in the module doc).

    >>> q, r = muldivmod(np.array([600000]), np.array([565000 * 110]), NORMAL_DIVISOR)
    >>> int(q[0]), int(r[0])  # 6000 yuan × 5.65 % × 110 / 360 = 10358.33… fen
    (10358, 1200000000)
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    a_max, b_max = check_bounds(a, b, d)
    if a_max * b_max < _INT64_LIMIT:
        return np.divmod(a * b, d)
    qb, rb = np.divmod(b, d)
    a1, a0 = a >> _LOW_BITS, a & _LOW_MASK
    s, t = np.divmod(a1 * rb, d)
    u, r = np.divmod((t << _LOW_BITS) + a0 * rb, d)
    return a * qb + (s << _LOW_BITS) + u, r


def mul_div_round(a: np.ndarray, b: np.ndarray, d: int,
                  bounds: tuple[int, int, int] | None = None) -> np.ndarray:
    """Fen of ``a × b / d`` rounded half-up once: ``round_half_up(*muldivmod(a, b, d), d)``.

    Fast path: ``⌊(2ab + d) / 2d⌋`` is the half-up rounding of ``ab / d`` and costs one division by
    a constant (``divmod`` costs three times as much); taken when ``2·max(a)·max(b) + d < 2⁶³``.
    ``bounds`` = (max a, and two factors whose product bounds b) lets a caller who knows them skip
    the scans over ``a`` and ``b`` (all inputs must still be ≥ 0).
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if bounds is not None and 2 * bounds[0] * bounds[1] * bounds[2] + d < _INT64_LIMIT:
        return (2 * a * b + d) // (2 * d)
    a_max, b_max = check_bounds(a, b, d)
    if 2 * a_max * b_max + d < _INT64_LIMIT:
        return (2 * a * b + d) // (2 * d)
    return round_half_up(*muldivmod(a, b, d), d)


def round_half_up(q: np.ndarray, r: np.ndarray, d: int) -> np.ndarray:
    """Fen of the exact amount ``q + r/d`` (``q, r ≥ 0``), half up: core ``round_fen`` (ROUND_HALF_UP)."""
    return q + (2 * r >= d)


def normalise(q: np.ndarray, r: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Carry a summed remainder (``r`` may exceed ``d`` after adding pairs) into ``q``."""
    carry, rest = np.divmod(r, d)
    return q + carry, rest


# -- conversions at the boundary (Decimal in, Decimal out; never float) ------------------------------


def _scaled(value: Decimal, scale: int, what: str) -> int:
    scaled = Decimal(value) * scale
    if scaled != scaled.to_integral_value():
        raise KernelRangeError(f"{what} {value} is not a whole number of 1/{scale}")
    return int(scaled)


def fen(amount: Decimal) -> int:
    """Decimal yuan → int fen; an amount with a part of a fen is refused, not rounded.

    >>> fen(Decimal("103.58"))
    10358
    """
    return _scaled(amount, 100, "amount")


def rate_units(rate: Decimal) -> int:
    """Decimal annual rate → int units of 10⁻⁷ (``Decimal("0.0565")`` → 565000)."""
    return _scaled(rate, RATE_SCALE, "rate")


def yuan(fen_amount: int | np.integer) -> Decimal:
    """int fen → Decimal yuan with two places (``10358`` → ``Decimal('103.58')``)."""
    return Decimal(int(fen_amount)).scaleb(-2)


def day(value: dt.date | None) -> int:
    """A date → its day number (days since 1970-01-01); None → :data:`NO_DATE`."""
    return int(NO_DATE) if value is None else value.toordinal() - EPOCH_ORDINAL


def days(values: Iterable[dt.date | None]) -> np.ndarray:
    """Dates → an int64 day column (None → :data:`NO_DATE`)."""
    return np.fromiter((day(v) for v in values), dtype=np.int64)


def to_date(day_number: int | np.integer) -> dt.date | None:
    """A day number back to a date (:data:`NO_DATE` → None)."""
    n = int(day_number)
    return None if n == NO_DATE else dt.date.fromordinal(n + EPOCH_ORDINAL)
