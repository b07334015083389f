"""The file's records formatted by PostgreSQL and streamed with ``COPY … TO STDOUT`` in GB18030:
the same bytes as :func:`.layout.record_line` makes one Python call per record, at a fraction of the
cost (bench/RESULTS.md "征信报送 file"). tests/reports/test_credit_copy.py compares the two byte for
byte.

Field by field as layout.py (docs/征信报送文件格式.md): ``X`` text padded with spaces to its width in
GB18030 bytes, so a Chinese character counts 2 (``convert_to(…, 'GB18030')`` measures it; a text that
is all ASCII is the same in UTF-8 and GB18030 and takes the plain ``rpad``), a too-long text cut at a
whole character; ``9`` and ``M`` zero-padded, money in fen; ``D`` YYYYMMDD or spaces; the status
character and the not-reportable flag derived exactly as ``layout.status_of`` / ``not_reportable_of``.

COPY ends each row with LF; the file's lines end CRLF, added here on the way out (no GB18030 byte
sequence contains 0x0A, so every LF is a line end). CSV format with control characters as delimiter
and quote, so nothing in a line is escaped or quoted (the text format would double a backslash).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

from .layout import ENCODING, LINE_END, PRODUCT_CODES, RECORD_FIELDS

_CHUNK = 256 * 1024  # bytes handed on at a time (one HTTP chunk)
_MONEY_LIMIT = 10**12  # 12 digits of fen: the M fields' width


def _gb_len(expr: str) -> str:
    return f"octet_length(convert_to({expr}, '{ENCODING.upper()}'))"


def _text(column: str, width: int) -> str:
    x = f"COALESCE(r.{column}::text, '')"
    prefix = f"left({x}, k)"
    cut = (
        f"(SELECT {prefix} || repeat(' ', {width} - {_gb_len(prefix)}) "
        f"FROM generate_series(char_length({x}), 0, -1) k WHERE {_gb_len(prefix)} <= {width} LIMIT 1)"
    )
    return (
        f"CASE WHEN octet_length({x}) = char_length({x}) THEN rpad({x}, {width}) "
        f"WHEN {_gb_len(x)} <= {width} THEN {x} || repeat(' ', {width} - {_gb_len(x)}) "
        f"ELSE {cut} END"
    )


def _fen(column: str) -> str:
    return f"(r.{column} * 100)::int8"


def _number(expr: str, width: int) -> str:
    return f"lpad(({expr})::text, {width}, '0')"


def _date(column: str) -> str:
    return f"COALESCE(to_char(r.{column}, 'YYYYMMDD'), '        ')"


_DAYS = "LEAST(r.overdue_days, 9999)"


def _status() -> str:
    """layout.status_of: overdue → 1–7 by 30-day bands; settled → C; due or paid → N; else *."""
    return (
        "CASE WHEN r.overdue_principal <> 0 OR r.overdue_interest <> 0 "
        f"THEN (LEAST(7, GREATEST(1, ({_DAYS} + 29) / 30)))::text "
        "WHEN r.balance = 0 AND r.held_overdue = 0 THEN 'C' "
        "WHEN r.due_amount <> 0 OR r.paid_amount <> 0 THEN 'N' ELSE '*' END"
    )


def _cell(name: str, kind: str, width: int) -> str:
    if name == "id_type":
        return "'0'"
    if name == "month":
        return "to_char(r.month, 'YYYYMM')"
    if name == "product":
        cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in PRODUCT_CODES.items())
        return f"CASE r.product {cases} ELSE '0' END"
    if name == "overdue_days":
        return _number(_DAYS, width)
    if name == "status":
        return _status()
    if name == "not_reportable":
        return "((r.waived_amount <> 0)::int + 2 * (r.held_overdue <> 0)::int)::text"
    if kind == "X":
        return _text(name, width)
    if kind == "D":
        return _date(name)
    if kind == "M":
        return _number(_fen(name), width)
    return _number(f"r.{name}", width)


def record_line_sql() -> str:
    """One record's line (without its line end) as an SQL expression over reports_creditrecord r."""
    return " || ".join(_cell(f.name, f.kind, f.width) for f in RECORD_FIELDS)


MONEY_FIELDS = tuple(f.name for f in RECORD_FIELDS if f.kind == "M")


def out_of_layout_sql() -> str:
    """True for a record with an amount that the layout cannot hold (negative, or past 12 digits of
    fen): layout.record_line raises LayoutError naming the field for it, and so must the file."""
    return " OR ".join(f"r.{c} < 0 OR {_fen(c)} >= {_MONEY_LIMIT}" for c in MONEY_FIELDS)


def copy_record_lines(file_id: int) -> Iterator[bytes]:
    """The file's record lines in the order they were written (by id), GB18030, CRLF, in chunks."""
    query = (
        f"COPY (SELECT {record_line_sql()} FROM reports_creditrecord r WHERE r.file_id = {int(file_id)} "
        "ORDER BY r.id) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e', "
        f"ENCODING '{ENCODING.upper()}')"
    )
    pending: list[bytes] = []
    size = 0
    with connection.cursor() as cursor, cursor.copy(query) as copy:
        for data in copy:
            pending.append(bytes(data))
            size += len(data)
            if size >= _CHUNK:
                yield b"".join(pending).replace(b"\n", LINE_END)
                pending, size = [], 0
    if pending:
        yield b"".join(pending).replace(b"\n", LINE_END)
