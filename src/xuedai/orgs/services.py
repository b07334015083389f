"""Writes to organisations and users. Every write records an audit entry."""

from django.db import transaction

from xuedai.audit.services import audit_record

from .models import Organisation, User, UserRole


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
