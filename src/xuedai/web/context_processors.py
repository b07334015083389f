"""Navigation and the business date for every page."""

from xuedai import businessdate

from .navigation import nav_items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_items": nav_items_for(user, request.path), "business_date": businessdate.today()}
