"""Shared by the post-loan services: who may do what, and one error shape."""

from django.core.exceptions import PermissionDenied, ValidationError

from xuedai.orgs.models import OrgKind, Role, User

# The university side of 包干到人 [000 三]: the loan office and the departments' responsible staff.
UNIVERSITY_SIDE = (Role.UNIVERSITY_OFFICER, Role.DEPARTMENT_STAFF)
# Who may record a contact: the university side, county operators tracing a 失联 borrower, and the
# bank's staff, who keep collection records as departments do (DOMAIN.md §5 "The bank keeps
# collection records"); each within the scope of borrower_get.
CONTACT_ROLES = (Role.UNIVERSITY_OFFICER, Role.DEPARTMENT_STAFF, Role.OPERATOR, Role.BANK_REVIEWER,
                 Role.BANK_APPROVER)
# Who traces lost borrowers: the county centre's staff [000 九 "协助教育局学生资助管理中心查找失联学生"].
TRACE_ROLES = (Role.OPERATOR, Role.SUPERVISOR)


def require(user: User, roles, message: str) -> None:
    if not (user.has_role(*roles) or user.is_superuser):
        raise PermissionDenied(message)


def is_university_officer(user: User) -> bool:
    org = user.organisation
    return user.has_role(Role.UNIVERSITY_OFFICER) and org is not None and org.kind == OrgKind.UNIVERSITY


def raise_errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
