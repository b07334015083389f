"""Checking who someone is: password (username or 身份证号), then TOTP for staff (DOMAIN.md)

Every outcome is written to the audit log (masked at write). The identifier a person typed is never
logged: a mistyped username is often a password, and an ID number is personal data.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.identity.idnumbers import IdNumberError, clean_id_number

from . import totp
from .lockout import (
    GENERIC_LOGIN_ERROR,
    Subject,
    is_locked,
    locked_message,
    register_failure,
    reset_failures,
    throttle_for,
)
from .models import User

TOTP_ERROR = "动态口令不正确或已使用过，请输入验证器上最新的 6 位口令。"


@dataclass
class LoginResult:
    user: User | None
    error: str = ""


def looks_like_id_number(identifier: str) -> bool:
    text = identifier.strip()
    return len(text) == 18 and text[:17].isdigit()


def normalise_identifier(identifier: str) -> str:
    """Usernames as typed; ID numbers in their canonical form (upper-case X), so counters agree."""
    text = identifier.strip()
    if looks_like_id_number(text):
        try:
            return clean_id_number(text)
        except IdNumberError:
            return text.upper()
    return text


def resolve_user(identifier: str) -> User | None:
    """The account behind a username or, for students, behind Borrower.id_number."""
    ident = normalise_identifier(identifier)
    if not ident:
        return None
    if looks_like_id_number(ident):
        # Through the borrower's one-to-one link to its login (orgs sits below borrowers).
        return User.objects.filter(borrower__id_number=ident).first()
    return User.objects.filter(username=ident).first()


def password_login(*, identifier: str, password: str, ip_address: str | None = None) -> LoginResult:
    """Check a password under the lockout; the same error for a wrong password and an unknown account.

    Staff keep their failure counter until the TOTP step also succeeds: otherwise someone holding
    the password could reset the counter by logging in again and guess codes without limit.
    """
    user = resolve_user(identifier)
    subject: Subject = user if user is not None else throttle_for("login", normalise_identifier(identifier))
    if is_locked(subject):
        _audit(None, "login_refused_locked", subject, ip_address, reason="账号锁定期内尝试登录")
        return LoginResult(None, locked_message(subject))
    if user is None:
        # Hash anyway, so the response time does not reveal that no such account exists.
        User().set_password(password)
        ok = False
    else:
        ok = user.is_active and user.check_password(password)
    if not ok:
        locked = _fail(subject, ip_address, reason="密码错误或账号不存在")
        return LoginResult(None, locked_message(subject) if locked else GENERIC_LOGIN_ERROR)
    if not user.needs_second_factor:
        reset_failures(user)
        _audit(user, "login_success", user, ip_address, reason="密码登录")
    else:
        _audit(user, "login_password_ok", user, ip_address, reason="密码正确，待动态口令")
    return LoginResult(user)


@transaction.atomic
def totp_check(*, user: User, code: str, ip_address: str | None = None, enrol: bool = False) -> str:
    """Verify a TOTP code for a logged-in (half-way) staff member; '' on success, else the message."""
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if is_locked(user):
        return locked_message(user)
    step = totp.matching_step(user, code)
    if step is None:
        locked = _fail(user, ip_address, reason="动态口令错误或重复使用", action="totp_failed")
        return locked_message(user) if locked else TOTP_ERROR
    user.totp_last_step = step
    user.failed_logins, user.locked_until = 0, None
    fields = ["totp_last_step", "failed_logins", "locked_until"]
    if enrol:
        user.totp_confirmed_at = timezone.now()
        fields.append("totp_confirmed_at")
    user.save(update_fields=fields)
    if enrol:
        _audit(user, "totp_enrol", user, ip_address, reason="绑定动态口令")
    _audit(user, "login_success", user, ip_address, reason="密码与动态口令")
    return ""


def _fail(subject: Subject, ip_address: str | None, *, reason: str, action: str = "login_failed") -> bool:
    """Count and log a failure; True when this one locks the subject."""
    locked = register_failure(subject)
    _audit(None, action, subject, ip_address, reason=reason)
    if locked:
        _audit(None, "account_locked", subject, ip_address, reason="连续失败达到上限")
    return locked


def _audit(actor: User | None, action: str, obj: Subject, ip_address: str | None, *, reason: str) -> None:
    audit_record(actor=actor, action=action, obj=obj, after={"说明": reason}, ip_address=ip_address)


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None
