"""The ledger of every demo contract that paid out: its loan account, postings and early repayments.

What the demo says happened (contracts.py) is what ``loans.services.account_take_on`` rebuilds for
one contract with the core engine: the money went out on the disbursement day, tuition and
accommodation to the university first (DOMAIN.md §3.1 step 7); every settlement day (DOMAIN.md §4
Settlement) charged the state's 贴息 and the borrower's interest and the plan's principal, and the
borrower paid it that day — except an overdue borrower, who has paid nothing since the first
settlement they missed; a borrower drawn as settled repaid everything early on the 20th of a month
(DOMAIN.md §1 early repayment: an application, and the money paid in that day).

Here the same history comes from the settlement kernel (``xuedai.batch.settle_kernel``, equal to the core
fen for fen) over every contract at once, one event day at a time, and each event is posted the
way ``loans.replay`` maps the engine's walk to postings — so ``xuedai reconcile`` finds no
difference. Penalty (罚息) and compound interest of the overdue (accrued, not charged: no payment
since) come from the penalty kernel, as the daily ``penalty_accrue`` would leave them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import numpy as np

from xuedai.batch.dates import field as calendar_field
from xuedai.batch.dates import from_ymd
from xuedai.batch.exact import NO_DATE, rate_units
from xuedai.batch.penalty_kernel import penalty_by_account
from xuedai.batch.settle_io import first_principal_due
from xuedai.batch.settle_kernel import interest_split, settle
from xuedai.loans.models import Kind
from xuedai.loans.terms import early_repayment_date

from .contracts import DISBURSED, OVERDUE, REPAYING, SETTLED, Contracts, among
from .people import BUSINESS_DATE, CURRENT_YEAR, Students
from .policy import PolicyLookup

# The kinds the demo posts, in a fixed order (the posting rows carry an index into it).
KINDS = [Kind.DISBURSE_UNIVERSITY, Kind.DISBURSE_STUDENT, Kind.SUBSIDY_INTEREST, Kind.INTEREST,
         Kind.PRINCIPAL, Kind.PAY_INTEREST, Kind.PAY_PRINCIPAL, Kind.CREDIT_IN, Kind.CREDIT_APPLIED]
K = {kind: i for i, kind in enumerate(KINDS)}
PAYS = (K[Kind.PAY_INTEREST], K[Kind.PAY_PRINCIPAL])
EARLY_MONTHS = np.arange(1, 10)  # 20 Jan – 20 Sep: a deduction day under every version's rule


def day_numbers(days: np.ndarray) -> np.ndarray:
    """datetime64[D] → the kernels' day numbers (NaT → NO_DATE)."""
    d = np.asarray(days, dtype="datetime64[D]")
    return np.where(np.isnat(d), NO_DATE, d.astype(np.int64))


@dataclass
class Postings:
    """Postings as columns: row (into Ledger's accounts), day, kind index, fen, due day."""

    parts: list[tuple[np.ndarray, ...]] = field(default_factory=list)

    def add(self, kind: str, rows: np.ndarray, fen: np.ndarray, on: int | np.ndarray,
            due: int | np.ndarray | None) -> None:
        keep = fen > 0
        n = int(keep.sum())
        if not n:
            return
        on_col = np.broadcast_to(np.asarray(on, dtype=np.int32), keep.shape)[keep]
        due_col = (np.full(n, NO_DATE, dtype=np.int32) if due is None
                   else np.broadcast_to(np.asarray(due, dtype=np.int32), keep.shape)[keep])
        self.parts.append((rows[keep].astype(np.int32), on_col, np.full(n, K[kind], dtype=np.int8),
                           fen[keep].astype(np.int64), due_col))

    def columns(self) -> dict[str, np.ndarray]:
        """The postings in the order they were added: by day (postings arrive in business-date
        order, which keeps the ledger's BRIN index on the day tight — loans migration 0004), and
        within a day in the engine's order. Sorting them by account instead was measured to buy
        nothing: PostgreSQL builds the account index as fast from either order."""
        names = ("row", "day", "kind", "fen", "due")
        if not self.parts:
            return {name: np.zeros(0, dtype=np.int64) for name in names}
        return {name: np.concatenate([p[i] for p in self.parts]) for i, name in enumerate(names)}


