"""Reads of the audit log, scoped to the acting user (ARCHITECTURE principle 4).

Auditors and administrators see entries that touch their subtree: written by its staff, about its
staff or organisations, or about borrowers in scope (subject_key "borrowers.borrower:<id>", which
groups a borrower's co-borrowers and contacts too) or written by those borrowers. The head office
and superusers see everything, including failed logins for identifiers with no account behind them.
"""

import datetime as dt

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from xuedai.audit.labels import ACTION_LABELS
from xuedai.audit.models import AuditEntry
from xuedai.borrowers.models import Borrower
from xuedai.orgs.models import Role, User
from xuedai.orgs.scope import record_scope_q, sees_everything, subtree_ids
from xuedai.origination.services.transitions import TABLES
from xuedai.origination.workflow import APPLICATION_TRANSITIONS, BATCH_TRANSITIONS

READER_ROLES = (Role.AUDITOR, Role.ADMIN)


def can_read_audit(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(*READER_ROLES))


def audit_entries_visible(user: User) -> QuerySet[AuditEntry]:
    if not can_read_audit(user):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor")
    if sees_everything(user):
        return entries
    if user.organisation is None:
        return AuditEntry.objects.none()
    ids = subtree_ids(user.organisation)
    staff_ids = User.objects.filter(organisation_id__in=ids).annotate(
        key=Cast("pk", output_field=CharField())).values("key")
    borrowers = Borrower.objects.filter(record_scope_q(user))
    borrower_keys = borrowers.annotate(
        key=Concat(Value(f"{Borrower._meta.label_lower}:"), Cast("pk", output_field=CharField()),
                   output_field=CharField())).values("key")
    return entries.filter(
        Q(actor__organisation_id__in=ids)
        | Q(object_type=User._meta.label_lower, object_id__in=staff_ids)
        | Q(object_type="orgs.organisation", object_id__in=[str(i) for i in ids])
        | Q(subject_key__in=borrower_keys)
        | Q(actor__borrower__in=borrowers.values("pk"))
    )


def audit_entries_search(
    user: User, *, date_from: dt.date | None = None, date_to: dt.date | None = None, actor: str = "",
    action: str = "", object_type: str = "", subject_key: str = "",
) -> QuerySet[AuditEntry]:
    """Filters of the audit page; dates are whole days in the site's time zone, both ends included."""
    entries = audit_entries_visible(user)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if actor:
        entries = entries.filter(Q(actor_label__icontains=actor) | Q(actor__username__iexact=actor))
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if subject_key:
        entries = entries.filter(subject_key=subject_key)
    return entries.order_by("-at", "-id")


def known_actions() -> list[str]:
    """Every action the code base can record (audit.labels and the workflow tables), whether or not
    it has happened yet: an auditor may look for one that has not (and a DISTINCT over the whole
    log would not scale)."""
    workflow = {f"contract.{a}" for table in TABLES.values() for a in table}
    workflow |= {f"batch.{a}" for a in BATCH_TRANSITIONS}
    workflow |= {f"application.{a}" for a in APPLICATION_TRANSITIONS}
    return sorted(set(ACTION_LABELS) | workflow | {"contract.create"})


def known_object_types() -> list[str]:
    return list(AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct())
