"""The inputs of the contract simulator: a contract's terms and what happened to it.

The numbers here come from the contract and its policy version (DOMAIN.md §1); ``core`` does not
choose them, it only checks they are coherent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from xuedai.core.daycount import Basis, MonthDay
from xuedai.core.money import ZERO
from xuedai.core.overdue import DEFAULT_PENALTY_MULTIPLIER, MISUSE_PENALTY_MULTIPLIER
from xuedai.core.rates import RateChange, check_rate_changes, rate_on, split_by_rate
from xuedai.core.schedule import DEFAULT_SETTLEMENT_DAY, Instalment, settlement_dates
from xuedai.core.subsidy import Period
from xuedai.core.tranches import Tranche, check_tranches


@dataclass(frozen=True)
class LoanTerms:
    """One contract, disbursed once or in ``tranches`` (staged disbursement, :mod:`xuedai.core.tranches`).

    ``borrower_periods``: the days whose interest the borrower pays (see
    :func:`xuedai.core.subsidy.borrower_periods`); every other day is subsidised by the state.
    ``principal_plan``: the instalments (validated against the term when simulated); empty means
    all principal falls due at maturity. ``interest_waived_years`` and ``penalty_waived_on`` carry
    relief programmes (:mod:`xuedai.core.relief`). ``rate_changes``: the rate schedule after the
    signing rate ``annual_rate`` (:mod:`xuedai.core.rates`), ascending and after disbursement.
    ``tranches``: empty — the whole ``principal`` paid out on ``disbursed_on``; else the days and
    amounts paid out (the first on ``disbursed_on``, adding up to ``principal``): interest runs on
    what has been paid out.
    """

    principal: Decimal
    disbursed_on: date
    annual_rate: Decimal
    maturity: date
    basis: Basis = "pboc"
    borrower_periods: tuple[Period, ...] = ()
    settlement_day: MonthDay = DEFAULT_SETTLEMENT_DAY
    principal_plan: tuple[Instalment, ...] = ()
    penalty_multiplier: Decimal = DEFAULT_PENALTY_MULTIPLIER
    interest_waived_years: frozenset[int] = field(default_factory=frozenset)
    penalty_waived_on: tuple[date, ...] = ()
    rate_changes: tuple[RateChange, ...] = ()
    # Misuse of funds (挪用) flagged by a supervisor: penalty and compound interest from that day on
    # use ``misuse_multiplier`` (150 %, DOMAIN.md §1 penalty interest) instead of ``penalty_multiplier``.
    misuse_from: date | None = None
    misuse_multiplier: Decimal = MISUSE_PENALTY_MULTIPLIER
    tranches: tuple[Tranche, ...] = ()

    def __post_init__(self) -> None:
        if self.principal <= 0:
            raise ValueError("本金必须大于 0")
        if self.annual_rate < 0:
            raise ValueError("年利率不能为负")
        if self.penalty_multiplier < 0:
            raise ValueError("罚息倍数不能为负")
        if self.maturity <= self.disbursed_on:
            raise ValueError("到期日必须晚于放款日")
        check_rate_changes(self.rate_changes, self.disbursed_on)
        check_tranches(self.tranches, self.principal, self.disbursed_on, self.maturity)

    @property
    def first_payout(self) -> Decimal:
        """What is paid out on ``disbursed_on``: its tranche (nothing if the first comes later), or
        everything."""
        if not self.tranches:
            return self.principal
        return self.tranches[0].amount if self.tranches[0].on == self.disbursed_on else ZERO

    def rate_on(self, day: date) -> Decimal:
        """The annual rate in force on ``day`` (the signing rate before any change)."""
        return rate_on(day, self.annual_rate, self.rate_changes)

    def by_rate(self, start: date, end: date) -> list[tuple[date, date, Decimal]]:
        """``[start, end)`` cut where the rate changes (:func:`xuedai.core.rates.split_by_rate`)."""
        return split_by_rate(start, end, self.annual_rate, self.rate_changes)

    def penalty_pieces(self, start: date, end: date) -> list[tuple[date, date, Decimal, Decimal]]:
        """``[start, end)`` cut where the rate or the penalty multiplier changes:
        (start, end, rate, multiplier) — penalty follows the rate in force and, from the misuse day
        on, the misuse multiplier."""
        pieces = []
        for a, b, rate in self.by_rate(start, end):
            cut = self.misuse_from
            if cut is not None and a < cut < b:
                pieces += [(a, cut, rate, self.penalty_multiplier), (cut, b, rate, self.misuse_multiplier)]
            else:
                late = cut is not None and a >= cut
                pieces.append((a, b, rate, self.misuse_multiplier if late else self.penalty_multiplier))
        return pieces

    def settlement_dates(self) -> list[date]:
        return settlement_dates(self.disbursed_on, self.maturity, self.settlement_day)


@dataclass(frozen=True)
class Payment:
    """Money the borrower paid in on ``on`` (a deduction, a counter payment)."""

    on: date
    amount: Decimal

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError("还款金额必须大于 0")


@dataclass(frozen=True)
class EarlyRepayment:
    """An early-repayment application deducted on ``on``; ``principal`` None repays everything.

    It is paid from the borrower's credit (money paid in beforehand, e.g. a :class:`Payment` the
    same day): the interest accrued to ``on`` plus the principal. Without enough credit, or with
    anything overdue, the deduction fails and nothing changes (a new application is needed).
    """

    on: date
    principal: Decimal | None = None

    def __post_init__(self) -> None:
        if self.principal is not None and self.principal <= 0:
            raise ValueError("提前还款本金必须大于 0")
