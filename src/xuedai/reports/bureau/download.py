"""The file itself, streamed from its records in the order they were written (header, records,
trailer: reports.bureau.layout). Read with ``values_list(...).iterator()``: rows, not objects."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Sum

from xuedai import businessdate

from .figures import COLUMNS
from .layout import header_line, record_line, trailer_line
from .models import CreditFile, RecordType

FIELDS = ("record_type", "month", *COLUMNS[1:])


def credit_file_lines(file: CreditFile) -> Iterator[bytes]:
    records = file.records.order_by("id")
    yield header_line(
        organisation_code=file.organisation.code,
        month=file.month,
        sequence=file.sequence,
        created_on=file.created_at.date() if file.created_at else businessdate.today(),
        records=records.count(),
    )
    for values in records.values_list(*FIELDS).iterator(chunk_size=5000):
        yield record_line(dict(zip(FIELDS, values, strict=True)))
    yield trailer_line(
        base_records=records.filter(record_type=RecordType.BASE).count(),
        corrections=records.filter(record_type=RecordType.CORRECTION).count(),
        balance_total=records.aggregate(s=Sum("balance"))["s"] or Decimal(0),
    )


def credit_file_name(file: CreditFile) -> str:
    return f"征信报送-{file.organisation.code}-{file.month:%Y%m}-{file.sequence:04d}.txt"
