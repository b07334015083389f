"""The one sanctioned way past the funds ledgers' guards (migrations 0002 and 0004): wiping a whole
demo database (``xuedai demo-data --reset``), like ``loans.maintenance.ledger_purge_allowed`` for
the loans ledger. Never use it to correct a posting: corrections are counter-postings."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

_SQLITE_GUARDS = ["funds_fundposting_no_update", "funds_fundposting_no_delete",
                  "funds_shareposting_no_update", "funds_shareposting_no_delete"]
_PG_GUARDS = [("funds_fundposting", "funds_fundposting_append_only"),
              ("funds_shareposting", "funds_shareposting_append_only")]


@contextlib.contextmanager
def fund_ledger_purge_allowed(connection) -> Iterator[None]:
    vendor = connection.vendor
    saved: list[str] = []
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            marks = ", ".join("?" for _ in _SQLITE_GUARDS)
            cursor.execute(f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
                           _SQLITE_GUARDS)
            saved = [row[0] for row in cursor.fetchall()]
            for name in _SQLITE_GUARDS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif vendor == "postgresql":
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
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
