"""COPY whole columns into a real table, encoding each by the table's own column types.

The benchmark portfolio goes into the real tables (borrowers, contracts, accounts, postings), whose
columns other apps keep extending. So values are encoded by the type PostgreSQL reports for the
column, and a NOT NULL column without a default that the caller does not supply gets a neutral
value of its type (0, '', false, today) — a new column never breaks the build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np

from xuedai.batch import io
from xuedai.batch.exact import NO_DATE
from xuedai.batch.pgbinary import Block

_MICROS_2000 = int(dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp()) * 1_000_000


def now_micros() -> int:
    """Now as a binary ``timestamptz`` (µs since 2000-01-01 UTC)."""
    return int(dt.datetime.now(dt.UTC).timestamp() * 1_000_000) - _MICROS_2000


def columns_of(conn, table: str) -> list[tuple[str, str, bool, bool, int]]:
    """(name, type, nullable, has default, numeric scale) of each column, in table order."""
    with conn.cursor() as cur:
        cur.execute("""
            SELECT column_name, data_type, is_nullable = 'YES',
                   column_default IS NOT NULL OR is_identity = 'YES', COALESCE(numeric_scale, 0)
              FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position""",
                    (table,))
        return cur.fetchall()


def _encode(block: Block, pg_type: str, scale: int, value) -> None:
    if value is None:
        block.null()
    elif pg_type == "bigint":
        block.int8(value)
    elif pg_type == "integer":
        block.int4(value)
    elif pg_type == "smallint":
        block.int2(value)
    elif pg_type == "numeric":
        block.numeric(value, scale)  # value in units of 10**-scale
    elif pg_type == "date":
        block.date(value)  # day numbers
    elif pg_type == "boolean":
        block.boolean(value)
    elif pg_type.startswith("timestamp"):
        block.timestamptz(value)
    elif pg_type in ("character varying", "text", "character"):
        block.text(value)
    else:
        raise TypeError(f"no binary encoder for {pg_type}")


_NEUTRAL = {"bigint": 0, "integer": 0, "smallint": 0, "numeric": 0, "boolean": False, "date": 0}


def copy_columns(conn, table: str, n: int, values: Mapping[str, object]) -> int:
    """COPY ``n`` rows into ``table``: ``values`` maps a column to an array of ``n`` or one value
    (strings as ``S`` arrays of UTF-8, dates as day numbers with ``NO_DATE`` for NULL, numerics in
    units of the column's scale, timestamps as :func:`now_micros`). Other NOT NULL columns get
    neutral values. A binary block needs one width per column, so rows are grouped by which dates
    are NULL and how long each string is, one block per group."""
    names, blocks = column_blocks(table, columns_of(conn, table), n, values)
    return io.copy_in(conn, table, names, blocks)


def column_blocks(table: str, columns: list[tuple[str, str, bool, bool, int]], n: int,
                  values: Mapping[str, object]) -> tuple[list[str], list[Block]]:
    """The column names and binary blocks :func:`copy_columns` writes, for ``columns`` as
    :func:`columns_of` reads them — so a caller streaming many chunks into one COPY reads the
    catalog once and names the same columns for every chunk."""
    layout = []
    for name, pg_type, nullable, has_default, scale in columns:
        if name in values:
            value = values[name]
        elif nullable or has_default:
            continue
        elif pg_type.startswith("timestamp"):
            value = now_micros()
        elif pg_type in ("character varying", "text", "character"):
            value = ""
        elif pg_type in _NEUTRAL:
            value = _NEUTRAL[pg_type]
        else:
            raise TypeError(f"{table}.{name}: no neutral value for {pg_type}")
        layout.append((name, pg_type, scale, value))
    missing = set(values) - {name for name, *_ in layout}
    if missing:
        raise KeyError(f"{table} has no column {sorted(missing)}")
    key = np.zeros(n, dtype=np.int64)
    for _, pg_type, _, value in layout:
        if isinstance(value, np.ndarray) and value.dtype.kind == "S":
            key = key * (value.dtype.itemsize + 1) + np.char.str_len(value)
        elif isinstance(value, np.ndarray) and pg_type == "date":
            key = key * 2 + (value == NO_DATE)
    blocks = []
    for group in np.unique(key):
        rows = np.flatnonzero(key == group)
        block = Block(len(rows))
        for _, pg_type, scale, value in layout:
            if isinstance(value, np.ndarray):
                value = value[rows]
                if value.dtype.kind == "S":  # one length in the group: trim the NUL padding
                    width = int(np.char.str_len(value[0]))
                    value = value.astype(f"S{width}") if width else ""
                elif pg_type == "date" and value[0] == NO_DATE:
                    value = None
            _encode(block, pg_type, scale, value)
        blocks.append(block)
    return [name for name, *_ in layout], blocks


def fixed_text(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + zero-padded ``numbers`` as a fixed-width ``S`` array (every row the same bytes
    long, as a binary COPY block needs)."""
    raw = prefix.encode()
    numbers = np.asarray(numbers, dtype=np.int64)
    digits = np.empty((len(numbers), len(raw) + width), dtype=np.uint8)
    digits[:, :len(raw)] = np.frombuffer(raw, dtype=np.uint8)
    for k in range(width):
        digits[:, len(raw) + width - 1 - k] = 48 + (numbers // 10**k) % 10
    return digits.view(f"S{len(raw) + width}").ravel()


def reset_identity(conn, table: str) -> None:
    """After COPY with explicit ids, move the identity on past them."""
    io.execute(conn, f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"GREATEST((SELECT MAX(id) FROM {table}), 1))")
