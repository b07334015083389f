"""COPY out of and into PostgreSQL around the kernels, and set-based updates of cached balances.

ARCHITECTURE.md "batch compute": never an ORM object per loan. A batch chunk reads its columns with
one ``COPY (SELECT …) TO STDOUT`` (binary: integers only, dates as day numbers, money as fen, so
the stream parses straight into NumPy — :mod:`.pgbinary`), computes, and writes its postings with
one ``COPY loans_posting … FROM STDIN`` and its balance changes through a temporary table and one
``UPDATE … FROM``, all in the caller's transaction (one per chunk: ``jobs.runner.batch_run`` commits
the chunk with its checkpoint, so a chunk is never posted twice).

Every function takes a psycopg 3 connection: Django's own (``connection.connection`` inside
``transaction.atomic``) or a separate one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from xuedai.batch.exact import NO_DATE
from xuedai.batch.pgbinary import Block, read_int_columns, stream

EPOCH = "DATE '1970-01-01'"
LIVE = "('disbursed', 'repaying', 'overdue')"  # origination.models.LIVE_STATES


def day_sql(expr: str, null_as: int = int(NO_DATE)) -> str:
    """SQL for a date column as an int4 day number (NULL → ``null_as``)."""
    return f"COALESCE(({expr} - {EPOCH}), {null_as})::int4"


def fen_sql(expr: str) -> str:
    """SQL for a numeric(…, 2) amount as int8 fen (exact: the column has two decimals)."""
    return f"(({expr}) * 100)::int8"


@dataclass(frozen=True)
class Column:
    name: str
    sql: str
    width: int = 8  # bytes: 8 for int8, 4 for int4 (dates)


def copy_out(conn, columns: Sequence[Column], from_where: str, params: Mapping | None = None) -> dict:
    """``SELECT <columns> <from_where>`` through a binary COPY, as int64 NumPy columns by name."""
    select = ", ".join(f"{c.sql} AS {c.name}" for c in columns)
    data = bytearray()
    with conn.cursor() as cur, cur.copy(f"COPY (SELECT {select} {from_where}) TO STDOUT (FORMAT BINARY)",
                                        params) as copy:
        for block in copy:
            data += block
    return read_int_columns(bytes(data), [c.name for c in columns], [c.width for c in columns])


def copy_in(conn, table: str, columns: Sequence[str], blocks: Sequence[Block]) -> int:
    """Append the blocks' rows to ``table`` (binary COPY); returns the row count."""
    rows = sum(b.n for b in blocks)
    if rows == 0:
        return 0
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
    with conn.cursor() as cur, cur.copy(statement) as copy:
        copy.write(stream(blocks))
    return rows


@dataclass
class Timings:
    """What one chunk (or, added up, one run) of a batch read, computed and wrote, and how long."""

    read_s: float = 0.0
    compute_s: float = 0.0
    write_s: float = 0.0
    rows: int = 0
    postings: int = 0
    scalar_rows: int = 0
    totals: dict[str, int] = field(default_factory=dict)  # fen by posting kind (grades: accounts)
    counts: dict[str, int] = field(default_factory=dict)  # postings by kind

    def add(self, other: Timings) -> None:
        self.read_s += other.read_s
        self.compute_s += other.compute_s
        self.write_s += other.write_s
        self.rows += other.rows
        self.postings += other.postings
        self.scalar_rows += other.scalar_rows
        for kind, fen in other.totals.items():
            self.totals[kind] = self.totals.get(kind, 0) + fen
        for kind, n in other.counts.items():
            self.counts[kind] = self.counts.get(kind, 0) + n

    def as_checkpoint(self) -> dict:
        """The chunk's counts as a job checkpoint records them (summed back by :meth:`from_checkpoints`)."""
        return {"rows": self.rows, "postings": self.postings, "scalar_rows": self.scalar_rows,
                "totals": self.totals, "counts": self.counts}

    @classmethod
    def from_checkpoints(cls, entries) -> Timings:
        total = cls()
        for entry in entries:
            total.add(cls(rows=entry.get("rows", 0), postings=entry.get("postings", 0),
                          scalar_rows=entry.get("scalar_rows", 0), totals=dict(entry.get("totals", {})),
                          counts=dict(entry.get("counts", {}))))
        return total


# -- postings -------------------------------------------------------------------------------------------

POSTING_COLUMNS = ("account_id", "business_date", "kind", "amount", "due_on", "job_run_id", "memo")


@dataclass
class Postings:
    """Postings of one business day, collected kind by kind, written in one COPY.

    ``loans.models.kinds``: the amount is always > 0 and the kind gives the direction, so rows with
    a zero amount are dropped here (the scalar path posts nothing for a zero amount either).
    """

    on: int  # day number
    job_run_id: int | None = None
    memo: str = ""
    blocks: list[Block] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, account_id: np.ndarray, amount: np.ndarray, due_on: np.ndarray | int | None,
            business_date: np.ndarray | None = None) -> int:
        keep = amount > 0
        n = int(keep.sum())
        self.totals[kind] = self.totals.get(kind, 0) + int(amount[keep].sum())
        if n == 0:
            return 0
        self.counts[kind] = self.counts.get(kind, 0) + n
        day = self.on if business_date is None else business_date[keep]
        block = Block(n).int8(account_id[keep]).date(day).text(kind).numeric(amount[keep], 2)
        if due_on is None:
            block.null()
        else:
            block.date(due_on[keep] if isinstance(due_on, np.ndarray) else due_on)
        if self.job_run_id is None:
            block.null()
        else:
            block.int8(self.job_run_id)
        block.text(self.memo)
        self.blocks.append(block)
        return n

    def write(self, conn) -> int:
        written = copy_in(conn, "loans_posting", POSTING_COLUMNS, self.blocks)
        self.blocks = []
        return written


# -- set-based updates ------------------------------------------------------------------------------------


def temp_table(conn, name: str, columns: Mapping[str, np.ndarray]) -> int:
    """A temporary table ``name`` (dropped at commit) holding int8 ``columns``; first column keyed."""
    names = list(columns)
    n = len(columns[names[0]])
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
        cols = ", ".join(f"{c} bigint" for c in names)
        cur.execute(f"CREATE TEMP TABLE {name} ({cols}) ON COMMIT DROP")
    block = Block(n)
    for c in names:
        block.int8(columns[c])
    copy_in(conn, name, names, [block])
    with conn.cursor() as cur:
        cur.execute(f"ANALYZE {name}")  # the planner then joins by hash rather than guessing
    return n


def execute(conn, sql: str, params: Mapping | None = None) -> int:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount
