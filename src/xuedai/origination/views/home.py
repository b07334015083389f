"""/origination/: each role to its own page."""

from django.shortcuts import redirect

from xuedai.orgs.permissions import fully_logged_in

from .common import is_county, is_university


@fully_logged_in
def home(request):
    user = request.user
    if user.is_student:
        return redirect("origination:apply")
    if is_county(user):
        return redirect("origination:county")
    if is_university(user):
        return redirect("origination:receipts")
    return redirect("origination:batches")
