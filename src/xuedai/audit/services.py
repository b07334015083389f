"""The one way to write an audit entry. Services call it explicitly (no signals)."""

from typing import Any

from django.db import models

from xuedai.borrowers.masking import mask_value

from .models import AuditEntry


def audit_record(
    *, actor: Any, action: str, obj: models.Model, before: dict | None = None,
    after: dict | None = None, ip_address: str | None = None, subject: models.Model | None = None,
) -> AuditEntry:
    subject = subject or obj
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(getattr(actor, "real_name", "") or getattr(actor, "username", "")) if actor else "系统",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=mask_value(str(obj))[:200],
        subject_key=subject_key(subject),
        before=_masked(before or {}),
        after=_masked(after or {}),
        ip_address=ip_address,
    )


def _masked(values: dict) -> dict:
    return {key: mask_value(str(value)) if value is not None else None for key, value in values.items()}


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
