"""毕业确认 [000 七, 八; DOMAIN.md §5 June]: the student applies, the university confirms.

The student (maker) checks and updates their details and applies; the university (checker)
compares a changed application (学生状态 已变更) with the signed paper 还款确认书 and agrees
(变更确认), or corrects it first (修改) and then confirms — both as [000 八] describes. Only the
confirmation writes to the borrower records, through borrowers.services, so every field change is
audited under the borrower with the confirming officer as its author; the application, each edit
and the confirmation are audited too. A student never confirms their own application, and a
department may edit or return but not confirm (the loan office answers for the 30 June deadline).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.borrowers.models import Borrower, EmergencyContact
from xuedai.borrowers.services import borrower_update, co_borrower_update, emergency_contact_add
from xuedai.orgs.models import User

from .. import rules
from ..models import ConfirmationStatus, EmploymentStatus, GraduationConfirmation
from . import proposals
from .common import UNIVERSITY_SIDE, is_university_officer, raise_errors, require


def _validated(borrower: Borrower, proposed: dict, employment_status: str) -> None:
    raise_errors(rules.confirmation_errors(proposed, employment_status,
                                           proposals.co_borrower_names(borrower)))


def _summary(proposed: dict, employment_status: str, changed: bool) -> dict:
    label = EmploymentStatus(employment_status).label if employment_status in EmploymentStatus.values else ""
    return {**proposals.flatten(proposed), "就业状态": label, "学生状态": "已变更" if changed else "正常"}


@transaction.atomic(durable=True)
def confirmation_apply(*, actor: User, borrower: Borrower, proposed: dict, employment_status: str
                       ) -> GraduationConfirmation:
    """The student's 申请: validated in full (every missing field named at once), stored, audited."""
    if borrower.user_id is None or actor.pk != borrower.user_id:
        raise PermissionDenied("只有借款学生本人可以申请毕业确认。")
    year = borrower.graduation_year
    existing = (GraduationConfirmation.objects.select_for_update(of=("self",))
                .filter(borrower=borrower, graduation_year=year).first())
    if existing is not None and existing.status == ConfirmationStatus.CONFIRMED:
        raise ValidationError("学校已确认你的毕业确认申请；如信息再有变化，请联系院系责任人。")
    _validated(borrower, proposed, employment_status)
    changed = proposals.differs_from_records(borrower, proposed, employment_status)
    confirmation = existing or GraduationConfirmation(borrower=borrower, graduation_year=year)
    confirmation.status, confirmation.proposed = ConfirmationStatus.APPLIED, proposed
    confirmation.employment_status, confirmation.changed = employment_status, changed
    confirmation.applied_at, confirmation.applied_by = timezone.now(), actor
    confirmation.edited_by = confirmation.edited_at = None
    confirmation.return_reason, confirmation.letter_checked = "", False
    confirmation.save()
    audit_record(actor=actor, action="graduation_apply", obj=confirmation, subject=borrower,
                 after=_summary(proposed, employment_status, changed))
    return confirmation


def _open(confirmation: GraduationConfirmation) -> GraduationConfirmation:
    locked = GraduationConfirmation.objects.select_for_update(of=("self",)).select_related("borrower").get(
        pk=confirmation.pk)
    if locked.status != ConfirmationStatus.APPLIED:
        raise ValidationError(f"该毕业确认的状态为「{locked.get_status_display()}」，"
                              "只能处理“申请确认”的记录。")
    return locked


@transaction.atomic(durable=True)
def confirmation_edit(*, actor: User, confirmation: GraduationConfirmation, proposed: dict,
                      employment_status: str) -> GraduationConfirmation:
    """修改 [000 八]: a university-side correction of the application, before it is confirmed."""
    require(actor, UNIVERSITY_SIDE, "只有高校或院系经办人可以修改毕业确认信息。")
    confirmation = _open(confirmation)
    borrower = confirmation.borrower
    _validated(borrower, proposed, employment_status)
    old = _summary(confirmation.proposed, confirmation.employment_status, confirmation.changed)
    changed = proposals.differs_from_records(borrower, proposed, employment_status)
    new = _summary(proposed, employment_status, changed)
    before = {k: v for k, v in old.items() if new.get(k) != v}
    after = {k: v for k, v in new.items() if old.get(k) != v}
    if not after:
        return confirmation
    confirmation.proposed, confirmation.changed = proposed, changed
    confirmation.employment_status = employment_status
    confirmation.edited_by, confirmation.edited_at = actor, timezone.now()
    confirmation.save()
    audit_record(actor=actor, action="graduation_edit", obj=confirmation, subject=borrower,
                 before=before, after=after)
    return confirmation


