"""The file itself, streamed from its records in the order they were written (header, records,
trailer: reports.bureau.layout).

On PostgreSQL the record lines are formatted by the database and streamed with COPY
(:mod:`.copy_stream`): a million records in seconds instead of a Python call per record. The Python
path (:func:`credit_file_lines_python`) stays for SQLite, which has neither COPY nor a GB18030
conversion, and as the reference the COPY path is tested against byte for byte; PostgreSQL also takes
it for a file with an amount the layout cannot hold, so that the error names the field exactly as
layout.record_line does.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db import connection
from django.db.models import Sum

from xuedai import businessdate

from .copy_stream import copy_record_lines, out_of_layout_sql
from .figures import COLUMNS
from .layout import header_line, record_line, trailer_line
from .models import CreditFile, RecordType

FIELDS = ("record_type", "month", *COLUMNS[1:])


def _header(file: CreditFile, records: int) -> bytes:
    return header_line(
        organisation_code=file.organisation.code,
        month=file.month,
        sequence=file.sequence,
        created_on=file.created_at.date() if file.created_at else businessdate.today(),
        records=records,
    )


def credit_file_lines_python(file: CreditFile) -> Iterator[bytes]:
    """One :func:`.layout.record_line` per record, read as rows (``values_list(...).iterator()``)."""
    records = file.records.order_by("id")
    yield _header(file, records.count())
    for values in records.values_list(*FIELDS).iterator(chunk_size=5000):
        yield record_line(dict(zip(FIELDS, values, strict=True)))
    yield trailer_line(
        base_records=records.filter(record_type=RecordType.BASE).count(),
        corrections=records.filter(record_type=RecordType.CORRECTION).count(),
        balance_total=records.aggregate(s=Sum("balance"))["s"] or Decimal(0),
    )


def credit_file_lines_copy(file: CreditFile) -> Iterator[bytes]:
    """The same bytes, the records by COPY; header and trailer from one aggregate over the file."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE r.record_type = %s), "
            "count(*) FILTER (WHERE r.record_type = %s), COALESCE(SUM(r.balance), 0), "
            f"COALESCE(bool_or({out_of_layout_sql()}), false) "
            "FROM reports_creditrecord r WHERE r.file_id = %s",
            [RecordType.BASE, RecordType.CORRECTION, file.pk],
        )
        total, base, corrections, balance_total, out_of_layout = cursor.fetchone()
    if out_of_layout:
        yield from credit_file_lines_python(file)  # raises LayoutError at the record, naming the field
        return
    yield _header(file, total)
    yield from copy_record_lines(file.pk)
    yield trailer_line(base_records=base, corrections=corrections, balance_total=balance_total)


def credit_file_lines(file: CreditFile) -> Iterator[bytes]:
    if connection.vendor == "postgresql":
        return credit_file_lines_copy(file)
    return credit_file_lines_python(file)


def credit_file_name(file: CreditFile) -> str:
    return f"征信报送-{file.organisation.code}-{file.month:%Y%m}-{file.sequence:04d}.txt"
