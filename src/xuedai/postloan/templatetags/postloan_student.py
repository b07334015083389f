"""{% year_due_for user as due %}: this year's amount due on the student's home page (DOMAIN.md §9)."""

from django import template

from xuedai import businessdate

register = template.Library()


@register.simple_tag
def year_due_for(user):
    borrower = getattr(user, "borrower", None) if getattr(user, "is_student", False) else None
    if borrower is None:
        return None
    from ..servicing_selectors import year_due

    return year_due(borrower, businessdate.today())
