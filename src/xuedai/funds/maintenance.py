"""The one sanctioned way past the funds ledgers' guards (migrations 0002 and 0004): wiping a whole
demo database (``xuedai demo-data --reset``), like ``loans.maintenance.ledger_purge_allowed`` for
the loans ledger. Never use it to correct a posting: corrections are counter-postings."""

from __future__ import annotations

from contextlib import AbstractContextManager

from xuedai.ledger_guards import guards_lifted

_SQLITE_GUARDS = ["funds_fundposting_no_update", "funds_fundposting_no_delete",
                  "funds_shareposting_no_update", "funds_shareposting_no_delete"]
_PG_GUARDS = [("funds_fundposting", "funds_fundposting_append_only"),
              ("funds_shareposting", "funds_shareposting_append_only")]


def fund_ledger_purge_allowed(connection) -> AbstractContextManager[None]:
    return guards_lifted(connection, sqlite=_SQLITE_GUARDS, postgresql=_PG_GUARDS)
