"""Lock an account (or an identifier) after repeated failures (DOMAIN.md)

A "subject" is either a User (its failed_logins / locked_until columns) or a LoginThrottle row
for an identifier with no account behind it. Both carry the same two fields, so one set of
functions serves both, and an attacker sees the same behaviour whether an account exists or not.

Wall-clock time (timezone.now) is used, not the business date: a lock is about real minutes.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import LoginThrottle, User

GENERIC_LOGIN_ERROR = "账号或密码错误。"
# A lock notice in whole minutes; the wording does not say whether the account exists.
LOCKED_TEMPLATE = "连续失败次数过多，已锁定，请在 {minutes} 分钟后重试，或联系本机构管理员解锁。"

Subject = User | LoginThrottle


def attempts_allowed() -> int:
    return int(getattr(settings, "XUEDAI_LOCKOUT_ATTEMPTS", 5))


def lock_minutes() -> int:
    return int(getattr(settings, "XUEDAI_LOCKOUT_MINUTES", 30))


def throttle_for(purpose: str, identifier: str) -> LoginThrottle:
    """The counter row for an identifier; only its hash is stored."""
    digest = hashlib.sha256(f"{purpose}:{identifier.strip().upper()}".encode()).hexdigest()
    throttle, _ = LoginThrottle.objects.get_or_create(key_hash=digest)
    return throttle


def is_locked(subject: Subject) -> bool:
    return subject.locked_until is not None and subject.locked_until > timezone.now()


def locked_message(subject: Subject) -> str:
    remaining = (subject.locked_until - timezone.now()).total_seconds() if subject.locked_until else 0
    return LOCKED_TEMPLATE.format(minutes=max(1, int(remaining // 60) + (1 if remaining % 60 else 0)))


@transaction.atomic
def register_failure(subject: Subject) -> bool:
    """Count one failure; return True when this failure locks the subject.

    The row is re-read under a lock so two parallel guesses cannot both slip under the limit.
    The counter restarts at zero once locked, so after the lock expires the full allowance returns.
    """
    fresh = type(subject).objects.select_for_update(of=("self",)).get(pk=subject.pk)
    fresh.failed_logins += 1
    locked = fresh.failed_logins >= attempts_allowed()
    if locked:
        fresh.failed_logins = 0
        fresh.locked_until = timezone.now() + dt.timedelta(minutes=lock_minutes())
    fresh.save(update_fields=["failed_logins", "locked_until"])
    subject.failed_logins, subject.locked_until = fresh.failed_logins, fresh.locked_until
    return locked


def reset_failures(subject: Subject) -> None:
    if subject.failed_logins or subject.locked_until:
        subject.failed_logins, subject.locked_until = 0, None
        subject.save(update_fields=["failed_logins", "locked_until"])
