"""Recording a change of a contract's servicing terms that another app decided (DOMAIN.md §4).

Post-loan calls :func:`terms_change_record` inside its own approval's transaction when a chosen
plan is approved or a suspension or death is confirmed; the engine reads the rows through
``loans.terms``. The audit row names the decision it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.core.schedule import Instalment

from ..models import TermsChange, TermsChangeKind


@transaction.atomic
def terms_change_record(*, actor, contract, kind: str, starts_on: dt.date | None = None,
                        ends_on: dt.date | None = None, instalments: Iterable[Instalment] = (),
                        source: str = "") -> TermsChange:
    if kind not in TermsChangeKind.values:
        raise ValueError(f"未知的贷款条件变更类型：{kind}")
    plan = [{"due": i.due.isoformat(), "amount": str(i.amount)} for i in instalments]
    if kind == TermsChangeKind.CHOSEN_PLAN and not plan:
        raise ValueError("还款计划变更须有还款计划")
    change = TermsChange.objects.create(
        contract=contract, kind=kind, starts_on=starts_on, ends_on=ends_on, instalments=plan,
        decided_at=timezone.now(), source=source[:80],
        recorded_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="loans.terms_change_record", obj=change, subject=contract,
                 after={"kind": change.get_kind_display(), "starts_on": starts_on, "ends_on": ends_on,
                        "instalments": len(plan), "source": source})
    return change
