"""包干到人: hand each graduating borrower to one department staff member [000 三; DOMAIN.md §5 April].

Assigning to a staff member of another department also moves the borrower to that department
(through borrowers.services, so the move is validated and audited like any edit): a department's
staff see their department's borrowers (orgs.scope), so owner and scope must agree.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.borrowers.models import Borrower
from xuedai.borrowers.services import borrower_update
from xuedai.orgs.models import OrgKind, Role, User

from ..models import Assignment
from .common import is_university_officer


def assignable_staff(university) -> list[User]:
    """Department staff of a university's departments, by department then name (for pickers)."""
    return list(User.objects.filter(
        is_active=True, roles__role=Role.DEPARTMENT_STAFF, organisation__kind=OrgKind.DEPARTMENT,
        organisation__parent=university).select_related("organisation")
        .order_by("organisation__name", "real_name", "username").distinct())


def _check(actor: User, borrower: Borrower, staff: User) -> None:
    if not (is_university_officer(actor) or actor.is_superuser):
        raise PermissionDenied("只有高校资助中心经办人可以分配贷后责任人。")
    department = staff.organisation
    if not (staff.is_active and staff.has_role(Role.DEPARTMENT_STAFF) and department is not None
            and department.kind == OrgKind.DEPARTMENT):
        raise ValidationError({"staff": ["责任人：须为院系责任人账号。"]})
    if borrower.university_id is None or department.parent_id != borrower.university_id:
        raise ValidationError({"staff": [f"责任人：{staff}所在院系不属于该学生的高校。"]})


@transaction.atomic
def assignment_set(*, actor: User, borrower: Borrower, staff: User, note: str = "") -> Assignment:
    """Make `staff` responsible for `borrower`, ending any current assignment (reassignment keeps
    the history). Assigning the same person again changes nothing."""
    _check(actor, borrower, staff)
    today = businessdate.today()
    current = (Assignment.objects.select_for_update(of=("self",))
               .filter(borrower=borrower, ended_on__isnull=True).first())
    if current is not None and current.staff_id == staff.pk:
        return current
    if borrower.department_id != staff.organisation_id:
        try:
            borrower = borrower_update(actor=actor, borrower=borrower,
                                       data={"department": staff.organisation})
        except ValidationError as exc:
            problem = "；".join(exc.messages)
            raise ValidationError({"staff": [f"该学生信息有误，请先在借款学生页修改：{problem}"]}) from exc
    before = {}
    if current is not None:
        current.ended_on, current.ended_by = today, actor
        current.save(update_fields=["ended_on", "ended_by"])
        before = {"责任人": str(current.staff), "院系": current.department.name}
    assignment = Assignment.objects.create(borrower=borrower, department=staff.organisation, staff=staff,
                                           assigned_by=actor, assigned_on=today, note=note[:200])
    audit_record(actor=actor, action="postloan_reassign" if current else "postloan_assign", obj=assignment,
                 subject=borrower, before=before,
                 after={"责任人": str(staff), "院系": staff.organisation.name, "说明": note})
    return assignment


def assignment_set_many(*, actor: User, borrowers: list[Borrower], staff: User, note: str = ""
                        ) -> tuple[int, list[str]]:
    """Assign a selection (the list page's checkboxes); each borrower in its own transaction, so one
    faulty record does not undo the others. Returns (assigned, refusals naming the student)."""
    done, refusals = 0, []
    for borrower in borrowers:
        try:
            assignment_set(actor=actor, borrower=borrower, staff=staff, note=note)
            done += 1
        except ValidationError as exc:
            refusals.append(f"{borrower.name}（学号{borrower.student_no or '—'}）：{'；'.join(exc.messages)}")
    return done, refusals


@transaction.atomic(durable=True)
def assignment_end(*, actor: User, borrower: Borrower, note: str = "") -> Assignment | None:
    """Release a borrower (e.g. the staff member leaves) without naming a successor yet."""
    if not (is_university_officer(actor) or actor.is_superuser):
        raise PermissionDenied("只有高校资助中心经办人可以调整贷后责任人。")
    current = (Assignment.objects.select_for_update(of=("self",))
               .filter(borrower=borrower, ended_on__isnull=True).first())
    if current is None:
        return None
    current.ended_on, current.ended_by = businessdate.today(), actor
    current.save(update_fields=["ended_on", "ended_by"])
    audit_record(actor=actor, action="postloan_unassign", obj=current, subject=borrower,
                 before={"责任人": str(current.staff)}, after={"说明": note})
    return current
