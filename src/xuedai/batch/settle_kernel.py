"""Annual settlement over a portfolio: 贴息, the borrower's interest, and the principal falling due.

Mirrors, per contract, what :meth:`xuedai.core.engine._Contract.settle` does on a settlement date
(DOMAIN.md §4 Settlement, Subsidy split, Day count, Rounding, Principal plan):

- interest on the principal not yet due for ``[period_start, on)``, cut at the self-pay date into
  the state's stretch and the borrower's (``core.subsidy.split_by_payer`` with one open
  ``Period(self_pay_from)``), each stretch weighed by ``core.daycount.day_weight`` (``pboc``: whole
  years × 360 + leftover days; ``actual_360``: days) and each payer's share rounded half-up once
  (``core.interest.Accrual.rounded``);
- the principal due on ``on`` under ``core.schedule.default_principal_plan`` (equal yearly whole
  yuan from the first principal date, remainder last) through ``core.schedule.principal_due_on``
  (never more than is not yet due; everything left at maturity);
- a relief programme's waiver of the year's borrower interest (``LoanTerms.interest_waived_years``).

A rate change inside the period (``core.rates``; a contract's rate schedule) breaks the stretch:
``rate`` is the rate in force on the period start and ``changes``
(:class:`~xuedai.batch.rate_kernel.PeriodRates`) the changes inside the period, computed vectorised
for those rows only (``batch.rate_kernel``).

A contract with suspension periods (more than one borrower period) is outside this kernel: the
caller runs it through the scalar core.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xuedai.batch.dates import (
    BASE,
    actual_weight,
    count_month_days_through,
    from_ymd,
    is_month_day,
    pboc_weight,
    table_rows,
    weights_to,
    ymd,
)
from xuedai.batch.exact import NORMAL_DIVISOR, KernelRangeError, mul_div_round
from xuedai.batch.rate_kernel import PeriodRates, split_numerators

DEFAULT_MONTH, DEFAULT_DOM = 12, 20  # core.schedule.DEFAULT_SETTLEMENT_DAY: 12-20


@dataclass(frozen=True)
class SettleResult:
    """Per contract, int64 fen (0 where ``settles`` is False)."""

    settles: np.ndarray  # bool: ``on`` is one of the contract's settlement dates
    subsidy_interest: np.ndarray  # 贴息, receivable from the state (Kind.SUBSIDY_INTEREST)
    borrower_interest: np.ndarray  # due from the borrower on ``on`` (Kind.INTEREST)
    principal_due: np.ndarray  # falls due on ``on`` (Kind.PRINCIPAL)
    waived_interest: np.ndarray  # borrower interest a relief programme waived

    def __len__(self) -> int:
        return len(self.settles)


def _on_matches(on: int, month: int | np.ndarray, dom: int | np.ndarray) -> np.ndarray | bool:
    """Whether the batch date ``on`` falls on each contract's settlement month-day."""
    return is_month_day(np.int64(on), month, dom)


