"""Rate changes inside a settlement period, over a portfolio: the kernel side of ``core.rates``.

DOMAIN.md §4 Day count: a stretch breaks where the principal, the payer or the rate changes, and the
whole-year rule applies only where all three stay the same. ``core.engine._Contract.normal_accrual_to``
cuts each payer piece at the rate changes (``core.rates.split_by_rate``: a change to the rate already
in force does not cut), weighs every piece on its own and sums the exact accruals, rounding once per
payer. Here the same for the rows of a chunk that carry a change strictly inside ``(period_start, on)``
— the others keep the settle kernel's one-gather fast path — as ``K`` vectorised segment steps (K =
the most changes any row has in the period, 1 or 2 in practice): the numerator ``Σ rate × weight`` per
payer is exact in int64 and divided once (``exact.mul_div_round``).

Inputs (:class:`PeriodRates`): per changed row its index in the chunk, the changes' day numbers
``(m, K)`` ascending and padded with NO_DATE, their rates (10⁻⁷ units). ``rate`` in the chunk is the
rate in force on ``period_start``. :func:`period_rates` builds them from a chunk's change rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xuedai.batch.dates import actual_weight, pboc_weight
from xuedai.batch.exact import NO_DATE


@dataclass(frozen=True)
class PeriodRates:
    rows: np.ndarray  # (m,) row index in the chunk, each at most once
    on: np.ndarray  # (m, K) change days strictly inside the row's period, ascending, NO_DATE padded
    rate: np.ndarray  # (m, K) the rate from that day on (padding: anything)

    def __len__(self) -> int:
        return len(self.rows)


def period_rates(
    ids: np.ndarray,
    period_start: np.ndarray,
    on: int,
    signing_rate: np.ndarray,
    change_id: np.ndarray,
    change_day: np.ndarray,
    change_rate: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """(rate in force on each row's period start, and dense ``(n, K)`` change days and rates inside
    the period — NO_DATE padded; None when no row has one) from the chunk's change rows
    (``change_*``: recorded changes before ``on`` of the chunk's contracts, sorted by contract then
    day); ``ids`` in any order. Dense, so ``parallel.map_chunks`` slices
    them with the other columns; :func:`sparse` keeps only the changed rows for the kernel."""
    rate = np.asarray(signing_rate, dtype=np.int64).copy()
    if len(change_id) == 0 or len(ids) == 0:
        return rate, None, None
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    at = np.minimum(np.searchsorted(sorted_ids, change_id), len(ids) - 1)
    found = sorted_ids[at] == change_id
    row, day, new = order[at[found]], change_day[found], change_rate[found]
    before = day <= period_start[row]
    # The rate on the period start: the last change on or before it (changes are sorted by day, so
    # the highest change index per row; np.maximum.at, not a fancy assignment with repeated rows).
    last = np.full(len(ids), -1, dtype=np.int64)
    np.maximum.at(last, row[before], np.flatnonzero(before))
    rate = np.where(last >= 0, new[np.maximum(last, 0)], rate)
    inside = ~before & (day < on)
    row, day, new = row[inside], day[inside], new[inside]
    if len(row) == 0:
        return rate, None, None
    # A contract's changes are contiguous (sorted by contract, then day): number them within it.
    first = np.flatnonzero(np.concatenate([[True], row[1:] != row[:-1]]))
    counts = np.diff(np.append(first, len(row)))
    position = np.arange(len(row)) - np.repeat(first, counts)
    days = np.full((len(ids), int(counts.max())), NO_DATE, dtype=np.int64)
    rates = np.zeros_like(days)
    days[row, position], rates[row, position] = day, new
    return rate, days, rates


def sparse(days: np.ndarray | None, rates: np.ndarray | None) -> PeriodRates | None:
    """The rows of dense change columns that carry a change (None: none does)."""
    if days is None or rates is None:
        return None
    rows = np.flatnonzero((days != NO_DATE).any(axis=1))
    if rows.size == 0:
        return None
    return PeriodRates(rows, days[rows], rates[rows])


def split_numerators(
    start: np.ndarray,
    cut: np.ndarray,
    on: int,
    rate: np.ndarray,
    changes: PeriodRates,
    actual_360: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per changed row, ``Σ rate × weight`` of the state's stretch ``[start, cut)`` and the borrower's
    ``[cut, on)``, each cut at the rate changes (``start``, ``cut``, ``rate``, ``actual_360`` are the
    changed rows' values)."""
    m, k = changes.on.shape
    bounds = np.minimum(np.maximum(changes.on, start[:, None]), on)  # (m, K) inside [start, on]
    rates = np.concatenate([rate[:, None], changes.rate], axis=1)  # (m, K + 1): segment j's rate
    # A change to the rate already in force does not cut (core.rates.split_by_rate merges it): move
    # its boundary back onto the previous one, which empties the segment before it.
    for j in range(k):
        same = rates[:, j + 1] == rates[:, j]
        previous = start if j == 0 else bounds[:, j - 1]
        bounds[:, j] = np.where(same, previous, bounds[:, j])
    edges = np.concatenate([start[:, None], bounds, np.full((m, 1), on, dtype=np.int64)], axis=1)
    state = np.zeros(m, dtype=np.int64)
    borrower = np.zeros(m, dtype=np.int64)
    for j in range(k + 1):
        a, b = edges[:, j], edges[:, j + 1]
        state_end, borrower_start = np.minimum(b, cut), np.maximum(a, cut)
        if actual_360 is not None:
            w_state = np.where(actual_360, actual_weight(a, state_end), pboc_weight(a, state_end))
            w_borrower = np.where(
                actual_360, actual_weight(borrower_start, b), pboc_weight(borrower_start, b)
            )
        else:
            w_state, w_borrower = pboc_weight(a, state_end), pboc_weight(borrower_start, b)
        state += rates[:, j] * w_state
        borrower += rates[:, j] * w_borrower
    return state, borrower


