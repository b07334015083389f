"""How numbers read on every page (core.money does the rounding): ``{{ x|money }}`` → ¥1,234.50,
``{{ x|yuan }}`` → 1,234.50 (in a column headed 元), ``{{ r|rate }}`` → 2.90 %, ``{{ n|years }}`` →
15 年, ``{{ n|count }}`` → 12,345. Load with ``{% load numbers %}``."""

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