def interest_split(
    on: int,
    *,
    not_yet_due: np.ndarray,
    rate: np.ndarray,
    period_start: np.ndarray,
    self_pay_from: np.ndarray,
    actual_360: np.ndarray | None = None,
    changes: PeriodRates | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(state's, borrower's) interest in fen on ``not_yet_due`` for ``[period_start, on)``.

    Mirrors ``core.engine._Contract.normal_accrual_to`` with a single borrower period from
    ``self_pay_from`` (``NO_DATE``: the state pays throughout), each share rounded once.
    Worked example (DOMAIN.md §4): 6000 yuan at 5.65 %, 20 Dec 2018 → 20 Dec 2019, self-pay from
    1 Sep 2019 → state 240.13 (255 days), borrower 103.58 (110 days).
    """
    start = np.asarray(period_start, dtype=np.int64)
    rate = np.asarray(rate, dtype=np.int64)
    not_yet_due = np.asarray(not_yet_due, dtype=np.int64)
    if start.size == 0:
        return start.copy(), start.copy()
    first = int(start.min())
    table_rows(np.array([min(first, on), on]))  # every day gathered below lies in [first, on]
    # The payer changes at most once, at the self-pay date clipped into the period.
    cut = np.minimum(np.maximum(np.asarray(self_pay_from, dtype=np.int64), start), on)
    # Stretches ending on ``on`` are one gather from the batch's weight table (row = day − BASE):
    # the borrower's [cut, on); the state's [start, cut) is [start, on) minus nothing when the cut
    # is at either end (weights are not additive across whole years, so a period the self-pay date
    # splits — the graduation year — takes the general two-date weight instead).
    to_on = weights_to(int(on))
    borrower_w = to_on[cut - BASE]
    state_w = to_on[np.minimum(start, on) - BASE] - borrower_w
    split = np.flatnonzero((cut > start) & (cut < on))
    if split.size:
        state_w[split] = pboc_weight(start[split], cut[split])
    if actual_360 is not None and actual_360.any():
        state_w = np.where(actual_360, actual_weight(start, cut), state_w)
        borrower_w = np.where(actual_360, actual_weight(cut, on), borrower_w)
    # Bounds for the fast single-division path, from the inputs (a weight never exceeds the days).
    if int(not_yet_due.min()) < 0 or int(rate.min()) < 0:
        raise KernelRangeError("a negative principal or rate")
    top_rate = int(rate.max())
    state_n, borrower_n = rate * state_w, rate * borrower_w  # Σ rate × weight per payer
    if changes is not None and len(changes):
        # Rows with a rate change inside the period: each payer's stretch cut at the changes
        # (core.engine normal_accrual_to → core.rates.split_by_rate), summed exactly.
        r = changes.rows
        if int(changes.rate.min()) < 0:
            raise KernelRangeError("a negative rate")
        basis = None if actual_360 is None else np.asarray(actual_360)[r]
        state_n[r], borrower_n[r] = split_numerators(start[r], cut[r], on, rate[r], changes, basis)
        top_rate = max(top_rate, int(changes.rate.max()))
    most = (int(not_yet_due.max()), top_rate, max(on - first, 0))
    state = mul_div_round(not_yet_due, state_n, NORMAL_DIVISOR, bounds=most)
    borrower = mul_div_round(not_yet_due, borrower_n, NORMAL_DIVISOR, bounds=most)
    return state, borrower


def settlement_mask(
    on: int, *, disbursed_on: np.ndarray, maturity: np.ndarray, month: int | np.ndarray = DEFAULT_MONTH,
    dom: int | np.ndarray = DEFAULT_DOM,
) -> np.ndarray:
    """Whether ``on`` is a settlement date: ``core.schedule.settlement_dates`` (month-day strictly
    after disbursement and before maturity, then maturity itself)."""
    regular = _on_matches(on, month, dom)
    return (maturity == on) | (regular & (disbursed_on < on) & (maturity > on))


def default_plan_due(
    on: int,
    *,
    principal: np.ndarray,
    not_yet_due: np.ndarray,
    disbursed_on: np.ndarray,
    maturity: np.ndarray,
    first_principal_due: np.ndarray,
    settles: np.ndarray,
    month: int | np.ndarray = DEFAULT_MONTH,
    dom: int | np.ndarray = DEFAULT_DOM,
) -> np.ndarray:
    """Principal due on ``on`` under the default plan (fen).

    ``core.schedule.default_principal_plan``: the dues are the settlement dates ≥ the first
    principal date, maturity last; each but the last is ``floor(principal / n)`` whole yuan (left
    out when 0), the last takes the remainder — and ``core.schedule.principal_due_on`` caps a plan
    instalment at what is not yet due and makes everything left due at maturity. The dues before
    maturity are counted, not listed: month-days in ``(max(disbursed, first − 1), maturity − 1]``.
    Worked example: 1000 yuan over 3 dues → 333, 333, then the rest at maturity.
    ``first_principal_due`` NO_DATE (self-pay start unknown) or after maturity: everything at
    maturity (``loans.terms.contract_terms`` then sets no plan).
    """
    # No first principal date (NO_DATE) or one after maturity: no plan, all due at maturity.
    lower = np.minimum(np.maximum(disbursed_on, first_principal_due - 1), maturity - 1)
    dues = count_month_days_through(maturity - 1, month, dom) - count_month_days_through(lower, month, dom)
    dues += 1  # maturity itself
    share = principal // (100 * dues) * 100  # floor to whole yuan (ROUND_FLOOR in the core)
    plan_day = settles & (first_principal_due <= on) & (maturity != on)
    due = np.minimum(share, not_yet_due) * plan_day
    return np.where(settles & (maturity == on), not_yet_due, due)


def settle(
    on: int,
    *,
    principal: np.ndarray,
    not_yet_due: np.ndarray,
    rate: np.ndarray,
    disbursed_on: np.ndarray,
    maturity: np.ndarray,
    period_start: np.ndarray,
    self_pay_from: np.ndarray,
    first_principal_due: np.ndarray,
    actual_360: np.ndarray | None = None,
    planned_principal: np.ndarray | None = None,
    interest_waived: np.ndarray | None = None,
    month: int | np.ndarray = DEFAULT_MONTH,
    dom: int | np.ndarray = DEFAULT_DOM,
    changes: PeriodRates | None = None,
) -> SettleResult:
    """Settle every contract for which ``on`` (a day number) is a settlement date.

    Columns are equal-length arrays: amounts in fen, ``rate`` in units of 10⁻⁷, dates as day
    numbers (``exact.day``). ``not_yet_due`` is the normal-interest base (principal outstanding
    minus principal already fallen due); ``period_start`` is the last settlement date (or the
    disbursement date before the first). ``planned_principal``, if given, replaces the default plan
    with the instalment a chosen plan (还款计划变更) puts on ``on``; it is capped and overridden at
    maturity like the default. ``interest_waived`` marks contracts whose interest for ``on``'s year
    a relief programme waives. ``month``/``dom``: the settlement month-day (scalar or per contract).
    ``rate`` is the rate in force on ``period_start``; ``changes`` the rate changes inside the
    period (rows without one keep the fast path). Mirrors ``core.engine._Contract.settle``.
    """
    settles = settlement_mask(on, disbursed_on=disbursed_on, maturity=maturity, month=month, dom=dom)
    state, borrower = interest_split(
        on, not_yet_due=not_yet_due, rate=rate, period_start=period_start, self_pay_from=self_pay_from,
        actual_360=actual_360, changes=changes,
    )
    state *= settles
    borrower *= settles
    if planned_principal is None:
        principal_due = default_plan_due(
            on, principal=principal, not_yet_due=not_yet_due, disbursed_on=disbursed_on,
            maturity=maturity, first_principal_due=first_principal_due, settles=settles, month=month,
            dom=dom,
        )
    else:
        capped = np.where(settles, np.minimum(planned_principal, not_yet_due), 0)
        principal_due = np.where(settles & (maturity == on), not_yet_due, capped)
    waived = np.zeros_like(borrower)
    if interest_waived is not None:
        waived = np.where(interest_waived, borrower, 0)
        borrower = borrower - waived
    return SettleResult(settles, state, borrower, principal_due, waived)


def previous_settlement(
    on: int, *, disbursed_on: np.ndarray, month: int | np.ndarray = DEFAULT_MONTH,
    dom: int | np.ndarray = DEFAULT_DOM,
) -> np.ndarray:
    """The start of the period ``on`` closes when no settlement was skipped: the latest month-day
    strictly before ``on``, or the disbursement date if that is later (for an account whose
    ``last_settled_on`` is not recorded)."""
    y, m, d = ymd(np.int64(on))
    this_year = (m > month) | ((m == month) & (d > dom))
    last = from_ymd(np.where(this_year, y, y - 1), month, dom)
    return np.maximum(last, disbursed_on)
