"""/origination/: each role to its own page; a role with no 生源地 work of its own has no such page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from xuedai.orgs.models import Role, User
from xuedai.orgs.permissions import fully_logged_in, may_open

from .common import is_county, is_university


def destination(user: User) -> str | None:
    """The page a user's 生源地 work starts on, or None (a university supervisor or department staff:
    receipts are the loan office's, the rest the county's, province's and bank's — DOMAIN.md §3.1)."""
    if user.is_student:
        return "origination:apply"
    if is_county(user):
        return "origination:county"
    if is_university(user):
        return "origination:receipts" if user.has_role(Role.UNIVERSITY_OFFICER) else None
    return "origination:batches"


def _admits(user: User) -> bool:
    target = destination(user)
    return target is not None and may_open(user, reverse(target))


@fully_logged_in
def home(request):
    target = destination(request.user)
    if target is None or not _admits(request.user):
        raise PermissionDenied("您的岗位没有生源地贷款的办理事项。")
    return redirect(target)


home.access = _admits  # for the navigation: shown only where it leads somewhere the user may go
