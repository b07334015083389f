"""What a borrower owes, when, and where to pay it — the one answer every page, card and PDF gives.

Every student page, the calculator's plan, the 还款提醒卡, the 还款确认书, the reminders and the
home card read it here, so no two of them can disagree (DOMAIN.md §9 "not knowing what is due").

For each disbursed contract the core engine walks the ledger's own terms and payments
(``loans.terms.contract_terms``, ``ledger_payments``, the early-repayment applications — what
``xuedai reconcile`` replays):

- **today** (``core.engine.simulate`` to today): what is overdue (principal, interest, penalty and
  compound charged or accrued — DOMAIN.md §4 Overdue), what falls due today and is still unpaid,
  credit waiting;
- **from today on**, paying as planned (a notional payment today larger than anything that can
  fall due waits as credit and settles each amount on its day; credit never repays principal
  early): every later settlement (DOMAIN.md §4 Settlement, Principal plan) and an early
  repayment's deduction day (§1) with the borrower's interest and principal of each.

The next amount due is the first of those on which the borrower pays something: while the state
pays the interest (贴息, in school), the settlements before the first self-paid one ask nothing.
The deposit day follows the contract's policy version (``deposit_days_before``: the seed's ≥ 10
days before the repayment day, 0 in the newer ones; an early repayment by its deduction day), and
an overdue amount goes in the next re-deduction run (core.deposits). The channel is the one the
deduction run uses (loans.channels), the Alipay account shown masked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from xuedai.core.allocation import Category
from xuedai.core.deposits import deposit_deadline, overdue_deduction
from xuedai.core.engine import SettlementRow, simulate_with_plan
from xuedai.core.money import ZERO
from xuedai.origination.models import LIVE_STATES, Contract
from xuedai.policies.cache import attach_policy_versions

from .channels import PaymentChannel, payment_channel
from .due_prefetch import prefetch_due
from .models import LoanAccount
from .services.ledger import Row, ledger_payments, net_postings_of
from .terms import contract_terms, early_repayments_core


@dataclass(frozen=True)
class Due:
    """An amount the borrower must have deposited by ``deposit_by`` for the deduction on ``on``."""

    on: dt.date
    interest: Decimal  # the borrower's own interest (自付利息); 贴息 is the state's
    principal: Decimal
    deposit_by: dt.date
    deposit_days: int  # the policy's lead time (0: by the due day itself)
    early: bool = False  # an early repayment's deduction (提前还款)

    @property
    def total(self) -> Decimal:
        return self.interest + self.principal


@dataclass(frozen=True)
class Overdue:
    """Overdue amounts, payable at once: deducted again in the next run (DOMAIN.md §4 Overdue)."""

    principal: Decimal
    interest: Decimal
    penalty: Decimal  # 罚息 and 复利, charged and accrued to today
    days: int
    deposit_by: dt.date
    deduct_on: dt.date

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.penalty


@dataclass(frozen=True)
class ContractDue:
    contract: Contract
    channel: PaymentChannel
    next: Due | None  # the next amount with something for the borrower to pay
    overdue: Overdue | None
    upcoming: tuple[Due, ...]  # every amount from today to maturity, paid as planned
    plan: tuple[SettlementRow, ...]  # every settlement to maturity (贴息 included), paid as planned
    outstanding: Decimal
    credit: Decimal  # paid in and waiting: it pays the next amounts as they fall due

    @property
    def to_deposit(self) -> Decimal:
        """The next amount less what already waits in the account."""
        return max((self.next.total if self.next else ZERO) - self.credit, ZERO)


@dataclass(frozen=True)
class BorrowerDue:
    contracts: tuple[ContractDue, ...]
    next: Due | None  # the first day anything is due, summed over the contracts due that day
    overdue: Overdue | None
    upcoming: tuple[Due, ...]  # by day, summed over the contracts
    channels: tuple[PaymentChannel, ...] = field(default=())  # each distinct one, oldest contract first

    @property
    def outstanding(self) -> Decimal:
        return sum((c.outstanding for c in self.contracts), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((c.credit for c in self.contracts), ZERO)

    @property
    def deposit_days(self) -> int:
        """The longest lead time of the borrower's policy versions (the seed's 10 days, or 0)."""
        return max((c.contract.policy_version.deposit_days_before for c in self.contracts), default=0)

    @property
    def to_deposit(self) -> Decimal:
        return max((self.next.total if self.next else ZERO) - self.credit, ZERO)


# What contract_terms reads through ``.all()``, for a caller's own prefetch_related (live_contracts
# and the student pages use due_prefetch.prefetch_due: only the relations with rows are read).
TERMS_PREFETCH = ("terms_changes", "rate_changes", "instalments")
# The contracts' accounts selected with them (``select_related(*DUE_RELATED)``), and what
# contract_due reads through ``.all()`` filled by ``due_prefetch.prefetch_due``: borrower_due then
# reads no account of its own, and the relations without rows cost no statement.
DUE_RELATED = ("county__agent_bank", "university", "account")


def live_contracts(borrower, today: dt.date) -> list[Contract]:
    """The borrower's contracts with money out on ``today``, oldest first (先收息、后还本 runs over a
    borrower's contracts oldest first, DOMAIN.md §4 Allocation)."""
    contracts = list(Contract.objects
                     .filter(borrower=borrower, state__in=LIVE_STATES, disbursed_on__lte=today)
                     .select_related(*DUE_RELATED).order_by("academic_year", "pk"))
    prefetch_due(contracts)
    attach_policy_versions(contracts)
    return contracts