@transaction.atomic(durable=True)
def confirmation_return(*, actor: User, confirmation: GraduationConfirmation, reason: str
                        ) -> GraduationConfirmation:
    """Send an application back for the student to redo (e.g. details do not match the letter)."""
    require(actor, UNIVERSITY_SIDE, "只有高校或院系经办人可以退回毕业确认申请。")
    if not (reason or "").strip():
        raise ValidationError({"reason": ["退回原因：必填，学生会看到这段说明。"]})
    confirmation = _open(confirmation)
    confirmation.status, confirmation.return_reason = ConfirmationStatus.RETURNED, reason.strip()[:200]
    confirmation.save(update_fields=["status", "return_reason"])
    audit_record(actor=actor, action="graduation_return", obj=confirmation, subject=confirmation.borrower,
                 after={"退回原因": confirmation.return_reason})
    return confirmation


@transaction.atomic(durable=True)
def confirmation_confirm(*, actor: User, confirmation: GraduationConfirmation, letter_checked: bool = False
                         ) -> GraduationConfirmation:
    """同意 / 确认 [000 八]: write the application to the records and close it."""
    if not (is_university_officer(actor) or actor.is_superuser):
        raise PermissionDenied("只有高校资助中心经办人可以确认毕业确认申请。")
    confirmation = _open(confirmation)
    if confirmation.applied_by_id == actor.pk or confirmation.borrower.user_id == actor.pk:
        raise PermissionDenied("申请人不能确认自己的申请。")
    borrower = Borrower.objects.select_for_update(of=("self",)).get(pk=confirmation.borrower_id)
    proposed, status = confirmation.proposed, confirmation.employment_status
    # Re-validated: the records may have changed since the student applied.
    _validated(borrower, proposed, status)
    changed = proposals.differs_from_records(borrower, proposed, status)
    if changed and not letter_checked:
        raise ValidationError({"letter_checked": [
            "变更确认：学生信息已变更，请先与学生签字的纸质《还款确认书》逐项核对，再勾选“已核对”后确认。"]})
    if changed:
        _write_records(actor, borrower, proposed, status)
    confirmation.status, confirmation.changed = ConfirmationStatus.CONFIRMED, changed
    confirmation.letter_checked = bool(letter_checked)
    confirmation.confirmed_by, confirmation.confirmed_at = actor, timezone.now()
    confirmation.save()
    audit_record(actor=actor, action="graduation_confirm", obj=confirmation, subject=borrower,
                 after={"学生状态": "已变更" if changed else "正常",
                        "已核对纸质还款确认书": "是" if letter_checked else "否",
                        "申请人": str(confirmation.applied_by or "—"),
                        "修改人": str(confirmation.edited_by or "—")})
    return confirmation


def _write_records(actor: User, borrower: Borrower, proposed: dict, status: str) -> None:
    try:
        borrower_update(actor=actor, borrower=borrower,
                        data=proposals.record_values(borrower, proposed, status))
        for pk, values in proposed.get("co_borrowers", {}).items():
            co = borrower.co_borrowers.get(pk=int(pk))
            # Only a real change goes through the borrowers service: it re-validates the whole
            # record, and an untouched co-borrower must not block the student's confirmation.
            if any((getattr(co, key) or "") != value for key, value in values.items()):
                co_borrower_update(actor=actor, co_borrower=co, data=values)
    except ValidationError as exc:
        # A rule of the borrowers app refused a value: show it, name the record.
        raise ValidationError(f"无法写入学生信息：{'；'.join(exc.messages)}") from exc
    _write_contact(actor, borrower, proposed.get("contact", {}))


def _write_contact(actor: User, borrower: Borrower, values: dict) -> None:
    fields = {key: values.get(key, "") for key in rules.CONTACT_KEYS}
    contact = borrower.emergency_contacts.filter(pk=values.get("id")).first() if values.get("id") else None
    if contact is None:
        emergency_contact_add(actor=actor, borrower=borrower, data=fields)
        return
    before = {k: getattr(contact, k) for k in fields if getattr(contact, k) != fields[k]}
    if not before:
        return
    EmergencyContact.objects.filter(pk=contact.pk).update(**fields)
    audit_record(actor=actor, action="emergency_contact_update", obj=contact, subject=borrower,
                 before=before, after={k: fields[k] for k in before})
