"""The ledger's write path: post, reverse, derive balances, keep the cache in step, sync to the engine.

ARCHITECTURE principle 2. Every posting goes through :func:`_post_many` and every correction through
:func:`posting_reverse`; the cached balances on ``LoanAccount`` are recomputed from the postings in
the same transaction (:func:`account_refresh`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from xuedai.audit.services import audit_record
from xuedai.core.money import ZERO
from xuedai.core.terms import Payment
from xuedai.origination.models import SERVICING_STATES, ContractState
from xuedai.origination.services.transitions import contract_follow

from ..models import BALANCES, EFFECTS, OUTSIDE_ENGINE, PAY_KINDS, Kind, LoanAccount, Posting
from ..replay import Expected, replay, totals
from ..terms import contract_terms, early_repayments_core


class LedgerError(Exception):
    """The ledger and the engine disagree about a day that should be in step."""


def _effect(kind: str, reversed_kind: str | None) -> dict[str, int]:
    if kind == Kind.REVERSAL:
        return {field: -sign for field, sign in EFFECTS[reversed_kind].items()}
    return EFFECTS[kind]


Row = tuple[dt.date, str, dt.date | None, Decimal]


def _net_postings(account_id: int) -> list[Row]:
    """(day, kind, due day, signed amount) of every posting; a reversal counts negative against the
    kind and due day of the posting it reverses, on that posting's day."""
    return net_postings_of([account_id]).get(account_id, [])


def net_postings_of(account_ids: list[int]) -> dict[int, list[Row]]:
    """:func:`_net_postings` of several accounts in one read (a borrower's page: one statement for
    all the borrower's contracts, not one per contract)."""
    rows = Posting.objects.filter(account_id__in=account_ids).values_list(
        "account_id", "business_date", "kind", "due_on", "amount", "reverses__business_date",
        "reverses__kind", "reverses__due_on")
    result: dict[int, list[Row]] = defaultdict(list)
    for account_id, day, kind, due_on, amount, r_day, r_kind, r_due in rows:
        if kind == Kind.REVERSAL:
            result[account_id].append((r_day, r_kind, r_due, -amount))
        else:
            result[account_id].append((day, kind, due_on, amount))
    return result


def account_balances_from_postings(account: LoanAccount | int) -> dict[str, Decimal]:
    """Every balance of ``account`` derived from its postings alone (the truth the cache mirrors)."""
    account_id = account if isinstance(account, int) else account.pk
    balances = dict.fromkeys(BALANCES, ZERO)
    rows = (Posting.objects.filter(account_id=account_id)
            .values("kind", "reverses__kind").annotate(total=Sum("amount")))
    for row in rows:
        for field, sign in _effect(row["kind"], row["reverses__kind"]).items():
            balances[field] += sign * row["total"]
    return balances


def balances_from_rows(rows: list[Row]) -> dict[str, Decimal]:
    """The balances of :func:`account_balances_from_postings`, from already-fetched rows."""
    balances = dict.fromkeys(BALANCES, ZERO)
    for _day, kind, _due, amount in rows:
        for field, sign in EFFECTS[kind].items():
            balances[field] += sign * amount
    return balances


# kind → (due item, sign): the principal_due / interest_due part of EFFECTS, by due day.
_DUE_ITEM_SIGN = {kind: (what, effect[f"{what}_due"]) for kind, effect in EFFECTS.items()
                  for what in ("principal", "interest") if f"{what}_due" in effect}


def due_items_from_postings(account_id: int,
                            rows: list[Row] | None = None) -> dict[str, dict[dt.date, Decimal]]:
    """Unpaid principal and interest by due day, from the postings (charges minus payments)."""
    items: dict[str, dict[dt.date, Decimal]] = {"principal": defaultdict(lambda: ZERO),
                                                "interest": defaultdict(lambda: ZERO)}
    for _day, kind, due_on, amount in (_net_postings(account_id) if rows is None else rows):
        if kind in _DUE_ITEM_SIGN:
            what, s = _DUE_ITEM_SIGN[kind]
            items[what][due_on] += s * amount
    return {what: {d: v for d, v in by_day.items() if v} for what, by_day in items.items()}


