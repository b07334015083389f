"""首次登录 / 激活账号 for students (DOMAIN.md §2: students log in to self-service).

A student proves who they are with their ID number and a second fact on file (the mobile number or
the student number), then chooses a password. No default password ever exists.
"""

import secrets

from django.db import transaction

from xuedai.audit.services import audit_record
from xuedai.identity.idnumbers import IdNumberError, clean_id_number
from xuedai.orgs.lockout import is_locked, locked_message, register_failure, reset_failures, throttle_for
from xuedai.orgs.models import Role, User
from xuedai.orgs.passwords import validate_password
from xuedai.orgs.services import AccountError, user_create

from .models import Borrower

ACTIVATION_ERROR = "身份核验未通过：请核对身份证号，以及预留手机号或学号。"
ALREADY_ACTIVE = "该账号已激活，请直接登录；如忘记密码，请联系所在县资助中心或学校重置。"


def student_activate(*, id_number: str, fact: str, password: str, ip_address: str | None = None) -> User:
    """首次登录: ID number + mobile on file (or student number) → a password → an account.

    Wrong facts count toward a lockout per ID number, whether or not such a borrower exists, and
    get one message either way, so the form cannot be used to find out who has a loan.
    """
    try:
        ident = clean_id_number(id_number)
    except IdNumberError:
        ident = (id_number or "").strip().upper()
    throttle = throttle_for("activate", ident)
    if is_locked(throttle):
        raise AccountError(locked_message(throttle))
    borrower = Borrower.objects.select_related("user").filter(id_number=ident).first()
    if borrower is None or not _fact_matches(borrower, fact):
        locked = register_failure(throttle)
        audit_record(actor=None, action="student_activate_failed", obj=throttle,
                     after={"说明": "身份信息不符"}, ip_address=ip_address)
        if locked:
            audit_record(actor=None, action="account_locked", obj=throttle,
                         after={"说明": "激活核验连续失败达到上限"}, ip_address=ip_address)
        raise AccountError(locked_message(throttle) if locked else ACTIVATION_ERROR)
    if borrower.user is not None and borrower.user.has_usable_password():
        raise AccountError(ALREADY_ACTIVE)
    user = _activate(borrower, password, ip_address)
    reset_failures(throttle)
    return user


def _fact_matches(borrower: Borrower, fact: str) -> bool:
    fact = (fact or "").strip()
    if not fact:
        return False
    # Constant-time comparisons: the response time must not hint at how much of a number matched.
    candidates = [value for value in (borrower.mobile, borrower.student_no) if value]
    return any(secrets.compare_digest(fact.encode(), value.encode()) for value in candidates)


@transaction.atomic
def _activate(borrower: Borrower, password: str, ip_address: str | None) -> User:
    """Create (or reuse) the login and set its password. The user must exist before validation:
    the birth-date rule reads it through user.borrower. A weak password rolls the whole thing back."""
    user = borrower.user
    if user is None:
        user = user_create(actor=None, username=_student_username(borrower), organisation=None,
                           roles=[Role.STUDENT], real_name=borrower.name)
        borrower.user = user
        borrower.save(update_fields=["user"])
    validate_password(password, user)
    user.set_password(password)
    user.failed_logins, user.locked_until = 0, None
    user.save()
    audit_record(actor=user, action="student_activate", obj=user, subject=borrower,
                 after={"说明": "学生首次登录激活账号"}, ip_address=ip_address)
    return user


def _student_username(borrower: Borrower) -> str:
    base = f"s{borrower.pk}"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


# County operators and the university's loan office meet the student in person (DOMAIN.md §3.1).
RESET_ROLES = (Role.OPERATOR, Role.SUPERVISOR, Role.UNIVERSITY_OFFICER)


@transaction.atomic(durable=True)
def student_password_reset(*, actor: User, borrower: Borrower, identity_checked: bool,
                           ip_address: str | None = None) -> User:
    """Staff who checked the student's ID card in person clear the student's password: the student
    then activates again (ID number + mobile or student number + a new password). Staff never see,
    set or tell a password (docs/security.md: no default passwords)."""
    if not actor.has_role(*RESET_ROLES):
        raise AccountError("只有县资助中心或高校贷款经办人可以重置学生密码。")
    if not identity_checked:
        raise AccountError("请先核验学生本人的身份证原件，并勾选“已核验本人身份证件”。")
    user = borrower.user
    if user is None or not user.has_usable_password():
        raise AccountError("该学生尚未激活账号，请让学生在登录页“首次登录/激活账号”自行激活。")
    user.set_unusable_password()
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["password", "failed_logins", "locked_until"])
    throttle = throttle_for("activate", borrower.id_number)
    reset_failures(throttle)
    audit_record(actor=actor, action="student_password_reset", obj=user, subject=borrower,
                 after={"说明": "经办人当面核验身份证件后重置，学生须重新激活"}, ip_address=ip_address)
    return user
