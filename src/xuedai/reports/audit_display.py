"""The audit log in words an auditor reads: every action, record kind, field and coded value in
Chinese, and the record an entry belongs to by its name (masked), never ``orgs.user:11``.

The log stores codes (so an entry stays exact if a label changes); this module, above every app,
turns them into labels: action codes through audit.labels and origination's transition tables,
fields and choice values through the models' own verbose names and choices.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from xuedai.audit.labels import ACTION_LABELS, VALUE_LABELS, WORKFLOW_PREFIXES
from xuedai.audit.models import AuditEntry
from xuedai.identity.masking import mask_value
from xuedai.orgs.models import Role
from xuedai.origination.services.transitions import APPLICATION_LABELS, BATCH_LABELS, TABLES
from xuedai.origination.workflow import APPLICATION_TRANSITIONS, BATCH_TRANSITIONS

ROLE_LABELS = dict(Role.choices)
TRUE_FALSE = {"True": "是", "False": "否"}


def _workflow_label(kind: str, action: str) -> str | None:
    if kind == "contract":
        rows = [table[action] for table in TABLES.values() if action in table]
        label = rows[0].label if rows else None
    elif kind == "batch":
        label = BATCH_TRANSITIONS[action].label if action in BATCH_TRANSITIONS else None
    elif kind == "application":
        label = APPLICATION_TRANSITIONS[action].label if action in APPLICATION_TRANSITIONS else None
    else:
        return None
    if action == "create" and kind == "contract":
        label = "新增合同"
    return f"{WORKFLOW_PREFIXES[kind]}：{label}" if label else None


def action_label(code: str) -> str:
    """'contract.check_approve' → '合同：复核通过(打印签订)'; 'loans.repayment_post' → '还款入账'."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    kind, _, action = code.partition(".")
    return _workflow_label(kind, action) or code


def object_type_label(label_lower: str) -> str:
    """'borrowers.borrower' → '借款学生' (the model's verbose name), else the code itself."""
    model = _model(label_lower)
    return str(model._meta.verbose_name) if model else label_lower


def _model(label_lower: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label_lower)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name.removesuffix("_id"))
    except Exception:  # FieldDoesNotExist, or a key that is no field at all
        return None


def _choice_labels(model, key: str) -> dict[str, str]:
    field = _field(model, key)
    if field is not None and getattr(field, "choices", None):
        return {str(code): str(label) for code, label in field.flatchoices}
    if key == "state" and model is not None:
        labels = {"origination.countybatch": BATCH_LABELS, "origination.application": APPLICATION_LABELS}
        return labels.get(model._meta.label_lower, {})
    if key == "roles":
        return ROLE_LABELS
    return {}


def key_label(model, key: str) -> str:
    field = _field(model, key)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    return VALUE_LABELS.get(key, key)


def value_label(model, key: str, value) -> str:
    if value is None or value == "":
        return "—"
    choices = _choice_labels(model, key)
    if isinstance(value, list):
        return "、".join(choices.get(str(v), str(v)) for v in value) or "—"
    text = str(value)
    return choices.get(text) or TRUE_FALSE.get(text) or text


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str | None


def changes(entry: AuditEntry) -> list[Change]:
    """One line per key: its label, and the value before and after (None where the side lacks it)."""
    model = _model(entry.object_type)
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [Change(key_label(model, key),
                   value_label(model, key, before[key]) if key in before else None,
                   value_label(model, key, after[key]) if key in after else None) for key in keys]


def subject_labels(keys) -> dict[str, str]:
    """{"borrowers.borrower:42": "借款学生 张三（5107…）"}, one query per kind of record, masked."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        if key and ":" in key:
            kind, _, pk = key.partition(":")
            wanted[kind].add(pk)
    out = {}
    for kind, pks in wanted.items():
        model = _model(kind)
        if model is None:
            continue
        ids = [pk for pk in pks if pk.isdigit()]
        for obj in model._default_manager.filter(pk__in=ids):
            out[f"{kind}:{obj.pk}"] = f"{model._meta.verbose_name} {mask_value(str(obj))}"
    return out


def present(entries) -> None:
    """Annotate a page of entries with their Chinese labels (in place)."""
    entries = list(entries)
    subjects = subject_labels(entry.subject_key for entry in entries)
    for entry in entries:
        entry.action_label = action_label(entry.action)
        entry.object_type_label = object_type_label(entry.object_type)
        entry.subject_label = subjects.get(entry.subject_key, "" if not entry.subject_key else "（已删除）")
        entry.changes = changes(entry)