def oldest_unpaid_due(account_id: int, rows: list[Row] | None = None) -> dt.date | None:
    items = due_items_from_postings(account_id, rows)
    days = [d for what in items.values() for d, v in what.items() if v > 0]
    return min(days, default=None)


@transaction.atomic
def account_refresh(account: LoanAccount, on: dt.date | None = None,
                    rows: list[Row] | None = None) -> LoanAccount:
    """Recompute the cached balances from the postings (``rows``: already fetched, current);
    mirror them on the contract row."""
    from xuedai import businessdate

    on = on or businessdate.today()
    rows = _net_postings(account.pk) if rows is None else rows
    for field, value in balances_from_rows(rows).items():
        setattr(account, field, value)
    account.oldest_unpaid_due = oldest_unpaid_due(account.pk, rows)
    if account.principal_due + account.interest_due + account.penalty_due == 0:
        account.penalty_accrued = ZERO  # nothing overdue, nothing accruing
    account.save(update_fields=[*BALANCES, "oldest_unpaid_due", "penalty_accrued", "penalty_accrued_on",
                                "last_settled_on", "updated_at"])
    contract = account.contract
    type(contract).objects.filter(pk=contract.pk).update(
        outstanding_principal=account.principal_outstanding, overdue_since=account.oldest_unpaid_due)
    contract.outstanding_principal = account.principal_outstanding
    contract.overdue_since = account.oldest_unpaid_due
    # The state the balances imply, through the servicing rows of the contract's table; read afresh,
    # since a batch may have moved it since this contract object was loaded (the account is locked).
    contract.refresh_from_db(fields=["state"])
    contract_follow(contract, contract_state(account, contract, on))
    return account


def _payout_ahead(contract) -> bool:
    """Staged disbursement: an instalment still to be paid out (a campus loan without fees has
    nothing out until its first living-expense day; it is not settled)."""
    return contract.instalments.filter(paid_on__isnull=True, cancellation__isnull=True).exists()


def contract_state(account: LoanAccount, contract, on: dt.date) -> str:
    """The contract state the balances imply on ``on`` (DOMAIN.md §4): settled once nothing is
    owed, overdue once an amount is unpaid past the end of its due day, repaying once the borrower
    pays interest (self-pay start), else disbursed."""
    if contract.state not in SERVICING_STATES:
        return contract.state
    if (account.principal_outstanding == 0 and account.interest_due == 0 and account.penalty_due == 0
            and not _payout_ahead(contract)):
        return ContractState.SETTLED
    if account.oldest_unpaid_due is not None and account.oldest_unpaid_due < on:
        return ContractState.OVERDUE
    if contract.self_pay_from is not None and on >= contract.self_pay_from:
        return ContractState.REPAYING
    return ContractState.DISBURSED



def _post_many(account: LoanAccount, rows: Iterable[Expected], *, job_run=None,
               memo: str = "") -> list[Posting]:
    postings = [Posting(account=account, business_date=r.on, kind=r.kind, amount=r.amount, due_on=r.due_on,
                        job_run=job_run, memo=memo) for r in rows if r.amount > 0]
    return Posting.objects.bulk_create(postings)


