"""Bulk writes of rendered rows: PostgreSQL COPY, or executemany on SQLite — one generator for both.

Columns follow the model's own field list, so a field another app adds later (with a default)
is filled from its default instead of breaking the demo; a field with only a database default
(``db_default``, e.g. a posting's ``created_at``) is left out of the column list and the database
fills it.

On PostgreSQL, a bulk load into an empty table is much faster with the secondary indexes and the
foreign keys dropped and rebuilt afterwards: a B-tree built by one sort beats millions of single
inserts, and one anti-join per foreign key beats a trigger firing per row. The definitions are
read back from the catalog (pg_get_indexdef / pg_get_constraintdef), so exactly what the
migrations made is restored, under the same names, inside the same transaction.
"""

import datetime as dt
import json
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal

from django.core.management.color import no_style
from django.db import models

from .columns import NULL, const, decode_rows, encode_rows

SQLITE_BATCH = 2_000


def written_fields(model: type[models.Model]) -> list[models.Field]:
    """The columns a bulk write names: all but those only the database knows how to fill."""
    return [f for f in model._meta.concrete_fields
            if f.has_default() or getattr(f, "db_default", models.NOT_PROVIDED) is models.NOT_PROVIDED]


class BulkWriter:
    def __init__(self, connection, now: dt.datetime):
        self.connection = connection
        self.vendor = connection.vendor
        self.now = now
        self.bytes_written = 0

    # ---- rows ---------------------------------------------------------------------------------------

    def _default_text(self, field: models.Field) -> bytes:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = self.now
        else:
            # Django's own rule: the declared default, "" for text fields, None for nullable ones.
            value = field.get_default()
            if value is None and not field.null:
                raise ValueError(f"{field.model.__name__}.{field.name}: no value and no default")
        return self._text(value)

    def _text(self, value) -> bytes:
        if value is None:
            return NULL
        if isinstance(value, bool):
            return (b"t" if value else b"f") if self.vendor == "postgresql" else (b"1" if value else b"0")
        if isinstance(value, dt.datetime):
            if self.vendor == "postgresql":
                return value.isoformat().encode()
            return str(self.connection.ops.adapt_datetimefield_value(value)).encode()
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False).encode()
        if isinstance(value, (dt.date, Decimal, int, str)):
            return str(value.isoformat() if isinstance(value, dt.date) else value).encode()
        raise TypeError(f"cannot write {value!r}")

    def encode(self, model: type[models.Model], fields: dict, n: int) -> tuple[list[str], bytes]:
        concrete = written_fields(model)
        unknown = set(fields) - {f.attname for f in concrete}
        if unknown:
            raise ValueError(f"{model.__name__}: no field(s) {sorted(unknown)} to write")
        parts = [fields[f.attname] if f.attname in fields else [const(self._default_text(f), n)]
                 for f in concrete]
        return [f.column for f in concrete], encode_rows(parts, n)

    @contextmanager
    def table(self, model: type[models.Model]) -> Iterator:
        """A sink for one table: call it with (fields, n) for each chunk."""
        qn = self.connection.ops.quote_name
        table = qn(model._meta.db_table)
        columns = ", ".join(qn(f.column) for f in written_fields(model))
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                from psycopg.copy import QueuedLibpqWriter

                raw = cursor.cursor
                # The queued writer sends in a thread: NumPy renders the next chunk meanwhile.
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN",
                              writer=QueuedLibpqWriter(raw)) as copy:
                    def sink(fields: dict, n: int) -> None:
                        block = self.encode(model, fields, n)[1]
                        self.bytes_written += len(block)
                        copy.write(block)
                    yield sink
            else:
                marks = ", ".join(["%s"] * len(written_fields(model)))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"

                def sink(fields: dict, n: int) -> None:
                    block = self.encode(model, fields, n)[1]
                    self.bytes_written += len(block)
                    rows = decode_rows(block)
                    for start in range(0, len(rows), SQLITE_BATCH):
                        cursor.executemany(sql, rows[start: start + SQLITE_BATCH])
                yield sink

    @contextmanager
    def binary_table(self, model: type[models.Model]) -> Iterator:
        """PostgreSQL only: a sink taking typed columns (``batch.tablecopy.column_blocks``: day
        numbers, integer units of a numeric's scale, UTF-8 ``S`` arrays) into one binary COPY. The
        server parses no text (for the tens of millions of postings a third less work), and the
        queued writer sends a chunk while NumPy encodes the next."""
        from psycopg.copy import QueuedLibpqWriter

        from xuedai.batch.pgbinary import HEADER, TRAILER
        from xuedai.batch.tablecopy import column_blocks, columns_of

        raw = self.connection.connection
        table = model._meta.db_table
        catalog = columns_of(raw, table)
        with raw.cursor() as cursor, ExitStack() as stack:
            opened = []  # the COPY, once the first chunk has named the columns

            def sink(values: dict, n: int) -> None:
                names, blocks = column_blocks(table, catalog, n, values)
                if not opened:
                    statement = f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)"
                    copy = cursor.copy(statement, writer=QueuedLibpqWriter(cursor))
                    opened.append(stack.enter_context(copy))
                    opened[0].write(HEADER)
                for block in blocks:
                    opened[0].write(block.tobytes())

            yield sink
            if opened:
                opened[0].write(TRAILER)

    # ---- around the load ------------------------------------------------------------------------------

    def next_id(self, model: type[models.Model]) -> int:
        top = model.objects.aggregate(top=models.Max("pk"))["top"]
        return (top or 0) + 1

    def reset_sequences(self, model_list: list[type[models.Model]]) -> None:
        """Explicit ids bypass the sequences; move them past the rows written (no-op on SQLite)."""
        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), model_list):
                cursor.execute(sql)

    def drop_secondary(self, model_list: list[type[models.Model]],
                       primary_too: tuple[type[models.Model], ...] = ()) -> list[tuple[str, str]]:
        """PostgreSQL only: drop foreign keys, unique constraints and indexes other than the primary
        key (and that too for the models in ``primary_too``, which no foreign key may reference);
        return (name, statement) pairs that recreate them, in a safe order.

        Measured for a million students (bench/bench_demo_data.py): keeping every index costs far
        more than rebuilding; keeping only the integer-keyed ones (ids, counties, years — cheap
        "hot page" inserts, one might think) made the contract COPY 110 s slower and saved 97 s of
        rebuilding, so everything goes. The postings' primary key too: tens of millions of ids in
        order are one cheap sort afterwards, not an index insertion per row during the COPY."""
        if self.vendor != "postgresql":
            return []
        drops, fks, uniques, indexes = [], [], [], []
        with self.connection.cursor() as cursor:
            for model in model_list:
                table = self.connection.ops.quote_name(model._meta.db_table)
                cursor.execute(
                    """SELECT c.conname, pg_get_constraintdef(c.oid), c.contype
                         FROM pg_constraint c
                        WHERE c.conrelid = %s::regclass
                          AND (c.contype IN ('f', 'u') OR (c.contype = 'p' AND %s))
                          AND NOT (c.contype IN ('u', 'p') AND EXISTS (
                              SELECT 1 FROM pg_constraint r
                               WHERE r.contype = 'f' AND r.conindid = c.conindid))""",
                    [table, model in primary_too])
                for name, definition, kind in cursor.fetchall():
                    statement = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                    (fks if kind == "f" else uniques).append((name, statement))
                    drops.append((0 if kind == "f" else 1, f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
                # A partial index stays: its predicate picks out the few rows that need it (a
                # reversal, a job run), and a bulk row outside it costs only the predicate.
                cursor.execute(
                    """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                         FROM pg_index i
                        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND i.indpred IS NULL
                          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                                          AND c.conrelid = i.indrelid)""", [table])
                for name, definition in cursor.fetchall():
                    indexes.append((name, definition))
                    drops.append((2, f"DROP INDEX {name}"))
            # Rows written earlier in this transaction (the organisations) have deferred foreign-key
            # checks pending, and PostgreSQL refuses to alter a table with pending trigger events:
            # run those checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _, statement in sorted(drops, key=lambda d: d[0]):
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return indexes + uniques + fks

    def restore(self, statements: list[tuple[str, str]], progress=None) -> None:
        """Recreate what drop_secondary dropped; progress(name, seconds) after each statement."""
        with self.connection.cursor() as cursor:
            # Sorts for a million-row index need room: PostgreSQL's default 64MB spills to disk.
            cursor.execute("SELECT set_config('maintenance_work_mem', '512MB', true) WHERE "
                           "pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('512MB')")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, statement in statements:
                start = time.perf_counter()
                cursor.execute(statement)
                if progress:
                    progress(name, time.perf_counter() - start)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def analyze(self, model_list: list[type[models.Model]]) -> None:
        """Fresh planner statistics: without them the first pages would plan for empty tables."""
        if self.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for model in model_list:
                cursor.execute(f"ANALYZE {self.connection.ops.quote_name(model._meta.db_table)}")
