"""The graduation-confirmation proposal: what the student checks and updates [000 七].

Shape (kept as JSON on GraduationConfirmation.proposed, applied to the records on confirmation):
    {"borrower": {mobile, email, qq, wechat, address, postal_code, employer, employer_address,
                  employer_phone},
     "co_borrowers": {"<pk>": {mobile, address, employer}},
     "contact": {id, name, relation, mobile, address}}
Flattened, the same values are the form's fields: "mobile", "co_12_mobile", "contact_name" …
"""

from xuedai.borrowers.models import Borrower

from ..models import EmploymentStatus, GraduationConfirmation
from ..rules import BORROWER_KEYS, CO_BORROWER_KEYS, CONTACT_KEYS, employer_for_record


def active_co_borrowers(borrower: Borrower) -> list:
    return list(borrower.co_borrowers.filter(is_active=True).order_by("pk"))


def co_borrower_names(borrower: Borrower) -> dict[str, str]:
    return {str(co.pk): co.name for co in active_co_borrowers(borrower)}


def employment_status_of(borrower: Borrower, confirmation: GraduationConfirmation | None = None) -> str:
    """The last stated status, else read from the record's 工作单位 (empty: not stated yet)."""
    if confirmation is not None:
        return confirmation.employment_status
    employer = (borrower.employer or "").strip()
    if employer == "待业":
        return EmploymentStatus.UNEMPLOYED
    if employer.startswith("升学"):
        return EmploymentStatus.FURTHER_STUDY
    return EmploymentStatus.EMPLOYED if employer else ""


def from_records(borrower: Borrower) -> dict:
    """The proposal as the records stand: the form's starting point."""
    values = {key: getattr(borrower, key) or "" for key in BORROWER_KEYS}
    if values["employer"] == "待业":
        values["employer"] = ""
    elif values["employer"].startswith("升学："):
        values["employer"] = values["employer"][3:]
    contact = borrower.emergency_contacts.order_by("pk").first()
    return {
        "borrower": values,
        "co_borrowers": {str(co.pk): {key: getattr(co, key) or "" for key in CO_BORROWER_KEYS}
                         for co in active_co_borrowers(borrower)},
        "contact": ({"id": contact.pk, **{key: getattr(contact, key) or "" for key in CONTACT_KEYS}}
                    if contact else {"id": None, **dict.fromkeys(CONTACT_KEYS, "")}),
    }


def from_flat(borrower: Borrower, data, *, contact_id: int | None = None) -> dict:
    """A proposal from flat form data; co-borrowers other than the borrower's own are ignored."""
    def text(name: str) -> str:
        return str(data.get(name) or "").strip()

    return {
        "borrower": {key: text(key) for key in BORROWER_KEYS},
        "co_borrowers": {pk: {key: text(f"co_{pk}_{key}") for key in CO_BORROWER_KEYS}
                         for pk in co_borrower_names(borrower)},
        "contact": {"id": contact_id, **{key: text(f"contact_{key}") for key in CONTACT_KEYS}},
    }


def flatten(proposed: dict) -> dict[str, str]:
    flat = dict(proposed.get("borrower", {}))
    for pk, values in proposed.get("co_borrowers", {}).items():
        flat.update({f"co_{pk}_{key}": value for key, value in values.items()})
    flat.update({f"contact_{key}": value for key, value in proposed.get("contact", {}).items()
                 if key != "id"})
    return flat


def record_values(borrower: Borrower, proposed: dict, employment_status: str) -> dict:
    """The borrower fields the proposal would write (employer as the record keeps it)."""
    values = dict(proposed["borrower"])
    values["employer"] = employer_for_record(employment_status, values.get("employer", ""))
    if employment_status == EmploymentStatus.UNEMPLOYED:
        values["employer_address"], values["employer_phone"] = "", ""
    return values


def differs_from_records(borrower: Borrower, proposed: dict, employment_status: str) -> bool:
    """学生状态 已变更 vs 正常 [000 八]: does confirming change any record?"""
    current = from_records(borrower)
    current_values = {key: getattr(borrower, key) or "" for key in BORROWER_KEYS}
    if record_values(borrower, proposed, employment_status) != current_values:
        return True
    if proposed["co_borrowers"] != current["co_borrowers"]:
        return True
    mine = {k: v for k, v in proposed["contact"].items() if k != "id"}
    theirs = {k: v for k, v in current["contact"].items() if k != "id"}
    return mine != theirs
