"""``xuedai reconcile``: every account recomputed twice and compared with its cache (DOMAIN.md §4).

1. From its postings: each cached balance against :func:`services.account_balances_from_postings`.
2. From the core engine: the terms (contract + policy + reliefs) and the payments the ledger holds
   (Σ PAY_* + CREDIT_IN − CREDIT_APPLIED per day) are run through ``core.engine.simulate`` and its
   state compared with the ledger's: outstanding, overdue and due-today principal and interest,
   credit, subsidy receivable, penalties charged; and the engine's postings, summed by kind over
   the whole history, against the ledger's (so two compensating mistakes still show).

3. From outside the ledger (:mod:`.reconcile_files`): each deduction run's lines as the imported
   result files record them against the cash its posting jobs put on the accounts — so a line
   posted twice, or a result recorded and never posted, is reported even though the ledger agrees
   with itself.

A difference is (account, field, ledger value, recomputed value); none means the ledger, its
cache, the engine and the channels' files agree fen for fen.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from xuedai.core.engine import simulate
from xuedai.core.money import ZERO

from .models import BALANCES, OUTSIDE_ENGINE, Kind, LoanAccount
from .reconcile_files import FileDifference, result_file_differences
from .replay import replay
from .services.ledger import (
    _net_postings,
    account_balances_from_postings,
    due_items_from_postings,
    ledger_payments,
    oldest_unpaid_due,
)
from .terms import contract_terms, early_repayments_core

DISBURSEMENT_KINDS = (Kind.DISBURSE_UNIVERSITY, Kind.DISBURSE_STUDENT)


@dataclass(frozen=True)
class Difference:
    account_id: int
    field: str
    ledger: object
    recomputed: object

    def __str__(self) -> str:
        return f"账户 {self.account_id}\t{self.field}\t账面 {self.ledger}\t重算 {self.recomputed}"


def _diff(out: list, account_id: int, field: str, ledger, recomputed) -> None:
    if ledger != recomputed:
        out.append(Difference(account_id, field, ledger, recomputed))


def account_differences(account: LoanAccount, as_of: dt.date) -> list[Difference]:
    out: list[Difference] = []
    pk = account.pk
    derived = account_balances_from_postings(pk)
    rows = _net_postings(pk)  # one read of the postings for everything below
    for field in BALANCES:
        _diff(out, pk, f"cache.{field}", getattr(account, field), derived[field])
    _diff(out, pk, "cache.oldest_unpaid_due", account.oldest_unpaid_due, oldest_unpaid_due(pk, rows))

    contract = account.contract
    _diff(out, pk, "contract.outstanding_principal", contract.outstanding_principal,
          derived["principal_outstanding"])
    terms = contract_terms(contract)
    payments = ledger_payments(pk, rows=rows)
    early = early_repayments_core(account.early_repayments.all())
    sim = simulate(terms, as_of, payments, early)
    state = sim.state
    items = due_items_from_postings(pk, rows)
    by_age = defaultdict(lambda: ZERO)
    for what, by_day in items.items():
        for due_on, amount in by_day.items():
            age = "overdue" if due_on < as_of else "today" if due_on == as_of else "future"
            by_age[(what, age)] += amount
    _diff(out, pk, "engine.principal_outstanding", derived["principal_outstanding"],
          state.outstanding_principal)
    _diff(out, pk, "engine.overdue_principal", by_age[("principal", "overdue")], state.overdue_principal)
    _diff(out, pk, "engine.overdue_interest", by_age[("interest", "overdue")], state.overdue_interest)
    _diff(out, pk, "engine.due_today", by_age[("principal", "today")] + by_age[("interest", "today")],
          state.due_today)
    _diff(out, pk, "engine.credit", derived["credit"], state.credit)
    subsidy = sum((row.subsidy_interest for row in sim.settlements), ZERO)
    received = sum((a for _d, k, _due, a in rows if k == Kind.SUBSIDY_RECEIVED), ZERO)
    _diff(out, pk, "engine.subsidy_receivable", derived["subsidy_receivable"], subsidy - received)

    walk = replay(terms, as_of, payments, early)
    _diff(out, pk, "engine.penalty_charged", derived["penalty_due"], walk.penalty_charged_unpaid)
    engine_by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in walk.expected:
        engine_by_kind[row.kind] += row.amount
    ledger_by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for _day, kind, _due, amount in rows:
        ledger_by_kind[kind] += amount
    for kind in sorted(set(engine_by_kind) | set(ledger_by_kind)):
        if kind in OUTSIDE_ENGINE:
            continue
        _diff(out, pk, f"posted.{kind}", ledger_by_kind.get(kind, ZERO), engine_by_kind.get(kind, ZERO))
    disbursed = sum((ledger_by_kind.get(k, ZERO) for k in DISBURSEMENT_KINDS), ZERO)
    # Staged disbursement: what the tranches due by as_of add up to (core.tranches), else the amount.
    paid_out = (sum((t.amount for t in terms.tranches if t.on <= as_of), ZERO) if terms.tranches
                else contract.amount)
    _diff(out, pk, "posted.disbursement", disbursed, paid_out)
    return out


def reconcile(*, as_of: dt.date, chunk_size: int = 500,
              on_progress: Callable[[int, int], None] | None = None) -> Iterator[Difference | FileDifference]:
    """Every account's differences, chunk by chunk (keyset over the account id), then the result
    files' against the ledger."""
    qs = LoanAccount.objects.select_related("contract__policy_version").order_by("pk")
    total, done, last = qs.count(), 0, 0
    while True:
        chunk = list(qs.filter(pk__gt=last)
                     .prefetch_related("reliefs__programme", "early_repayments",
                                       "contract__rate_changes", "contract__instalments")[:chunk_size])
        if not chunk:
            break
        for account in chunk:
            yield from account_differences(account, as_of)
        done, last = done + len(chunk), chunk[-1].pk
        if on_progress:
            on_progress(done, total)
    yield from result_file_differences(as_of=as_of)
