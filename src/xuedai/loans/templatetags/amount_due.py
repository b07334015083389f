"""Template side of loans.amount_due: ``{% borrower_due_for user as due %}``, the one partial that
says what is due (``{% include "loans/_due.html" with due=… %}``) and the ``yuan`` filter."""

import datetime as dt
from decimal import Decimal

from django import template

from xuedai import businessdate
from xuedai.core.money import round_fen

from ..amount_due import borrower_due

register = template.Library()


@register.filter
def yuan(amount) -> str:
    """Decimal → "12,345.60": thousands separators, two decimals (every page's money format)."""
    if amount is None or amount == "":
        return ""
    return f"{round_fen(Decimal(amount)):,.2f}"


@register.filter
def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


@register.simple_tag
def borrower_due_for(user):
    """The signed-in student's BorrowerDue, or None for anyone else."""
    borrower = getattr(user, "borrower", None) if getattr(user, "is_student", False) else None
    if borrower is None:
        return None
    return borrower_due(borrower, businessdate.today())
