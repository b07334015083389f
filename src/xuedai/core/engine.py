"""The contract simulator: walk one contract's timeline and report what it owes.

DOMAIN.md §4 as a whole. Given the terms and the dated payments, :func:`simulate` produces the
settlements (贴息, the borrower's interest, principal due) and the contract's state on an as-of day.

How the timeline is walked, and why:

- Normal interest accrues on the principal that has not yet fallen due, over stretches that break
  only where that principal, the payer or the rate changes — a settlement, the self-pay start, an
  early repayment, a rate change (``LoanTerms.rate_changes``), a later tranche of a staged
  disbursement (``LoanTerms.tranches``: interest only on what has been paid out) — never at a
  payment of overdue amounts (DOMAIN.md §4 Day count). Penalty and compound interest follow the
  rate in force each day. Each settlement rounds the state's and the borrower's accruals once, separately.
- Principal that falls due leaves the normal-interest base on its due day whether or not it is paid:
  if unpaid at the end of that day it accrues penalty interest instead (DOMAIN.md §4 Overdue), and
  the borrower's unpaid interest accrues compound interest, both per day at /360.
- Penalty and compound interest stay exact until charged: on each payment and on the statement.
- On a day, events run in this order: a tranche paid out, relief waivers, the settlement,
  payments (each allocated in the order of :mod:`xuedai.core.allocation`, leftover kept as
  credit), then an early repayment.
- The state is what is known at the end of the as-of day's events: amounts due that very day and
  still unpaid are not overdue yet (they become overdue at the end of the day).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, TypeVar

from xuedai.core.allocation import Category, ItemKind, Owed, allocate, category_of
from xuedai.core.classification import Grade, grade_2023, grade_seed
from xuedai.core.interest import Accrual, stretch_accrual
from xuedai.core.money import ZERO
from xuedai.core.overdue import overdue_days, penalty_accrual
from xuedai.core.schedule import Instalment, principal_due_on, validate_plan
from xuedai.core.subsidy import split_by_payer
from xuedai.core.terms import EarlyRepayment, LoanTerms, Payment

SettlementKind = Literal["settlement", "maturity", "early_repayment"]


@dataclass(frozen=True)
class SettlementRow:
    on: date
    kind: SettlementKind
    subsidy_interest: Decimal  # 贴息, receivable from the state
    borrower_interest: Decimal  # due from the borrower on ``on``
    principal_due: Decimal
    waived_interest: Decimal = ZERO  # the borrower's interest a relief programme waived


@dataclass(frozen=True)
class Posting:
    """Money applied to one owed amount: what the ledger would record."""

    on: date
    category: Category
    due_on: date
    amount: Decimal


@dataclass(frozen=True)
class EarlyRepaymentOutcome:
    on: date
    done: bool
    principal: Decimal
    interest: Decimal
    reason_zh: str = ""


@dataclass(frozen=True)
class LoanState:
    as_of: date
    outstanding_principal: Decimal  # disbursed minus principal repaid
    overdue_principal: Decimal
    overdue_interest: Decimal  # the borrower's interest unpaid after its due day
    penalty_interest: Decimal  # penalty + compound: charged and unpaid, plus accrued to as_of (rounded)
    overdue_days: int
    oldest_unpaid_due: date | None
    grade_seed: Grade
    grade_2023: Grade
    credit: Decimal  # paid in, waiting for amounts to fall due
    due_today: Decimal  # interest and principal due on as_of itself, still unpaid (not overdue yet)
    accrued_borrower_interest: Decimal  # since the last settlement, not yet settled (rounded)
    accrued_subsidy_interest: Decimal
    penalty_waived: Decimal


@dataclass(frozen=True)
class Simulation:
    settlements: tuple[SettlementRow, ...]
    postings: tuple[Posting, ...]
    early_repayments: tuple[EarlyRepaymentOutcome, ...]
    state: LoanState


@dataclass
class _Item:
    """An amount the borrower owes; ``unpaid`` falls as payments are applied."""

    kind: ItemKind
    due_on: date
    unpaid: Decimal


class _Contract:
    """Mutable walk of one contract; :func:`simulate` is its only user."""

    def __init__(self, terms: LoanTerms) -> None:
        self.terms = terms
        self.dates = terms.settlement_dates()
        plan = (
            validate_plan(terms.principal_plan, terms.principal, self.dates) if terms.principal_plan else []
        )
        self.plan = list(plan)  # shrinks from the end on early repayment
        self.not_yet_due = terms.first_payout  # the normal-interest base: paid out, not yet due
        self.outstanding = terms.first_payout
        self.period_start = terms.disbursed_on
        # A later tranche breaks the stretch inside a settlement period: the accrual to its day is
        # carried (exact) to the settlement, which rounds the period once (DOMAIN.md §4 Rounding).
        self.stretch_start = terms.disbursed_on
        self.carried = (Accrual(), Accrual())
        self.last_day = terms.disbursed_on
        self.items: list[_Item] = []
        self.credit = ZERO
        self.penalty = Accrual()
        self.compound = Accrual()
        self.penalty_waived = ZERO
        self.rows: list[SettlementRow] = []
        self.postings: list[Posting] = []
        self.outcomes: list[EarlyRepaymentOutcome] = []

    # -- accruals -------------------------------------------------------------------------------
    def accrue_overdue_to(self, day: date) -> None:
        """Penalty and compound interest for [last event, day) on what was unpaid at its end."""
        t = self.terms
        overdue_principal = self._unpaid("principal")
        overdue_interest = self._unpaid("interest")
        # The penalty rate follows the contract rate day by day (130 % of the rate in force), and the
        # misuse multiplier (150 %) from the day misuse was flagged (LoanTerms.penalty_pieces).
        for start, end, rate, multiplier in t.penalty_pieces(self.last_day, day):
            self.penalty += penalty_accrual(overdue_principal, rate, multiplier, start, end)
            self.compound += penalty_accrual(overdue_interest, rate, multiplier, start, end)
        self.last_day = day

    def normal_accrual_to(self, day: date) -> tuple[Accrual, Accrual]:
        """(state's, borrower's) normal interest on the not-yet-due principal for [period start, day)."""
        state, borrower = self.carried
        t = self.terms
        # A stretch breaks where the payer or the rate changes (DOMAIN.md §4; core.rates): each
        # piece is weighed on its own, the pieces' exact accruals summed, rounded once at settlement.
        for payer_start, payer_end, payer in split_by_payer(self.stretch_start, day, t.borrower_periods):
            for start, end, rate in t.by_rate(payer_start, payer_end):
                accrual = stretch_accrual(self.not_yet_due, rate, start, end, t.basis)
                if payer == "state":
                    state += accrual
                else:
                    borrower += accrual
        return state, borrower

    # -- events ---------------------------------------------------------------------------------
    def waive_penalties(self, day: date) -> None:
        """A relief programme waives the penalty and compound interest accrued so far."""
        waived = self.penalty.rounded() + self.compound.rounded()
        self.penalty, self.compound = Accrual(), Accrual()
        for item in self.items:
            if item.kind in ("penalty", "compound"):
                waived += item.unpaid
                item.unpaid = ZERO
        self.penalty_waived += waived

    def settle(self, day: date, kind: SettlementKind, principal: Decimal | None = None) -> SettlementRow:
        """Close the interest period at ``day``; the borrower's share and the principal fall due."""
        state, borrower = self.normal_accrual_to(day)
        subsidy_interest, borrower_interest = state.rounded(), borrower.rounded()
        waived = ZERO
        if day.year in self.terms.interest_waived_years:
            waived, borrower_interest = borrower_interest, ZERO
        if principal is None:
            principal = principal_due_on(day, self.plan, self.terms.maturity, self.not_yet_due)
        self._add_item("interest", day, borrower_interest)
        self._add_item("principal", day, principal)
        self.not_yet_due -= principal
        self.period_start = self.stretch_start = day
        self.carried = (Accrual(), Accrual())
        row = SettlementRow(day, kind, subsidy_interest, borrower_interest, principal, waived)
        self.rows.append(row)
        return row

    def pay_out(self, day: date, amount: Decimal) -> None:
        """A later tranche: the stretch so far is carried, the base grows from ``day`` on."""
        self.carried = self.normal_accrual_to(day)
        self.stretch_start = day
        self.not_yet_due += amount
        self.outstanding += amount

    def pay(self, day: date, amount: Decimal) -> None:
        """Charge the penalties accrued so far, then allocate the money; the rest waits as credit."""
        if amount > 0:
            self._add_item("penalty", day, self.penalty.rounded())
            self._add_item("compound", day, self.compound.rounded())
            self.penalty, self.compound = Accrual(), Accrual()
        pool = self.credit + amount
        if pool <= 0:
            return
        owed = [Owed(i.kind, i.due_on, i.unpaid, ref=n) for n, i in enumerate(self.items) if i.unpaid > 0]
        result = allocate(pool, owed, day)
        for owed_item, share in result.paid:
            item = self.items[owed_item.ref]
            item.unpaid -= share
            if item.kind == "principal":
                self.outstanding -= share
            self.postings.append(Posting(day, category_of(item.kind, item.due_on, day), item.due_on, share))
        self.credit = result.leftover

    def repay_early(self, request: EarlyRepayment) -> None:
        """Settle interest to the deduction day and repay principal from credit, or fail untouched."""
        day = request.on
        if day >= self.terms.maturity:
            self._fail(day, "到期日及之后不能提前还款")
            return
        if any(i.unpaid > 0 for i in self.items):
            self._fail(day, "尚有逾期或到期未还款项，须先还清")
            return
        principal = (
            self.not_yet_due if request.principal is None else min(request.principal, self.not_yet_due)
        )
        if principal <= 0:
            self._fail(day, "没有未到期本金")
            return
        _, borrower = self.normal_accrual_to(day)
        interest = ZERO if day.year in self.terms.interest_waived_years else borrower.rounded()
        if self.credit < interest + principal:
            self._fail(day, "账户余额不足，扣款失败（须重新申请）", principal, interest)
            return
        self.settle(day, "early_repayment", principal)
        self._shrink_plan(principal)
        self.pay(day, ZERO)
        self.outcomes.append(EarlyRepaymentOutcome(day, True, principal, interest))

    # -- statement ------------------------------------------------------------------------------
    def charged_penalties_unpaid(self) -> Decimal:
        """Penalty and compound interest charged (rounded) and not yet paid; the rest is accrued."""
        return sum((i.unpaid for i in self.items if i.kind in ("penalty", "compound")), ZERO)

    def state(self, as_of: date) -> LoanState:
        late = [
            i for i in self.items if i.unpaid > 0 and i.due_on < as_of and i.kind in ("interest", "principal")
        ]
        oldest = min((i.due_on for i in late), default=None)
        charged = self.charged_penalties_unpaid()
        due_today = sum(
            (i.unpaid for i in self.items if i.due_on == as_of and i.kind in ("interest", "principal")), ZERO
        )
        state_share, borrower_share = self.normal_accrual_to(as_of)
        return LoanState(
            as_of=as_of,
            outstanding_principal=self.outstanding,
            overdue_principal=sum((i.unpaid for i in late if i.kind == "principal"), ZERO),
            overdue_interest=sum((i.unpaid for i in late if i.kind == "interest"), ZERO),
            penalty_interest=charged + self.penalty.rounded() + self.compound.rounded(),
            overdue_days=0 if oldest is None else overdue_days(oldest, as_of),
            oldest_unpaid_due=oldest,
            grade_seed=grade_seed(oldest, as_of),
            grade_2023=grade_2023(oldest, as_of),
            credit=self.credit,
            due_today=due_today,
            accrued_borrower_interest=borrower_share.rounded(),
            accrued_subsidy_interest=state_share.rounded(),
            penalty_waived=self.penalty_waived,
        )

    # -- helpers --------------------------------------------------------------------------------
    def _unpaid(self, kind: ItemKind) -> Decimal:
        return sum((i.unpaid for i in self.items if i.kind == kind), ZERO)

    def _add_item(self, kind: ItemKind, day: date, amount: Decimal) -> None:
        if amount > 0:
            self.items.append(_Item(kind, day, amount))

    def _shrink_plan(self, principal: Decimal) -> None:
        """Early principal comes off the last instalments first, so the term shortens."""
        left = principal
        for index in range(len(self.plan) - 1, -1, -1):
            instalment = self.plan[index]
            if left <= 0 or instalment.due <= self.period_start:
                break
            cut = min(instalment.amount, left)
            self.plan[index] = Instalment(instalment.due, instalment.amount - cut)
            left -= cut

    def _fail(self, day: date, reason: str, principal: Decimal = ZERO, interest: Decimal = ZERO) -> None:
        self.outcomes.append(EarlyRepaymentOutcome(day, False, principal, interest, reason))