@dataclass
class Ledger:
    """Per account (one per paid-out contract; ``contract`` is its row in the plan) and per posting."""

    contract: np.ndarray
    principal_outstanding: np.ndarray  # fen
    principal_due: np.ndarray
    interest_due: np.ndarray
    subsidy_receivable: np.ndarray
    penalty_accrued: np.ndarray
    last_settled: np.ndarray  # day numbers, NO_DATE for none
    oldest_unpaid: np.ndarray
    early_on: np.ndarray  # the early repayment's deduction day (NO_DATE: none)
    early_applied: np.ndarray
    postings: dict[str, np.ndarray]
    as_of: int

    @property
    def n(self) -> int:
        return len(self.contract)

    def states(self, self_pay_from: np.ndarray) -> np.ndarray:
        """The contract state the balances imply (``loans.services.ledger.contract_state``)."""
        settled = (self.principal_outstanding == 0) & (self.interest_due == 0)
        overdue = self.oldest_unpaid < self.as_of
        repaying = self_pay_from <= self.as_of
        return np.select([settled, overdue, repaying], [SETTLED, OVERDUE, REPAYING], DISBURSED)


def _settlement_days(dis: np.ndarray, mat: np.ndarray, month: np.ndarray, dom: np.ndarray,
                     as_of: int) -> tuple[set[int], set[int]]:
    """(the settlement month-days after the first disbursement, the maturities) up to ``as_of``."""
    years = range(int(calendar_field("year", np.array([dis.min()]))[0]),
                  int(calendar_field("year", np.array([as_of]))[0]) + 1)
    pairs = set(zip(month.tolist(), dom.tolist(), strict=True))
    regular = {int(from_ymd(np.array([y]), m, d)[0]) for y in years for m, d in pairs}
    return {d for d in regular if d <= as_of}, set(np.unique(mat[mat <= as_of]).tolist())


def _early_repayments(plan: Contracts, idx: np.ndarray, grad_year: np.ndarray, lookup: PolicyLookup,
                      mat: np.ndarray, rng: np.random.Generator, as_of: int) -> tuple[np.ndarray, np.ndarray]:
    """(deduction day, application day) of each settled borrower's early repayment: one day per
    borrower, on the 20th of Jan–Sep of a year from graduation on, before every maturity."""
    chosen = plan.state[idx] == SETTLED
    borrower = plan.borrower[idx]
    people = np.unique(borrower[chosen])
    grad = np.zeros(int(borrower.max(initial=0)) + 1, dtype=np.int64)
    grad[borrower] = grad_year
    years = grad[people] + (rng.random(len(people)) * (CURRENT_YEAR + 1 - grad[people])).astype(np.int64)
    month = EARLY_MONTHS[(rng.random(len(people)) * len(EARLY_MONTHS)).astype(np.int64)]
    per_person = np.full(len(grad), NO_DATE, dtype=np.int64)
    per_person[people] = from_ymd(years, month, 20)
    on = np.where(chosen, per_person[borrower], NO_DATE)
    on = np.where((on < mat) & (on <= as_of), on, NO_DATE)
    applied = np.full(len(idx), NO_DATE, dtype=np.int64)
    version = plan.version[idx]
    for v in np.unique(version[on != NO_DATE]):
        policy = lookup.versions[v]
        mine = (version == v) & (on != NO_DATE)
        # Apply early enough for the version's window: by the 5th (seed: before the 10th; newer: by
        # the 15th), or the notice period before the deduction day; checked with the loans rule.
        lead = policy.early_repayment_notice_days if policy.early_repayment_rule == "notice" else 15
        applied[mine] = on[mine] - lead
        contract = SimpleNamespace(policy_version=policy)
        for day, when in set(zip(on[mine].tolist(), applied[mine].tolist(), strict=True)):
            got = early_repayment_date(contract, _date(when))
            if got != _date(day):
                raise RuntimeError(f"演示提前还款日不符合政策版本「{policy.name}」：{_date(when)} 申请，"
                                   f"应于 {got} 扣款而不是 {_date(day)}")
    return on, applied


def _date(day_number: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day_number))


