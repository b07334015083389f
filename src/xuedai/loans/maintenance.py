"""The one sanctioned way past the ledger's guards (append-only postings, permanent accounts):
wiping a whole demo database.

``xuedai demo-data --reset`` empties every table hanging from the demo's contracts. PostgreSQL
does it with TRUNCATE (a table privilege, not a row DELETE, so the row triggers do not fire);
SQLite has only DELETE, which the triggers refuse. Wrap such a wipe in :func:`ledger_purge_allowed`:

    from xuedai.loans.maintenance import ledger_purge_allowed
    with ledger_purge_allowed(connection):
        ... DELETE FROM loans_posting ...

Never use it to correct a posting: corrections are reversals (services.ledger.posting_reverse).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

# The guards a wipe lifts: postings append-only (migration 0002), accounts permanent (0004).
_SQLITE_GUARDS = ["loans_posting_no_update", "loans_posting_no_delete", "loans_loanaccount_permanent"]
_PG_GUARDS = [("loans_posting", "loans_posting_append_only"),
              ("loans_loanaccount", "loans_loanaccount_permanent")]


def _sqlite_guard_sql(cursor) -> list[str]:
    """The CREATE TRIGGER statements of the guards a wipe lifts, as the database holds them (so they
    come back exactly as the migrations installed them)."""
    marks = ", ".join("?" for _ in _SQLITE_GUARDS)
    cursor.execute(f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
                   _SQLITE_GUARDS)
    return [row[0] for row in cursor.fetchall()]


@contextlib.contextmanager
def ledger_purge_allowed(connection) -> Iterator[None]:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            saved = _sqlite_guard_sql(cursor)
            for name in _SQLITE_GUARDS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif vendor == "postgresql":
            # Deferred FK checks queued in this transaction would block the ALTER: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, trigger in _PG_GUARDS:
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
                for table, trigger in _PG_GUARDS:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's FKs are INITIALLY DEFERRED
