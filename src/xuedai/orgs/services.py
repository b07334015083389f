"""Writes to organisations and users. Every write records an audit entry.

There are no default passwords (DOMAIN.md §9: the old default was the birth date): staff accounts
start from a one-time set-up link; students activate their own (see activation.py).
"""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xuedai.audit.services import audit_record

from .lockout import reset_failures
from .models import Organisation, Role, SetupToken, User, UserRole
from .passwords import validate_password
from .permissions import can_manage_user, is_admin, org_in_subtree

SETUP_LINK_HOURS = 72


@transaction.atomic
def organisation_create(
    *, actor: User | None, name: str, kind: str, code: str, parent: Organisation | None,
    region_code: str = "", agent_bank: Organisation | None = None,
) -> Organisation:
    org = Organisation.objects.create(
        name=name, kind=kind, code=code, parent=parent, region_code=region_code, agent_bank=agent_bank,
    )
    # The path needs the new primary key, hence the second write.
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.depth = parent.depth + 1 if parent else 0
    org.save(update_fields=["path", "depth"])
    audit_record(actor=actor, action="organisation_create", obj=org, after={"name": name, "kind": kind})
    return org


@transaction.atomic
def user_create(
    *, actor: User | None, username: str, organisation: Organisation | None, roles: list[str],
    real_name: str = "", mobile: str = "", password: str | None = None,
) -> User:
    """Create a user. Without a password the account is unusable until its set-up link is used."""
    user = User(username=username, organisation=organisation, real_name=real_name, mobile=mobile)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in roles])
    audit_record(actor=actor, action="user_create", obj=user,
                 after={"username": username, "roles": sorted(roles),
                        "organisation": organisation.name if organisation else ""})
    return user


class AccountError(Exception):
    """A refusal with a message for the person in front of the screen (Chinese)."""


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def staff_user_create(
    *, actor: User, organisation: Organisation, username: str, roles: list[str],
    real_name: str = "", mobile: str = "",
) -> User:
    """An administrator adds a staff account in their subtree; it has no password until set-up."""
    if not (is_admin(actor) and org_in_subtree(actor, organisation)):
        raise PermissionDenied("只有本机构及下级机构的系统管理员可以创建用户。")
    if not roles or Role.STUDENT in roles:
        raise ValidationError({"roles": "请选择至少一个工作人员角色。"})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该用户名已被使用。"})
    return user_create(actor=actor, username=username, organisation=organisation, roles=roles,
                       real_name=real_name, mobile=mobile)


@transaction.atomic
def setup_link_create(*, actor: User | None, user: User) -> str:
    """Issue a one-time set-up link (72 h) and return its path; only the token's SHA-256 is kept.

    Earlier unused links of the same user are expired, so only the newest link works.
    actor None means the command line (a server operator), which needs no further check.
    """
    if actor is not None and not can_manage_user(actor, user):
        raise PermissionDenied("无权为该用户签发设置链接。")
    if user.is_student:
        raise PermissionDenied("学生账号通过“首次登录/激活账号”设置密码。")
    now = timezone.now()
    SetupToken.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    raw = secrets.token_urlsafe(32)
    SetupToken.objects.create(user=user, token_hash=_token_hash(raw),
                              expires_at=now + dt.timedelta(hours=SETUP_LINK_HOURS))
    audit_record(actor=actor, action="setup_link_create", obj=user,
                 after={"有效期(小时)": SETUP_LINK_HOURS})
    return reverse("account_setup", args=[raw])


def setup_token_get(raw: str) -> SetupToken:
    """The pending token for a link, or AccountError saying why it cannot be used."""
    token = SetupToken.objects.select_related("user").filter(token_hash=_token_hash(raw or "")).first()
    if token is None:
        raise AccountError("设置链接无效，请核对链接或联系管理员重新签发。")
    if token.used_at is not None:
        raise AccountError("该设置链接已使用过，不能再次使用。如需重新设置，请联系管理员重新签发。")
    if token.expires_at <= timezone.now():
        raise AccountError(f"该设置链接已过期（有效期 {SETUP_LINK_HOURS} 小时），请联系管理员重新签发。")
    if not token.user.is_active:
        raise AccountError("该账号已停用，请联系管理员。")
    return token


@transaction.atomic(durable=True)
def setup_link_use(*, raw: str, password: str, ip_address: str | None = None) -> User:
    """Spend a link: set the password and clear the old TOTP binding, so the person enrols afresh.

    The token row is locked first, so two tabs submitting at once cannot both use it.
    Raises ValidationError for a weak password (the link stays usable then).
    """
    token = setup_token_get(raw)
    token = SetupToken.objects.select_for_update(of=("self",)).select_related("user").get(pk=token.pk)
    if token.used_at is not None:
        raise AccountError("该设置链接已使用过，不能再次使用。")
    user = token.user
    validate_password(password, user)
    user.set_password(password)
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = "", None, 0
    user.failed_logins, user.locked_until = 0, None
    user.save()
    token.used_at = timezone.now()
    token.save(update_fields=["used_at"])
    audit_record(actor=user, action="account_setup", obj=user, after={"说明": "通过设置链接设置密码"},
                 ip_address=ip_address)
    return user


def password_change(*, user: User, password: str, ip_address: str | None = None) -> None:
    """Set a new password the form has already validated (old password and validators)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="password_change", obj=user, after={"说明": "本人修改密码"},
                 ip_address=ip_address)


def user_unlock(*, actor: User, user: User) -> None:
    if not can_manage_user(actor, user):
        raise PermissionDenied("无权解锁该用户。")
    reset_failures(user)
    audit_record(actor=actor, action="user_unlock", obj=user, after={"说明": "管理员解除锁定"})