_C = TypeVar("_C", bound="_Contract")


def walk(
    contract: _C,
    as_of: date,
    payments: Iterable[Payment] = (),
    early_repayments: Sequence[EarlyRepayment] = (),
    *,
    after: date | None = None,
) -> _C:
    """Run ``contract`` through its calendar up to ``as_of`` (inclusive), the one day loop behind
    :func:`simulate` and ``loans.replay`` (which walks a recording subclass): on each day, overdue
    amounts accrue, a relief waiver applies, a settlement falls due (waiting credit pays it at once),
    the day's payments are allocated, then an early repayment due that day is executed. A tranche
    of a staged disbursement is paid out first, at the start of its day.

    ``after``: ``contract`` has already been walked through that day; only the later days run."""
    terms = contract.terms
    paid_by_day: dict[date, list[Decimal]] = {}
    for payment in payments:
        if payment.on <= as_of:
            paid_by_day.setdefault(payment.on, []).append(payment.amount)
    early_by_day = {e.on: e for e in early_repayments if terms.disbursed_on < e.on <= as_of}
    settling = {d for d in contract.dates if d <= as_of}
    waiving = {d for d in terms.penalty_waived_on if terms.disbursed_on <= d <= as_of}
    paying_out = {t.on: t.amount for t in terms.tranches if terms.disbursed_on < t.on <= as_of}
    days = sorted(settling | set(paid_by_day) | set(early_by_day) | waiving | set(paying_out) | {as_of})
    if after is not None:
        days = [day for day in days if day > after]

    for day in days:
        contract.accrue_overdue_to(day)
        if day in paying_out:
            contract.pay_out(day, paying_out[day])
        if day in waiving:
            contract.waive_penalties(day)
        if day in settling and contract.outstanding > 0:
            contract.settle(day, "maturity" if day == terms.maturity else "settlement")
            contract.pay(day, ZERO)  # credit waiting for these amounts pays them now
        for amount in paid_by_day.get(day, ()):
            contract.pay(day, amount)
        if day in early_by_day:
            contract.repay_early(early_by_day[day])
    return contract


