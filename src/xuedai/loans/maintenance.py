"""The sanctioned ways past the ledger's guards: wiping a whole demo database, and loading the demo
province's postings without the per-statement reference check.

``xuedai demo-data --reset`` empties every table hanging from the demo's contracts. PostgreSQL
does it with TRUNCATE (a table privilege, not a row DELETE, so the row triggers do not fire);
SQLite has only DELETE, which the triggers refuse. Wrap such a wipe in :func:`ledger_purge_allowed`:

    from xuedai.loans.maintenance import ledger_purge_allowed
    with ledger_purge_allowed(connection):
        ... DELETE FROM loans_posting ...

Never use it to correct a posting: corrections are reversals (services.ledger.posting_reverse).
:func:`posting_references_trusted` lifts only the reference check, for the demo builder's load.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import AbstractContextManager

from xuedai.ledger_guards import guards_lifted

# The guards a wipe lifts: postings append-only (migration 0002), accounts permanent (0004).
_SQLITE_GUARDS = ["loans_posting_no_update", "loans_posting_no_delete", "loans_loanaccount_permanent"]
_PG_GUARDS = [("loans_posting", "loans_posting_append_only"),
              ("loans_loanaccount", "loans_loanaccount_permanent")]


def ledger_purge_allowed(connection) -> AbstractContextManager[None]:
    return guards_lifted(connection, sqlite=_SQLITE_GUARDS, postgresql=_PG_GUARDS)


# The reference check of postings (migration 0004's statement trigger).
_REFERENCE_TRIGGER = ("loans_posting", "loans_posting_references")


@contextlib.contextmanager
def posting_references_trusted(connection) -> Iterator[None]:
    """A bulk load of postings whose references the loader guarantees, without the statement check.

    Migration 0004's trigger keeps every row a statement inserts for one join against the accounts:
    for the tens of millions of postings of a demo province that costs as much as the load itself,
    and checking them once afterwards (an anti-join over every posting) still costs a fifth of it.
    The demo builder renders each posting's account from the same array as the accounts it writes
    first, so the check cannot fail there; its tests check the loaded ledger against the accounts.
    Nothing else may use this. The trigger is back on when the block ends (also on error; a
    failed load is rolled back with the caller's transaction). SQLite keeps its row trigger.
    """
    if connection.vendor != "postgresql":
        yield
        return
    table, trigger = _REFERENCE_TRIGGER
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
