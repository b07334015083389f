"""Staged disbursement in the ledger: pay each planned instalment on its day, cancel the rest on a stop.

DOMAIN.md §3.2 (campus: tuition and accommodation to the university, living expenses to the student
monthly, never in February or August), §3.3 (commercial: tranches on their dates), §4 Status
changes ("stop undisbursed amounts"). The plan is origination's ``Instalment`` rows (written when
the contract's table applies its disburse row); the engine walks them through
``loans.terms.contract_terms`` — interest only on what has been paid out.

- ``contract_disburse`` posts the instalments due on the disbursement day (:func:`paid_on_day`);
- :func:`tranches_pay_out` pays every instalment of a day, set-based (one INSERT … SELECT of the
  postings, one UPDATE of the accounts' balance and one of the contracts' mirror; origination marks
  its rows paid — never an ORM object per contract), from the daily run;
- :func:`tranches_cancel` cancels what is not yet paid out (post-loan's confirmed status change).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from xuedai.audit.services import audit_bulk, audit_record
from xuedai.core.money import ZERO
from xuedai.origination.models import Contract, Instalment, Payee
from xuedai.origination.services.disbursement import instalments_mark_paid

from ..models import Kind, TrancheCancellation
from ..replay import Expected

LIVE = "('disbursed', 'repaying', 'overdue')"  # origination.models.LIVE_STATES
UNIVERSITY = Payee.UNIVERSITY.value


def paid_on_day(contract: Contract, on: dt.date) -> list[Expected] | None:
    """The disbursement postings of a staged contract on its disbursement day: its instalments due
    by then, by payee. None when the contract is paid out at once (no plan, or one day only)."""
    rows = list(contract.instalments.all())
    if len({r.due_on for r in rows}) <= 1:
        return None
    due = [r for r in rows if r.due_on <= on]
    to_university = sum((r.amount for r in due if r.payee == UNIVERSITY), ZERO)
    to_student = sum((r.amount for r in due if r.payee != UNIVERSITY), ZERO)
    return [Expected(on, Kind.DISBURSE_UNIVERSITY, to_university),
            Expected(on, Kind.DISBURSE_STUDENT, to_student)]


def take_on_rows(contract: Contract, as_of: dt.date) -> list[Expected] | None:
    """A staged contract's disbursement postings for the take-on of its ledger: each instalment due
    by ``as_of`` and not cancelled, on its own day, by payee; None when it was paid out at once."""
    from ..terms import tranches

    if not tranches(contract):
        return None
    cancelled = set(TrancheCancellation.objects.filter(instalment__contract_id=contract.pk)
                    .values_list("instalment_id", flat=True))
    by_key: dict[tuple[dt.date, str], Decimal] = {}
    for row in contract.instalments.all():
        if row.pk in cancelled or row.due_on > as_of:
            continue
        kind = Kind.DISBURSE_UNIVERSITY if row.payee == UNIVERSITY else Kind.DISBURSE_STUDENT
        by_key[(row.due_on, kind)] = by_key.get((row.due_on, kind), ZERO) + row.amount
    return [Expected(day, kind, amount) for (day, kind), amount in sorted(by_key.items())]


# A day's instalments still to pay, of live contracts paid out before (not cancelled).
_DUE = f"""FROM origination_instalment i
    JOIN origination_contract c ON c.id = i.contract_id
    JOIN loans_loanaccount a ON a.contract_id = i.contract_id
    WHERE i.due_on = %(on)s AND i.paid_on IS NULL AND c.state IN {LIVE} AND a.opened_on < %(on)s
      AND NOT EXISTS (SELECT 1 FROM loans_tranchecancellation x WHERE x.instalment_id = i.id)"""


@transaction.atomic(durable=True)
def tranches_pay_out(*, on: dt.date, actor=None) -> int:
    """Pay out every instalment due ``on`` (idempotent: a re-run finds none); returns how many."""
    now = timezone.now()
    params = {"on": on, "now": now, "university": UNIVERSITY, "to_university": Kind.DISBURSE_UNIVERSITY,
              "to_student": Kind.DISBURSE_STUDENT}
    with connection.cursor() as cur:
        cur.execute(f"SELECT i.id {_DUE}", params)
        ids = [row[0] for row in cur.fetchall()]
        if not ids:
            return 0
        cur.execute(
            f"""INSERT INTO loans_posting (account_id, business_date, kind, amount, memo, created_at)
                SELECT i.contract_id, i.due_on,
                       CASE WHEN i.payee = %(university)s THEN %(to_university)s ELSE %(to_student)s END,
                       SUM(i.amount), '分次发放', %(now)s
                {_DUE} GROUP BY 1, 2, 3""", params)
        for table, key, column in (("loans_loanaccount", "contract_id", "principal_outstanding"),
                                   ("origination_contract", "id", "outstanding_principal")):
            cur.execute(
                f"""UPDATE {table} SET {column} = {column} + d.amount
                    FROM (SELECT i.contract_id, SUM(i.amount) AS amount {_DUE} GROUP BY 1) d
                    WHERE {table}.{key} = d.contract_id""", params)
    instalments_mark_paid(ids, on)
    audit_bulk(actor=actor, action="loans.tranches_pay_out", model=Instalment, ids=ids,
               what=f"{on:%Y-%m-%d} 分次发放 {len(ids)} 笔", after={"on": on, "instalments": len(ids)})
    return len(ids)


@transaction.atomic
def tranches_cancel(*, actor, contract: Contract, on: dt.date, reason: str) -> Decimal:
    """Cancel the contract's instalments not yet paid out (a stop, DOMAIN.md §4 Status changes);
    returns the amount that will not go out. In the caller's transaction (post-loan's decision)."""
    rows = list(contract.instalments.filter(paid_on__isnull=True, cancellation__isnull=True))
    if not rows:
        return ZERO
    TrancheCancellation.objects.bulk_create(
        [TrancheCancellation(instalment=r, cancelled_on=on, reason=reason[:200]) for r in rows])
    amount = sum((r.amount for r in rows), ZERO)
    audit_record(actor=actor, action="loans.tranches_cancel", obj=contract, subject=contract,
                 after={"on": on, "instalments": len(rows), "amount": amount, "reason": reason})
    return amount


def planned_days(start: dt.date, until: dt.date) -> set[dt.date]:
    """Days in ``(start, until]`` with an instalment still to pay (the simulated calendar's)."""
    return set(Instalment.objects.filter(paid_on__isnull=True, cancellation__isnull=True, due_on__gt=start,
                                         due_on__lte=until).values_list("due_on", flat=True))
