"""Turn audit entries into the change history a borrower's page shows, in Chinese.

The audit log stores field names and masked values; people read labels ("手机号: 138****0001 →
139****0002"), so the page maps names to the models' verbose names here.
"""

from dataclasses import dataclass

from xuedai.audit.models import AuditEntry

from .models import Borrower, CoBorrower, EmergencyContact

ACTION_LABELS = {
    "borrower_create": "新增借款学生",
    "borrower_update": "修改借款学生信息",
    "co_borrower_add": "登记共同借款人",
    "co_borrower_update": "修改共同借款人",
    "emergency_contact_add": "登记紧急联系人",
    "borrower_reveal_id_number": "查看完整身份证号",
}
_MODELS = {
    "borrowers.borrower": Borrower,
    "borrowers.coborrower": CoBorrower,
    "borrowers.emergencycontact": EmergencyContact,
}
_EXTRA_LABELS = {"revealed": "查看内容"}


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
    if name in _EXTRA_LABELS:
        return _EXTRA_LABELS[name]
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # an old entry may name a field since removed; show the raw name
        return name


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
                               action=ACTION_LABELS.get(entry.action, entry.action),
                               target=entry.object_repr, changes=changes))
    return rows