def build_ledger(plan: Contracts, students: Students, lookup: PolicyLookup, rng: np.random.Generator,
                 as_of: dt.date = BUSINESS_DATE) -> Ledger:
    """The ledger of every contract whose money went out on or before ``as_of``."""
    today = int(np.datetime64(as_of, "D").astype(np.int64))
    paid_out = among(plan.state, DISBURSED, REPAYING, OVERDUE, SETTLED) & ~np.isnat(plan.disbursed_on)
    idx = np.flatnonzero(paid_out & (plan.disbursed_on <= np.datetime64(as_of)))
    n = len(idx)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Ledger(idx, *([empty] * 9), postings=Postings().columns(), as_of=today)
    version = plan.version[idx]
    principal = plan.amount[idx].astype(np.int64) * 100
    rate = np.array([rate_units(Decimal(r)) for r in lookup.rates] or [0], dtype=np.int64)[plan.rate[idx]]
    dis, mat = day_numbers(plan.disbursed_on[idx]), day_numbers(plan.maturity[idx])
    self_pay = day_numbers(plan.self_pay_from[idx])
    v_month, v_dom = lookup.month_day("settlement_day")
    month, dom = v_month[version], v_dom[version]
    grace = lookup.column("grace_years")[version]
    first_due = first_principal_due(self_pay, month, dom, grace)
    actual = np.array([v.interest_basis == "actual_360" for v in lookup.versions] or [False])[version]
    multiplier = lookup.column("penalty_multiplier", lambda m: int(Decimal(m) * 100))[version]
    # The overdue stop paying at the last settlement on or before their first missed due day.
    since = day_numbers(plan.overdue_since[idx])
    year = calendar_field("year", np.where(since == NO_DATE, today, since))
    last_due = from_ymd(year, month, dom)
    last_due = np.where(last_due > since, from_ymd(year - 1, month, dom), last_due)
    stop = np.where(since == NO_DATE, NO_DATE, np.where((mat <= since) & (mat > last_due), mat, last_due))
    grad_year = students.grad_year[plan.borrower[idx]]
    early_on, early_applied = _early_repayments(plan, idx, grad_year, lookup, mat, rng, today)

    walk = _Walk(principal=principal, rate=rate, dis=dis, mat=mat, self_pay=self_pay, first_due=first_due,
                 actual=actual if actual.any() else None, stop=stop, month=month, dom=dom)
    to_university = np.minimum(plan.amount[idx], plan.tuition[idx] + plan.accommodation[idx]) * 100
    by_payout = np.argsort(dis, kind="stable")
    paid_out = 0  # accounts (in payout order) whose disbursement is posted

    def disburse_until(day: int) -> int:
        """Post the disbursements before ``day``, so the postings stay in business-date order."""
        upto = int(np.searchsorted(dis[by_payout], day, side="left"))
        rows = np.sort(by_payout[paid_out:upto])
        walk.book.add(Kind.DISBURSE_UNIVERSITY, rows, to_university[rows], dis[rows], None)
        walk.book.add(Kind.DISBURSE_STUDENT, rows, principal[rows] - to_university[rows], dis[rows], None)
        return upto

    regular, maturities = _settlement_days(dis, mat, month, dom, today)
    early_days = set(np.unique(early_on[early_on != NO_DATE]).tolist())
    for on in sorted(regular | maturities | early_days):
        paid_out = disburse_until(on)
        # Events of a day in the engine's order (core.engine.walk): the settlement (each waiting
        # payment of the day is the amount just charged), then an early repayment.
        alive = walk.principal - walk.repaid > 0
        rows = np.flatnonzero(alive & (dis < on)) if on in regular else np.flatnonzero(alive & (mat == on))
        if rows.size and (on in regular or on in maturities):
            walk.settle_day(on, rows)
        early = np.flatnonzero(early_on == on)
        if early.size:
            walk.repay_early(on, early)
    disburse_until(today + 1)
    return walk.ledger(idx, multiplier, today, early_on, early_applied)


