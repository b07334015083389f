"""The core engine's walk of one contract, turned into the postings the ledger should hold.

``core.engine.simulate`` reports settlements, allocations and the end state, but not *when* penalty
and compound interest were charged nor how credit moved; the ledger needs both (DOMAIN.md §4
Overdue: penalties are charged, rounded, when a payment is applied). :func:`replay` walks the same
``core.engine._Contract`` as ``simulate`` (same day loop, same event order) with hooks that record
each charge, allocation, credit movement and waiver — so the ledger is the engine's own arithmetic,
never a second implementation. ``xuedai reconcile`` checks the result against ``simulate`` itself.

Mapping (kinds in :mod:`xuedai.loans.models.kinds`):

- settlement row → SUBSIDY_INTEREST (贴息), INTEREST (+ WAIVE_INTEREST of a relief-waived year),
  PRINCIPAL, all with ``due_on`` = the settlement day;
- a payment → PENALTY / COMPOUND charged, one PAY_* per allocated item (``due_on`` = the item's due
  day), CREDIT_IN for money beyond what is owed, CREDIT_APPLIED when waiting credit pays;
- a relief penalty waiver → the accrued penalties charged, then WAIVE_PENALTY of everything unpaid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xuedai.core import engine as core_engine
from xuedai.core.allocation import Category
from xuedai.core.money import ZERO
from xuedai.core.terms import EarlyRepayment, LoanTerms, Payment

from .models.kinds import Kind

PAY_KIND = {
    Category.PENALTY: Kind.PAY_PENALTY,
    Category.COMPOUND: Kind.PAY_COMPOUND,
    Category.OVERDUE_INTEREST: Kind.PAY_OVERDUE_INTEREST,
    Category.OVERDUE_PRINCIPAL: Kind.PAY_OVERDUE_PRINCIPAL,
    Category.INTEREST_DUE: Kind.PAY_INTEREST,
    Category.PRINCIPAL_DUE: Kind.PAY_PRINCIPAL,
}


@dataclass(frozen=True)
class Expected:
    """One posting the ledger should hold."""

    on: date
    kind: str
    amount: Decimal
    due_on: date | None = None


class _Recording(core_engine._Contract):
    """The engine's contract walk, noting each ledger-relevant event as it happens."""

    def __init__(self, terms: LoanTerms) -> None:
        super().__init__(terms)
        self.ledger: list[Expected] = []

    def _note(self, on: date, kind: str, amount: Decimal, due_on: date | None = None) -> None:
        if amount > 0:
            self.ledger.append(Expected(on, kind, amount, due_on))

    def settle(self, day, kind, principal=None):
        row = super().settle(day, kind, principal)
        self._note(day, Kind.SUBSIDY_INTEREST, row.subsidy_interest, day)
        self._note(day, Kind.INTEREST, row.borrower_interest + row.waived_interest, day)
        self._note(day, Kind.WAIVE_INTEREST, row.waived_interest, day)
        self._note(day, Kind.PRINCIPAL, row.principal_due, day)
        return row

    def _add_item(self, kind, day, amount):
        if kind in ("penalty", "compound"):
            self._note(day, Kind.PENALTY if kind == "penalty" else Kind.COMPOUND, amount, day)
        super()._add_item(kind, day, amount)

    def pay(self, day, amount):
        credit_before, posted_before = self.credit, len(self.postings)
        super().pay(day, amount)
        for posting in self.postings[posted_before:]:
            self._note(day, PAY_KIND[posting.category], posting.amount, posting.due_on)
        if self.credit > credit_before:
            self._note(day, Kind.CREDIT_IN, self.credit - credit_before)
        elif self.credit < credit_before:
            self._note(day, Kind.CREDIT_APPLIED, credit_before - self.credit)

    def waive_penalties(self, day):
        # The accrued part is charged first so the statement shows what the programme waived.
        self._add_item("penalty", day, self.penalty.rounded())
        self._add_item("compound", day, self.compound.rounded())
        self.penalty, self.compound = type(self.penalty)(), type(self.compound)()
        unpaid = self.charged_penalties_unpaid()
        super().waive_penalties(day)
        self._note(day, Kind.WAIVE_PENALTY, unpaid)


@dataclass(frozen=True)
class Replay:
    expected: tuple[Expected, ...]
    state: core_engine.LoanState
    early_repayments: tuple[core_engine.EarlyRepaymentOutcome, ...]
    penalty_charged_unpaid: Decimal  # penalty + compound charged and unpaid (the rest of
    # state.penalty_interest is accrued, not yet charged)


def replay(
    terms: LoanTerms,
    as_of: date,
    payments: Iterable[Payment] = (),
    early_repayments: Sequence[EarlyRepayment] = (),
) -> Replay:
    """``core.engine.walk`` — the day loop of ``simulate`` — over a recording contract."""
    contract = core_engine.walk(_Recording(terms), as_of, payments, early_repayments)
    return Replay(tuple(contract.ledger), contract.state(as_of), tuple(contract.outcomes),
                  contract.charged_penalties_unpaid())


def totals(rows: Iterable[Expected]) -> dict[tuple[date, str, date | None], Decimal]:
    """Sum expected postings by (day, kind, due day): the unit the ledger is compared in."""
    result: dict[tuple[date, str, date | None], Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        result[(row.on, row.kind, row.due_on)] += row.amount
    return dict(result)
