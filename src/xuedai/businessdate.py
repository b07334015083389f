"""The one answer to "what day is it" for every business rule (ARCHITECTURE principle 6).

Order: an in-process override (tests, simulation) → settings.XUEDAI_BUSINESS_DATE → the stored
BusinessDate row (set by `xuedai simulate`) → today's date in Asia/Shanghai.
"""

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

_override: dt.date | None = None
# Inside one web request (``one_answer_per_request``): the stored date read once, so a page and its
# menu agree on the day even if `xuedai simulate` moves it meanwhile, and a page reads it once
# instead of once per caller (bench/load_web.py). A context variable: each gunicorn thread its own.
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("business_date_memo",
                                                                         default=None)


def today() -> dt.date:
    if _override is not None:
        return _override
    if settings.XUEDAI_BUSINESS_DATE:
        return dt.date.fromisoformat(settings.XUEDAI_BUSINESS_DATE)
    memo = _request_memo.get()
    if memo is not None and "today" in memo:
        return memo["today"]
    from xuedai.jobs.models import BusinessDate

    stored = BusinessDate.objects.filter(pk=1).values_list("value", flat=True).first()
    value = stored or timezone.localdate()
    if memo is not None:
        memo["today"] = value
    return value


@contextlib.contextmanager
def one_answer_per_request() -> Iterator[None]:
    """Within the block, today() reads the stored business date at most once."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


class BusinessDateMiddleware:
    """Each request sees one business date, read at most once (``one_answer_per_request``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_answer_per_request():
            return self.get_response(request)


@contextlib.contextmanager
def business_date(value: dt.date) -> Iterator[dt.date]:
    """Run a block as if the business date were `value`."""
    global _override
    previous, _override = _override, value
    try:
        yield value
    finally:
        _override = previous


def set_stored_business_date(value: dt.date, *, actor=None) -> None:
    """Store the business date every process reads (a demo, a simulation moves it); audited."""
    from django.db import transaction

    from xuedai.audit.services import audit_record
    from xuedai.jobs.models import BusinessDate

    with transaction.atomic():
        stored, _ = BusinessDate.objects.select_for_update().get_or_create(pk=1, defaults={"value": value})
        before = stored.value
        stored.value = value
        stored.save(update_fields=["value"])
        audit_record(actor=actor, action="business_date_set", obj=stored, before={"value": before},
                     after={"value": value})
    memo = _request_memo.get()
    if memo is not None:
        memo.pop("today", None)  # a request that moves the date reads the new one from here on