def simulate(
    terms: LoanTerms,
    as_of: date,
    payments: Iterable[Payment] = (),
    early_repayments: Sequence[EarlyRepayment] = (),
) -> Simulation:
    """Walk the contract from disbursement to ``as_of`` (inclusive) and report it.

    Payments and early repayments after ``as_of`` are ignored: the result is what was known then.

    Worked example (DOMAIN.md §4, published): 6000 yuan at 5.65% disbursed 1 Sep 2018, self-pay
    from 1 Sep 2019, principal 1500 a year from 20 Dec 2021 → settlements 20 Dec 2018: 贴息 103.58;
    20 Dec 2019: 贴息 240.13, borrower 103.58; 20 Dec 2020: borrower 339.00; 20 Dec 2021: 339.00 +
    1500; 20 Dec 2022: 254.25 + 1500 (see ``tests/core/test_core_published_example.py``).
    """
    if as_of < terms.disbursed_on:
        raise ValueError("查询日不能早于放款日")
    payments = tuple(payments)
    if any(payment.on < terms.disbursed_on for payment in payments):
        raise ValueError("还款日不能早于放款日")
    contract = walk(_Contract(terms), as_of, payments, early_repayments)
    return Simulation(
        settlements=tuple(contract.rows),
        postings=tuple(contract.postings),
        early_repayments=tuple(contract.outcomes),
        state=contract.state(as_of),
    )


