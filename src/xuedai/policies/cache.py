"""Policy versions by primary key, kept per process: what a contract's page reads of its version
(settlement day, basis, penalty multipliers, deposit days) without joining ~50 columns of
``policies_policyversion`` to every contract query (bench/load_web.py: 0.55 ms of CPU a query).

Exact because a version is never rewritten (policies.models: "a new notice is a new row"): the only
write is ``policy_version_create``'s insert, the admin is read-only, and contracts hold it with
PROTECT, so a primary key names the same row for as long as the row exists. (One exception, of no
consequence here: the demo's ``--reset`` sets ``created_by`` to NULL when it deletes the users —
who entered a version, which nothing that reads this cache shows.)

A row is kept only when read outside any transaction: it is then committed, so no rollback can take
it back and hand its primary key to another version (SQLite reuses the key of a rolled-back insert).
Inside a transaction — a service, every test — each lookup reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from .models import PolicyVersion

_versions: dict[int, PolicyVersion] = {}


def policy_versions(pks: Iterable[int]) -> dict[int, PolicyVersion]:
    """{pk: version} for ``pks``: the kept ones, the others read in one query (and kept when the
    read is outside a transaction). Callers must not modify what they get: it is shared."""
    wanted = set(pks)
    found = {pk: _versions[pk] for pk in wanted if pk in _versions}
    missing = wanted - found.keys()
    if missing:
        loaded = PolicyVersion.objects.in_bulk(missing)
        if not connection.in_atomic_block:
            _versions.update(loaded)
        found.update(loaded)
    return found


def attach_policy_versions(contracts: Iterable) -> None:
    """Set each contract's ``policy_version`` from :func:`policy_versions` (no query once kept)."""
    contracts = list(contracts)
    versions = policy_versions(c.policy_version_id for c in contracts)
    for contract in contracts:
        contract.policy_version = versions[contract.policy_version_id]


def forget() -> None:
    """Drop every kept version (tests; nothing in the running site needs it)."""
    _versions.clear()
