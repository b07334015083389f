"""Penalty interest (罚息) and compound interest (复利) on overdue amounts, over a portfolio.

DOMAIN.md §4 Overdue; seed [001 附件四] 五.1. An amount due on D and unpaid accrues, per day over
``[D, as_of)`` at /360 (never the whole-year rule), multiplier × the contract rate — penalty on
overdue principal, compound on overdue borrower interest — and is rounded half-up to the fen when
charged. Mirrors ``core.overdue.penalty_accrual`` / ``penalty_interest`` (one amount) and the
engine's running ``Accrual`` (many stretches of one account, summed exactly, rounded once).

Bounds (see :mod:`xuedai.batch.exact`): ``rate × multiplier × days`` < 2⁶² needs rate < 2³¹ units
(214 %), multiplier < 2¹⁵ hundredths and days < 2¹⁶ (179 years), all checked here.
"""

from __future__ import annotations

import numpy as np

from xuedai.batch.exact import PENALTY_DIVISOR, KernelRangeError, muldivmod, normalise, round_half_up

DEFAULT_MULTIPLIER = 130  # core.overdue.DEFAULT_PENALTY_MULTIPLIER (1.3) in hundredths


def _check(rate: np.ndarray, multiplier: np.ndarray, days: np.ndarray) -> None:
    for name, col, limit in (("rate", rate, 1 << 31), ("multiplier", multiplier, 1 << 15),
                             ("days", days, 1 << 16)):
        if col.size and (int(col.min()) < 0 or int(col.max()) >= limit):
            raise KernelRangeError(f"penalty {name} outside [0, {limit})")


def penalty_accrual(
    amount: np.ndarray,
    rate: np.ndarray,
    start: np.ndarray,
    end: np.ndarray | int,
    multiplier: np.ndarray | int = DEFAULT_MULTIPLIER,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact penalty on ``amount`` fen for ``[start, end)`` as ``(q, r)``: ``q + r / PENALTY_DIVISOR``
    fen. Mirrors ``core.overdue.penalty_accrual`` (days clipped at 0)."""
    amount = np.asarray(amount, dtype=np.int64)
    rate = np.broadcast_to(np.asarray(rate, dtype=np.int64), amount.shape)
    multiplier = np.broadcast_to(np.asarray(multiplier, dtype=np.int64), amount.shape)
    days = np.maximum(np.asarray(end, dtype=np.int64) - np.asarray(start, dtype=np.int64), 0)
    days = np.broadcast_to(days, amount.shape)
    _check(rate, multiplier, days)
    return muldivmod(amount, rate * multiplier * days, PENALTY_DIVISOR)


def penalty_interest(
    amount: np.ndarray,
    rate: np.ndarray,
    due_on: np.ndarray,
    paid_on: np.ndarray | int,
    multiplier: np.ndarray | int = DEFAULT_MULTIPLIER,
) -> np.ndarray:
    """Penalty in fen charged when each amount due on ``due_on`` is paid on ``paid_on``, rounded once.

    Mirrors ``core.overdue.penalty_interest``. Worked example: 1500 yuan due 20 Dec 2021 at 5.65 %,
    paid 20 Jan 2022 → 1500 × 0.07345 × 31 / 360 = 9.487… → 949 fen.
    """
    return round_half_up(*penalty_accrual(amount, rate, due_on, paid_on, multiplier), PENALTY_DIVISOR)


def penalty_by_account(
    account: np.ndarray,
    n_accounts: int,
    amount: np.ndarray,
    rate: np.ndarray,
    start: np.ndarray,
    end: np.ndarray | int,
    multiplier: np.ndarray | int = DEFAULT_MULTIPLIER,
) -> np.ndarray:
    """Per account (``account`` holds each stretch's row 0 … n_accounts − 1), the exact sum of its
    stretches' penalty, rounded once: the engine's running ``Accrual`` charged on a payment or a
    statement. Call it once with the principal stretches (罚息) and once with the interest
    stretches (复利): the engine rounds the two separately.

    A stretch is an overdue amount and the days it stayed unchanged since the last charge, e.g. an
    account's overdue principal from ``max(due date, penalty_accrued_on)`` to the deduction day.
    """
    q, r = penalty_accrual(amount, rate, start, end, multiplier)
    total_q = np.zeros(n_accounts, dtype=np.int64)
    total_r = np.zeros(n_accounts, dtype=np.int64)
    # Integer scatter-add (exact); np.bincount would go through float64 weights.
    np.add.at(total_q, account, q)
    np.add.at(total_r, account, r)  # each r < 3.6e11, so 2.5e7 stretches per account still fit
    return round_half_up(*normalise(total_q, total_r, PENALTY_DIVISOR), PENALTY_DIVISOR)


def split_at(start: np.ndarray, end: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                            np.ndarray]:
    """Cut each stretch ``[start, end)`` at its ``day`` (NO_DATE: never): returns (stretch index,
    start, end, on or after ``day``) of the pieces — the misuse flag switches the multiplier there
    (``core.terms.LoanTerms.penalty_pieces``)."""
    start, end, day = (np.asarray(x, dtype=np.int64) for x in (start, end, day))
    inside = (start < day) & (day < end)
    cut = np.flatnonzero(inside)
    index = np.concatenate([np.arange(len(start)), cut])
    starts = np.concatenate([start, day[cut]])
    ends = np.concatenate([np.where(inside, day, end), end[cut]])
    late = np.concatenate([start >= day, np.ones(len(cut), dtype=bool)])
    return index, starts, ends, late