@transaction.atomic(durable=True)
def posting_reverse(*, actor, posting: Posting, reason: str, on: dt.date | None = None) -> Posting:
    """Cancel ``posting`` with a counter-posting (never an edit); a posting is reversed at most once
    (unique ``reverses_id``); a reversal itself cannot be reversed."""
    from xuedai import businessdate

    if posting.kind == Kind.REVERSAL:
        raise LedgerError("冲正分录不能再冲正")
    if Posting.objects.filter(reverses=posting).exists():
        raise LedgerError("该分录已冲正")
    account = (LoanAccount.objects.select_for_update(of=("self",)).select_related("contract")
               .get(pk=posting.account_id))
    reversal = Posting.objects.create(account=account, business_date=on or businessdate.today(),
                                      kind=Kind.REVERSAL, amount=posting.amount, due_on=posting.due_on,
                                      reverses=posting, memo=reason[:200])
    account_refresh(account, reversal.business_date)
    audit_record(actor=actor, action="loans.posting_reverse", obj=reversal, subject=account.contract,
                 after={"reverses": posting.pk, "kind": posting.kind, "amount": posting.amount,
                        "reason": reason})
    return reversal


def ledger_payments(account_id: int, *, before: dt.date | None = None,
                    rows: list[Row] | None = None) -> list[Payment]:
    """The cash the borrower paid in, per day, as the engine's Payments: Σ PAY_* + CREDIT_IN −
    CREDIT_APPLIED of that day (credit is cash kept back; applying it is not new cash)."""
    by_day: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for day, kind, _due, amount in (_net_postings(account_id) if rows is None else rows):
        if before is not None and day >= before:
            continue
        if kind in PAY_KINDS or kind == Kind.CREDIT_IN:
            by_day[day] += amount
        elif kind == Kind.CREDIT_APPLIED:
            by_day[day] -= amount
    return [Payment(day, amount) for day, amount in sorted(by_day.items()) if amount > 0]


def account_replay(account: LoanAccount, as_of: dt.date, *, extra_payment: Decimal | None = None,
                   payments: list[Payment] | None = None, rows: list[Row] | None = None, terms=None):
    """The engine's walk of the account to ``as_of`` with the ledger's own payments (+ one more)."""
    payments = list(ledger_payments(account.pk, rows=rows) if payments is None else payments)
    if extra_payment:
        payments.append(Payment(as_of, extra_payment))
    early = early_repayments_core(account.early_repayments.all())
    return replay(terms or account_terms(account), as_of, payments, early)


def account_terms(account: LoanAccount):
    """The account's terms; its reliefs come from the prefetch cache when the caller prefetched."""
    return contract_terms(account.contract, list(account.reliefs.all()))


@transaction.atomic
def ledger_sync(*, account: LoanAccount, on: dt.date, extra_payment: Decimal | None = None, job_run=None,
                memo: str = "", through: bool = False, payments: list[Payment] | None = None, terms=None):
    """Post what the engine says happened on ``on`` and is not on the ledger yet; return the replay.

    ``through=True`` (take-on of a contract disbursed before the ledger existed) posts every missing
    day up to ``on``. A day on which the ledger already holds *more* than the engine is an error to
    reverse, not to paper over: it raises :class:`LedgerError` (and ``xuedai reconcile`` reports it).
    """
    rows = _net_postings(account.pk)
    result = account_replay(account, on, extra_payment=extra_payment, payments=payments, rows=rows,
                            terms=terms)
    expected = totals(r for r in result.expected if (r.on <= on if through else r.on == on))
    held: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for day, kind, due_on, amount in rows:
        if kind not in OUTSIDE_ENGINE and ((day <= on) if through else (day == on)):
            held[(day, kind, due_on)] += amount
    missing = []
    for key in sorted(set(expected) | set(held), key=lambda k: (k[0], k[1], k[2] or dt.date.min)):
        gap = expected.get(key, ZERO) - held.get(key, ZERO)
        if gap < 0:
            raise LedgerError(f"账户 {account.pk} {key[0]} {key[1]} 分录多于引擎计算 {-gap}，须冲正后重算")
        if gap > 0:
            missing.append(Expected(key[0], key[1], gap, key[2]))
    _post_many(account, missing, job_run=job_run, memo=memo)
    rows += [(r.on, r.kind, r.due_on, r.amount) for r in missing]
    return result, missing, rows

