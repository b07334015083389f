"""How numbers read on every page (core.money does the rounding): ``{{ x|money }}`` → ¥1,234.50,
``{{ x|yuan }}`` → 1,234.50 (in a column headed 元), ``{{ r|rate }}`` → 2.90 %, ``{{ n|years }}`` →
15 年, ``{{ n|count }}`` → 12,345, ``{{ v|cell }}`` for rows shared with an xlsx.
Load with ``{% load numbers %}``."""

import datetime as dt
from decimal import Decimal

from django import template

from xuedai.core.money import display_money, display_rate

register = template.Library()


@register.filter
def money(value) -> str:
    return display_money(value)


@register.filter
def yuan(value) -> str:
    return display_money(value, sign="")


@register.filter
def rate(value, places: int = 2) -> str:
    return display_rate(value, int(places))


@register.filter
def years(value) -> str:
    return "—" if value in (None, "") else f"{value} 年"


@register.filter
def count(value) -> str:
    return "—" if value in (None, "") else f"{int(value):,}"


@register.filter
def cell(value) -> str:
    """A cell of a table built for both a page and an xlsx (rows of plain values): a Decimal is an
    amount (1,234.50, under a header that says 元), a date reads 2026-09-01, None is blank."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return display_money(value, sign="")
    if isinstance(value, dt.date):
        return value.isoformat() if not isinstance(value, dt.datetime) else f"{value:%Y-%m-%d %H:%M}"
    return str(value)
