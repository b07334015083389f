"""Reads of organisations and users, always scoped to the acting user (ARCHITECTURE principle 4).

Organisations: the user's subtree plus its ancestors (for context), per scope.org_scope_q.
Users: only staff of organisations inside the subtree — ancestors' staff are not listed.
A lookup outside scope is a 404, so the existence of a foreign record is not revealed.
"""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Organisation, User
from .permissions import org_in_subtree
from .scope import org_scope_q, sees_everything


def organisations_visible(user: User) -> QuerySet[Organisation]:
    if user.is_student:
        return Organisation.objects.none()
    return Organisation.objects.filter(org_scope_q(user)).select_related("parent")


def organisation_get(user: User, pk: int) -> Organisation:
    return get_object_or_404(organisations_visible(user), pk=pk)


def organisation_tree(user: User) -> list[Organisation]:
    """Visible organisations in tree order, each with `indent`, `in_subtree` and `user_count`."""
    orgs = list(organisations_visible(user).annotate(
        user_count=Count("users", filter=Q(users__is_active=True))
    ).order_by("path"))
    top = min((o.depth for o in orgs), default=0)
    for o in orgs:
        o.indent = o.depth - top
        o.in_subtree = org_in_subtree(user, o)
    return orgs


def users_visible(user: User) -> QuerySet[User]:
    """Staff accounts in the user's subtree. Students and staff without an organisation are not listed."""
    if user.is_student:
        return User.objects.none()
    base = User.objects.filter(organisation__isnull=False).select_related("organisation")
    if sees_everything(user):
        return base.prefetch_related("roles")
    if user.organisation is None:
        return User.objects.none()
    return base.filter(organisation__path__startswith=user.organisation.path).prefetch_related("roles")


def user_get(user: User, pk: int) -> User:
    return get_object_or_404(users_visible(user), pk=pk)


def users_of(user: User, org: Organisation) -> QuerySet[User]:
    return users_visible(user).filter(organisation=org).order_by("username")

