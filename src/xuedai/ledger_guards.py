"""Lifting a ledger's append-only guards for a whole-database wipe — the one context manager behind
``loans.maintenance.ledger_purge_allowed`` and ``funds.maintenance.fund_ledger_purge_allowed``.

Each ledger names its own guards (the triggers its migrations installed): SQLite's row triggers are
dropped and re-created from the SQL the database holds (so they come back exactly as installed);
PostgreSQL's are disabled and enabled again. Never a way to correct a posting: corrections are
counter-postings.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence


def _sqlite_guard_sql(cursor, names: Sequence[str]) -> list[str]:
    marks = ", ".join("?" for _ in names)
    cursor.execute(f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", list(names))
    return [row[0] for row in cursor.fetchall()]


@contextlib.contextmanager
def guards_lifted(connection, *, sqlite: Sequence[str],
                  postgresql: Sequence[tuple[str, str]]) -> Iterator[None]:
    """Inside the block the named triggers do not fire: ``sqlite`` trigger names, ``postgresql``
    (table, trigger) pairs. They are back when the block ends, also on error."""
    vendor = connection.vendor
    saved: list[str] = []
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            saved = _sqlite_guard_sql(cursor, sqlite)
            for name in sqlite:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif vendor == "postgresql":
            # Deferred FK checks queued in this transaction would block the ALTER: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, trigger in postgresql:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                for sql in saved:
                    cursor.execute(sql)
            elif vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table, trigger in postgresql:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's FKs are INITIALLY DEFERRED