@dataclass
class _Walk:
    """The portfolio's state between event days, in fen and day numbers (one entry per account)."""

    principal: np.ndarray
    rate: np.ndarray
    dis: np.ndarray
    mat: np.ndarray
    self_pay: np.ndarray
    first_due: np.ndarray
    actual: np.ndarray | None
    stop: np.ndarray  # the overdue pay nothing from this settlement day on (NO_DATE: always pay)
    month: np.ndarray
    dom: np.ndarray
    book: Postings = field(default_factory=Postings)

    def __post_init__(self) -> None:
        n = len(self.principal)
        self.not_yet_due, self.repaid = self.principal.copy(), np.zeros(n, dtype=np.int64)
        self.period_start = self.dis.copy()
        self.subsidy = np.zeros(n, dtype=np.int64)
        self.last_settled = np.full(n, NO_DATE, dtype=np.int64)
        # (rows, interest, principal, due day) of what the overdue left unpaid
        self.unpaid: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []

    def settle_day(self, on: int, s: np.ndarray) -> None:
        """The settlement kernel on accounts ``s``; each pays what fell due unless it stopped paying."""
        one = bool((self.month[s] == self.month[s[0]]).all() and (self.dom[s] == self.dom[s[0]]).all())
        month, dom = (int(self.month[s[0]]), int(self.dom[s[0]])) if one else (self.month[s], self.dom[s])
        r = settle(on, principal=self.principal[s], not_yet_due=self.not_yet_due[s], rate=self.rate[s],
                   disbursed_on=self.dis[s], maturity=self.mat[s], period_start=self.period_start[s],
                   self_pay_from=self.self_pay[s], first_principal_due=self.first_due[s],
                   actual_360=None if self.actual is None else self.actual[s], month=month, dom=dom)
        s, subsidy, interest, due = s[r.settles], *(a[r.settles] for a in (
            r.subsidy_interest, r.borrower_interest, r.principal_due))
        book = self.book
        book.add(Kind.SUBSIDY_INTEREST, s, subsidy, on, on)
        book.add(Kind.INTEREST, s, interest, on, on)
        book.add(Kind.PRINCIPAL, s, due, on, on)
        pays = (self.stop[s] == NO_DATE) | (on < self.stop[s])
        book.add(Kind.PAY_INTEREST, s[pays], interest[pays], on, on)
        book.add(Kind.PAY_PRINCIPAL, s[pays], due[pays], on, on)
        left = ~pays & (interest + due > 0)
        if left.any():
            self.unpaid.append((s[left], interest[left], due[left], on))
        self.repaid[s[pays]] += due[pays]
        self.not_yet_due[s] -= due
        self.subsidy[s] += subsidy
        self.period_start[s] = on
        self.last_settled[s[(subsidy + interest) > 0]] = on

    def repay_early(self, on: int, e: np.ndarray) -> None:
        """core.engine ``repay_early`` after the day's payment of exactly what it needs: the payment
        waits as credit, interest to ``on`` and all principal not yet due fall due and are paid."""
        state_part, borrower_part = interest_split(
            on, not_yet_due=self.not_yet_due[e], rate=self.rate[e], period_start=self.period_start[e],
            self_pay_from=self.self_pay[e], actual_360=None if self.actual is None else self.actual[e])
        rest = self.not_yet_due[e]
        total = borrower_part + rest
        book = self.book
        book.add(Kind.CREDIT_IN, e, total, on, None)
        book.add(Kind.SUBSIDY_INTEREST, e, state_part, on, on)
        book.add(Kind.INTEREST, e, borrower_part, on, on)
        book.add(Kind.PRINCIPAL, e, rest, on, on)
        book.add(Kind.PAY_INTEREST, e, borrower_part, on, on)
        book.add(Kind.PAY_PRINCIPAL, e, rest, on, on)
        book.add(Kind.CREDIT_APPLIED, e, total, on, None)
        self.repaid[e] += rest
        self.not_yet_due[e] = 0
        self.subsidy[e] += state_part
        self.period_start[e] = on
        self.last_settled[e[(state_part + borrower_part) > 0]] = on

    def ledger(self, idx, multiplier, today, early_on, early_applied) -> Ledger:
        n = len(idx)
        principal_due, interest_due = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
        oldest = np.full(n, NO_DATE, dtype=np.int64)
        accrued = np.zeros(n, dtype=np.int64)
        if self.unpaid:
            rows, interest, principal = (np.concatenate([u[i] for u in self.unpaid]) for i in range(3))
            due = np.concatenate([np.full(len(u[0]), u[3], dtype=np.int64) for u in self.unpaid])
            np.add.at(principal_due, rows, principal)
            np.add.at(interest_due, rows, interest)
            np.minimum.at(oldest, rows, due)
            # Penalty on overdue principal and compound on overdue interest over [due day, as_of),
            # each rounded once (core.engine keeps two Accruals).
            rate, mult = self.rate[rows], multiplier[rows]
            accrued = (penalty_by_account(rows, n, principal, rate, due, today, mult)
                       + penalty_by_account(rows, n, interest, rate, due, today, mult))
        return Ledger(contract=idx, principal_outstanding=self.principal - self.repaid,
                      principal_due=principal_due, interest_due=interest_due,
                      subsidy_receivable=self.subsidy, penalty_accrued=accrued,
                      last_settled=self.last_settled, oldest_unpaid=oldest, early_on=early_on,
                      early_applied=early_applied, postings=self.book.columns(), as_of=today)


def apply_to(plan: Contracts, ledger: Ledger) -> None:
    """Write the ledger's verdict back on the contract rows, as ``account_refresh`` mirrors it: the
    state the balances imply, the outstanding principal, the oldest unpaid due day."""
    idx = ledger.contract
    plan.state[idx] = ledger.states(day_numbers(plan.self_pay_from[idx]))
    if (ledger.principal_outstanding % 100).any():
        raise RuntimeError("演示贷款余额应为整元")
    plan.outstanding[idx] = ledger.principal_outstanding // 100
    oldest = ledger.oldest_unpaid
    none = np.datetime64("NaT")
    plan.overdue_since[idx] = np.where(oldest == NO_DATE, none, oldest.astype("datetime64[D]"))
