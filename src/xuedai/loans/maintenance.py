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
from importlib import import_module

_triggers = import_module("xuedai.loans.migrations.0002_posting_append_only")
_references = import_module("xuedai.loans.migrations.0004_posting_checks_per_statement")
# The guards a wipe lifts: postings append-only (0002), accounts permanent (0004).
_SQLITE_GUARDS = ["loans_posting_no_update", "loans_posting_no_delete", "loans_loanaccount_permanent"]
_PG_GUARDS = [("loans_posting", "loans_posting_append_only"),
              ("loans_loanaccount", "loans_loanaccount_permanent")]


def _sqlite_guard_sql() -> list[str]:
    """The CREATE TRIGGER statements of the guards a wipe lifts, as their migrations wrote them."""
    every = _triggers.SQLITE_FORWARD + _references.SQLITE_FORWARD
    return [sql for sql in every if any(f"TRIGGER {name} " in sql for name in _SQLITE_GUARDS)]


@contextlib.contextmanager
def ledger_purge_allowed(connection) -> Iterator[None]:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
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
                for sql in _sqlite_guard_sql():
                    cursor.execute(sql)
            elif vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table, trigger in _PG_GUARDS:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's FKs are INITIALLY DEFERRED