def simulate_with_plan(
    terms: LoanTerms,
    as_of: date,
    payments: Iterable[Payment] = (),
    early_repayments: Sequence[EarlyRepayment] = (),
    *,
    paid_ahead: Decimal,
) -> tuple[Simulation, tuple[SettlementRow, ...]]:
    """``simulate(terms, as_of, payments, early_repayments)`` and the settlements to maturity of
    ``simulate(terms, max(as_of, maturity), [*payments, Payment(as_of, paid_ahead)], early_repayments)``
    — what is known today, and the plan from today if ``paid_ahead`` were paid in today
    (loans.amount_due: the page every student opens).

    One walk instead of two: up to the end of ``as_of`` both walks make the same calls, the second
    one then pays ``paid_ahead`` last on that day; so the state is taken there, the payment made and
    the walk carried on. Not when an early repayment falls on ``as_of``: it runs after the day's
    payments, so it would see ``paid_ahead`` in one walk and not in the other — two walks then.
    """
    payments = tuple(payments)
    end = max(as_of, terms.maturity)
    if any(e.on == as_of and e.on > terms.disbursed_on for e in early_repayments):
        now = simulate(terms, as_of, payments, early_repayments)
        ahead = simulate(terms, end, [*payments, Payment(as_of, paid_ahead)], early_repayments)
        return now, ahead.settlements
    if as_of < terms.disbursed_on:
        raise ValueError("查询日不能早于放款日")
    if any(payment.on < terms.disbursed_on for payment in payments):
        raise ValueError("还款日不能早于放款日")
    contract = walk(_Contract(terms), as_of, payments, early_repayments)
    now = Simulation(
        settlements=tuple(contract.rows),
        postings=tuple(contract.postings),
        early_repayments=tuple(contract.outcomes),
        state=contract.state(as_of),
    )
    contract.pay(as_of, paid_ahead)
    walk(contract, end, payments, early_repayments, after=as_of)
    return now, tuple(contract.rows)


def owed_items(
    terms: LoanTerms,
    on: date,
    payments: Iterable[Payment] = (),
    early_repayments: Sequence[EarlyRepayment] = (),
) -> list[Owed]:
    """What a payment on ``on`` would find owed on this contract, item by item: the amounts due
    and unpaid at the end of ``on``'s settlement (and the day's earlier payments), plus the penalty
    and compound interest a payment charges first (accrued to ``on``, rounded as ``pay`` does).

    The input of :func:`xuedai.core.allocation.split_across_contracts`: spreading one payment over
    a borrower's contracts needs each contract's items, not only its totals (DOMAIN.md §4
    Allocation: category by category, the oldest contract first within each).
    """
    contract = walk(_Contract(terms), on, payments, early_repayments)
    owed = [Owed(i.kind, i.due_on, i.unpaid) for i in contract.items if i.unpaid > 0]
    for kind, accrual in (("penalty", contract.penalty), ("compound", contract.compound)):
        amount = accrual.rounded()
        if amount > 0:
            owed.append(Owed(kind, on, amount))  # type: ignore[arg-type]
    return owed
