"""Who may do what with organisations and accounts, for pages and the API."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from rest_framework.permissions import BasePermission

from .middleware import SESSION_FLAG
from .models import Organisation, Role, User
from .scope import sees_everything


def is_admin(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.ADMIN)


def org_in_subtree(user: User, org: Organisation) -> bool:
    """Whether org lies in the user's own subtree (ancestors shown for context do not count)."""
    if sees_everything(user):
        return True
    return user.organisation is not None and org.path.startswith(user.organisation.path)


def can_manage_user(actor: User, target: User) -> bool:
    """Administrators manage staff accounts in their subtree; nobody manages a student's password here."""
    if target.is_student or not is_admin(actor):
        return False
    if target.organisation is None:
        return actor.is_superuser
    return org_in_subtree(actor, target.organisation)


def second_factor_passed(request) -> bool:
    user = request.user
    return not user.needs_second_factor or bool(request.session.get(SESSION_FLAG))


def roles_required(*roles: str):
    """A view decorator: log in (and pass TOTP) first; then one of the roles, else 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not second_factor_passed(request):
                return redirect("totp_verify" if request.user.totp_confirmed_at else "totp_enrol")
            if not has_roles(request.user):
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        def has_roles(user: User) -> bool:
            return not roles or user.is_superuser or user.has_role(*roles)

        wrapper.access = _both(getattr(view, "access", None), has_roles)
        return wrapper

    return decorator


Rule = Callable[[User], bool]


def _both(inner: Rule | None, outer: Rule) -> Rule:
    return outer if inner is None else (lambda user: outer(user) and inner(user))


def allowed_if(rule: Rule, message: str):
    """A view decorator for a rule beyond roles (e.g. who may take full ID numbers away): 403 with
    ``message`` when ``rule(user)`` is false. The rule is kept on the view, so links to it are shown
    only to those who may follow them (:func:`may_open`)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not rule(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        wrapper.access = _both(getattr(view, "access", None), rule)
        return wrapper

    return decorator


def may_open(user: User, path: str) -> bool:
    """Whether ``user`` may follow a link to ``path``: the rules the view itself enforces (its roles,
    its allowed_if rules). Navigation and buttons ask this, so a role sees only links it may follow."""
    try:
        view = resolve(path.split("?", 1)[0]).func
    except Resolver404:
        return False
    rule = getattr(view, "access", None)
    return rule is None or bool(rule(user))


staff_required = roles_required(*[r for r in Role if r != Role.STUDENT])
# Any logged-in person who has passed their second factor (students have none).
fully_logged_in = roles_required()


class SecondFactorVerified(BasePermission):
    """API: a session that has not passed TOTP yet must not reach data (the middleware lets /api/ by).

    Token clients passed TOTP when the token was issued, so token requests are let through.
    """

    message = "请先完成动态口令验证。"

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if request.auth is not None:
            return True
        return second_factor_passed(request)


class IsStaff(BasePermission):
    message = "仅限机构工作人员。"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and not request.user.is_student)
