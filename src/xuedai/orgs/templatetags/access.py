"""``{% if some_url|may_open:request.user %}``: show a link or button only to those the view admits."""

from django import template

from ..permissions import may_open as _may_open

register = template.Library()


@register.filter
def may_open(path: str, user) -> bool:
    return bool(path) and _may_open(user, path)
