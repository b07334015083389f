"""Turn audit entries into the change history a borrower's page shows, in Chinese.

The audit log stores field names and masked values; people read labels ("手机号: 138****0001 →
139****0002"), so the page maps names to the models' verbose names here, and actions and other keys
to the one list of audit labels (audit.labels).
"""

from dataclasses import dataclass

from xuedai.audit.labels import VALUE_LABELS, action_label
from xuedai.audit.models import AuditEntry

from .models import Borrower, CoBorrower, EmergencyContact

_MODELS = {
    "borrowers.borrower": Borrower,
    "borrowers.coborrower": CoBorrower,
    "borrowers.emergencycontact": EmergencyContact,
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    at: object
    actor: str
    action: str
    target: str
    changes: list[Change]


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a key that is no field (an application's data, an old entry): the log's name
        return VALUE_LABELS.get(name, name)


def _text(value) -> str:
    if value is None or value == "":
        return "（空）"
    return str(value)


def history_rows(entries: list[AuditEntry]) -> list[HistoryRow]:
    rows = []
    for entry in entries:
        model = _MODELS.get(entry.object_type, Borrower)
        names = list(dict.fromkeys([*entry.before.keys(), *entry.after.keys()]))
        changes = [Change(_label(model, name), _text(entry.before.get(name)) if entry.before else "",
                          _text(entry.after.get(name))) for name in names]
        rows.append(HistoryRow(at=entry.at, actor=entry.actor_label or "系统",
                               action=action_label(entry.action),
                               target=entry.object_repr, changes=changes))
    return rows
