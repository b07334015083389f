"""Post-loan pages, thin: parse, call a selector or service, render (ARCHITECTURE, app rooms)."""

from django.shortcuts import redirect

from xuedai.orgs.models import OrgKind, Role

from .common import staff_required


def home(request):
    """/postloan/: each role to the page its season starts from."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.is_student:
        return redirect("postloan:my_confirmation")
    return _staff_home(request)


@staff_required
def _staff_home(request):
    user = request.user
    kind = user.organisation.kind if user.organisation else None
    if kind == OrgKind.COUNTY_CENTRE:
        return redirect("postloan:lost")
    if user.has_role(Role.DEPARTMENT_STAFF):
        return redirect("postloan:worklist")
    return redirect("postloan:graduates")
