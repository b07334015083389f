"""The one way to write an audit entry. Services call it explicitly (no signals), inside the
transaction of the action they record, so an action and its entry commit or roll back together."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from xuedai.identity.masking import mask_value

from .models import AuditEntry


def audit_record(
    *, actor: Any, action: str, obj: models.Model, before: dict | None = None,
    after: dict | None = None, ip_address: str | None = None, subject: models.Model | None = None,
) -> AuditEntry:
    subject = subject or obj
    return AuditEntry.objects.create(
        actor=_actor(actor), actor_label=actor_label(actor), action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=mask_value(str(obj))[:200],
        subject_key=subject_key(subject),
        before=_masked(before or {}),
        after=_masked(after or {}),
        ip_address=ip_address,
    )


def audit_bulk(
    *, actor: Any, action: str, model: type[models.Model], ids: Iterable[int], what: str = "",
    before: dict | None = None, after: dict | None = None, subject: models.Model | None = None,
) -> AuditEntry:
    """One entry for a set-based action on many rows of ``model`` (a batch's 3,000 contracts): the
    ids are kept whole but compactly, as ranges ("1-500,502,610-700"), with their count."""
    ids = sorted(set(ids))
    label = str(model._meta.verbose_name)
    return AuditEntry.objects.create(
        actor=_actor(actor), actor_label=actor_label(actor), action=action,
        object_type=model._meta.label_lower,
        object_id=str(ids[0]) if len(ids) == 1 else "",
        object_repr=mask_value(what or f"{len(ids)}份{label}")[:200],
        subject_key=subject_key(subject) if subject is not None else "",
        before=_masked(before or {}),
        after={**_masked(after or {}), "count": len(ids), "ids": id_ranges(ids)},
    )


def audit_export(*, actor: Any, document: str, obj: models.Model | None = None, rows: int | None = None,
                 subject: models.Model | None = None, ip_address: str | None = None) -> AuditEntry:
    """One entry per file a person takes away, printed or exported: which document, of what record
    (a contract, a batch; for a list, the exporting organisation), and how many rows."""
    target = obj or getattr(actor, "organisation", None) or actor
    after = {"document": document, **({"rows": rows} if rows is not None else {})}
    return audit_record(actor=actor, action="document_export", obj=target, after=after, subject=subject,
                        ip_address=ip_address)


def id_ranges(ids: list[int]) -> str:
    """Sorted ids as ranges: [1, 2, 3, 7, 9, 10] → "1-3,7,9-10"."""
    parts, start, last = [], None, None
    for i in ids:
        if start is None:
            start = last = i
        elif i == last + 1:
            last = i
        else:
            parts.append(f"{start}-{last}" if last != start else str(start))
            start = last = i
    if start is not None:
        parts.append(f"{start}-{last}" if last != start else str(start))
    return ",".join(parts)


def actor_label(actor: Any) -> str:
    if not actor:
        return "系统"
    return (getattr(actor, "real_name", "") or getattr(actor, "username", "") or "系统")[:150]


def _actor(actor: Any):
    return actor if getattr(actor, "pk", None) else None


def _masked(values: dict) -> dict:
    return {key: _masked_value(value) for key, value in values.items()}


def _masked_value(value):
    """Text, masked; a list stays a list (its items masked), so the page can name each item."""
    if value is None:
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return [_masked_value(v) for v in value]
    return mask_value(str(value))


def changed_fields(instance: models.Model, fields: list[str], new_values: dict) -> tuple[dict, dict]:
    """The (before, after) pair for the fields that really change."""
    before, after = {}, {}
    for name in fields:
        if name in new_values and getattr(instance, name) != new_values[name]:
            before[name] = getattr(instance, name)
            after[name] = new_values[name]
    return before, after


def subject_key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"
