from decimal import Decimal

from django import template

from xuedai.policies.regions import region_label as _region_label

register = template.Library()


@register.filter
def percent(value, places: int = 2) -> str:
    """0.0350 → "3.50%": rates are stored as fractions and shown as percentages."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) * 100:.{int(places)}f}%"


@register.filter
def region_label(code: str) -> str:
    return _region_label(code)
