"""What the loans engine needs from post-loan records (DOMAIN.md §4 Status changes, Principal plan;
§6 death → 损失).

loans.terms and loans' classify call these lazily (only when ``xuedai.postloan`` is installed), so
loans never imports postloan at module import time. Each reads the contract's related rows through
``.all()`` so a caller that prefetched ``plan_changes`` / ``status_changes`` pays no extra query.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xuedai.core.schedule import Instalment
from xuedai.core.subsidy import Suspension

from .models import PlanChangeKind, RequestStatus, StatusChangeKind


def _approved(rows) -> list:
    return [r for r in rows if r.status == RequestStatus.APPROVED]


def approved_instalments(contract) -> list[Instalment] | None:
    """The latest approved 还款计划变更's instalments (latest decision wins); None: no chosen plan."""
    plans = [c for c in _approved(contract.plan_changes.all()) if c.kind == PlanChangeKind.PLAN]
    if not plans:
        return None
    latest = max(plans, key=lambda c: (c.decided_at, c.pk))
    if not latest.instalments:
        return None
    return [Instalment(dt.date.fromisoformat(str(i["due"])), Decimal(str(i["amount"])))
            for i in latest.instalments]


def confirmed_suspensions(contract) -> list[Suspension]:
    """Confirmed 休学 — each makes the borrower pay interest until the subsidy resumes on return
    (DOMAIN.md §4 Status changes; core.subsidy.borrower_periods)."""
    return [Suspension(c.handled_on, c.returned_on) for c in _approved(contract.status_changes.all())
            if c.kind == StatusChangeKind.SUSPENSION]


def confirmed_loss(contract) -> bool:
    """A confirmed death carries the 损失 flag: 损失 whatever the days overdue (DOMAIN.md §6)."""
    return any(c.loss_flag for c in _approved(contract.status_changes.all()))


def loss_contract_ids(contract_ids) -> set[int]:
    """Of ``contract_ids``, those with a confirmed death (one query for a batch chunk)."""
    from .models import StatusChange

    return set(StatusChange.objects.filter(contract_id__in=list(contract_ids), loss_flag=True,
                                           status=RequestStatus.APPROVED)
               .values_list("contract_id", flat=True))
