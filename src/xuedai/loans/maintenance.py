"""The one sanctioned way past the ledger's append-only triggers: wiping a whole demo database.

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


@contextlib.contextmanager
def ledger_purge_allowed(connection) -> Iterator[None]:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            for sql in _triggers.SQLITE_BACKWARD:
                cursor.execute(sql)
        elif vendor == "postgresql":
            # Deferred FK checks queued in this transaction would block the ALTER: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE loans_posting DISABLE TRIGGER loans_posting_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                for sql in _triggers.SQLITE_FORWARD:
                    cursor.execute(sql)
            elif vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE loans_posting ENABLE TRIGGER loans_posting_append_only")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's FKs are INITIALLY DEFERRED