def _due(on: dt.date, interest: Decimal, principal: Decimal, contract: Contract, early: bool) -> Due:
    days = 0 if early else contract.policy_version.deposit_days_before
    return Due(on, interest, principal, deposit_deadline(on, days), days, early)


def _unpaid_today(contract: Contract, sim, today: dt.date) -> Due | None:
    """What fell due today and is not paid yet (not overdue until the day ends)."""
    if sim.state.due_today <= 0:
        return None
    row = next(r for r in sim.settlements if r.on == today)
    paid = defaultdict(lambda: ZERO)
    for p in sim.postings:
        if p.on == today and p.due_on == today:
            paid[p.category] += p.amount
    interest = row.borrower_interest - paid[Category.INTEREST_DUE]
    principal = row.principal_due - paid[Category.PRINCIPAL_DUE]
    return _due(today, interest, principal, contract, row.kind == "early_repayment")


def contract_due(contract: Contract, today: dt.date, account: LoanAccount | None = None,
                 rows: list[Row] | None = None) -> ContractDue:
    """The answer for one disbursed contract (``account``: its LoanAccount if already loaded;
    ``rows``: its net postings if already read, ``net_postings_of``)."""
    if account is None:
        account = LoanAccount.objects.filter(pk=contract.pk).prefetch_related(
            "reliefs__programme", "early_repayments").first()
    terms = contract_terms(contract, list(account.reliefs.all()) if account else [])
    payments = ledger_payments(account.pk, rows=rows) if account else []
    early = early_repayments_core(account.early_repayments.all()) if account else []
    # Paying as planned from today: more than can ever fall due, paid in today and waiting as credit
    # (the plan); the state today without it (one walk for both, core.engine.simulate_with_plan).
    now, plan = simulate_with_plan(terms, today, payments, early, paid_ahead=terms.principal * 3)
    upcoming = [_due(r.on, r.borrower_interest, r.principal_due, contract, r.kind == "early_repayment")
                for r in plan if r.on > today and r.borrower_interest + r.principal_due > 0]
    today_due = _unpaid_today(contract, now, today)
    if today_due is not None:
        upcoming.insert(0, today_due)
    state = now.state
    overdue = None
    owed = state.overdue_principal + state.overdue_interest + state.penalty_interest
    if owed > 0:
        deposit_by, deduct_on = overdue_deduction(today)
        overdue = Overdue(state.overdue_principal, state.overdue_interest, state.penalty_interest,
                          state.overdue_days, deposit_by, deduct_on)
    return ContractDue(contract=contract, channel=payment_channel(contract, account),
                       next=upcoming[0] if upcoming else None, overdue=overdue, upcoming=tuple(upcoming),
                       plan=plan, outstanding=state.outstanding_principal, credit=state.credit)


def _sum_dues(dues: list[Due]) -> Due:
    """Dues of one day over several contracts: the amounts add, the earliest deposit day holds."""
    strictest = min(dues, key=lambda d: d.deposit_by)
    return Due(dues[0].on, sum((d.interest for d in dues), ZERO), sum((d.principal for d in dues), ZERO),
               strictest.deposit_by, strictest.deposit_days, any(d.early for d in dues))


def _accounts(contracts: list[Contract]) -> dict[int, LoanAccount]:
    """The contracts' accounts: those selected with them (DUE_RELATED), else read here."""
    if all(Contract.account.is_cached(c) for c in contracts):
        selected = (getattr(c, "account", None) for c in contracts)
        return {a.pk: a for a in selected if a is not None}
    return {a.pk: a for a in LoanAccount.objects.filter(pk__in=[c.pk for c in contracts])
            .prefetch_related("reliefs__programme", "early_repayments")}


def borrower_due(borrower, today: dt.date, contracts: list[Contract] | None = None) -> BorrowerDue:
    """The answer over all of ``borrower``'s disbursed contracts (``contracts``: already loaded)."""
    contracts = live_contracts(borrower, today) if contracts is None else contracts
    accounts = _accounts(contracts)
    postings = net_postings_of(list(accounts))  # one read for all the borrower's ledgers
    per_contract = [contract_due(c, today, accounts.get(c.pk), postings.get(c.pk, [])) for c in contracts]
    by_day: dict[dt.date, list[Due]] = defaultdict(list)
    for c in per_contract:
        for due in c.upcoming:
            by_day[due.on].append(due)
    upcoming = tuple(_sum_dues(by_day[day]) for day in sorted(by_day))
    overdue = None
    late = [c.overdue for c in per_contract if c.overdue is not None]
    if late:
        overdue = Overdue(sum((o.principal for o in late), ZERO), sum((o.interest for o in late), ZERO),
                          sum((o.penalty for o in late), ZERO), max(o.days for o in late),
                          late[0].deposit_by, late[0].deduct_on)
    channels: list[PaymentChannel] = []
    for c in per_contract:
        if c.channel not in channels:
            channels.append(c.channel)
    return BorrowerDue(contracts=tuple(per_contract), next=upcoming[0] if upcoming else None, overdue=overdue,
                       upcoming=upcoming, channels=tuple(channels))
