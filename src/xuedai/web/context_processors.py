"""Navigation and the business date for every page."""

from xuedai import businessdate
from xuedai.orgs.permissions import second_factor_passed

from .navigation import nav_items_for, nav_menu


def navigation(request):
    """The menu, the user's name and the business date — only once the person is fully signed in
    (password and, for staff, the second factor): the TOTP page shows none of it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not second_factor_passed(request):
        return {"signed_in": False}
    return {"signed_in": True, "nav_items": nav_menu(nav_items_for(user, request.path)),
            "business_date": businessdate.today()}