def stretches_by_rate(
    item_account: np.ndarray,
    start: np.ndarray,
    on: int,
    rate: np.ndarray,
    change_account: np.ndarray,
    change_day: np.ndarray,
    change_rate: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cut each overdue stretch ``[start_i, on)`` where its account's rate changes: the penalty rate
    follows the rate in force day by day (``core.engine`` accrue_overdue_to over
    ``LoanTerms.by_rate``). ``rate`` is each stretch's signing rate; ``change_*`` the accounts'
    changes before ``on``, sorted by account then day. Returns the pieces as (stretch index, rate,
    start, end); penalty is linear in days, so the pieces' exact sum is the stretch's penalty."""
    n = len(start)
    ends = np.full(n, on, dtype=np.int64)
    if len(change_account) == 0 or n == 0:
        return np.arange(n), np.asarray(rate, dtype=np.int64), np.asarray(start, dtype=np.int64), ends
    lo = np.searchsorted(change_account, item_account, "left")
    hi = np.searchsorted(change_account, item_account, "right")
    counts = hi - lo
    item = np.repeat(np.arange(n), counts)
    j = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(lo, counts)
    day = change_day[j]
    before = day <= start[item]
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, item[before], j[before])
    first_rate = np.where(last >= 0, change_rate[np.maximum(last, 0)], rate)
    inside = ~before & (day < on)
    np.minimum.at(ends, item[inside], day[inside])  # the first piece ends at the first change inside
    item_in, j_in = item[inside], j[inside]
    following = np.minimum(j_in + 1, len(change_day) - 1)
    has_next = (j_in + 1 < hi[item_in]) & (change_day[following] < on)
    next_end = np.where(has_next, change_day[following], on)
    return (
        np.concatenate([np.arange(n), item_in]),
        np.concatenate([first_rate, change_rate[j_in]]),
        np.concatenate([start, day[inside]]),
        np.concatenate([ends, next_end]),
    )
