"""`--reset`: empty the demo tables, and every table whose rows hang from them, before a new run.

What goes: organisations, users and roles, borrowers, co-borrowers, emergency contacts, contracts,
the audit trail, and any row of another app that points at those (loan accounts, postings, batches,
job runs …) — found through the model graph, so apps added later are covered without editing this.
What stays: reference data (policy versions, LPRs, Django's content types and permissions); a
nullable reference from it to a user (PolicyVersion.created_by) is set to NULL first.

PostgreSQL empties the big tables with one TRUNCATE (instant, and RESTART IDENTITY so ids start at 1
again); a table that a kept table still references cannot be truncated there and is emptied with
DELETE instead. SQLite has no TRUNCATE: everything is a DELETE, children first.
"""

import contextlib

from django.apps import apps
from django.db import models

from xuedai.audit.models import AuditEntry
from xuedai.borrowers.models import Borrower, CoBorrower, EmergencyContact
from xuedai.funds.maintenance import fund_ledger_purge_allowed
from xuedai.loans.maintenance import ledger_purge_allowed
from xuedai.orgs.models import Organisation, User
from xuedai.origination.models import Contract

DEMO_MODELS = [Contract, EmergencyContact, CoBorrower, Borrower, AuditEntry, User, Organisation]
KEEP_APPS = {"policies", "contenttypes", "auth", "sessions"}


def _references(model: type[models.Model]) -> list[tuple[models.Field, type[models.Model]]]:
    return [(f, f.related_model) for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not None]


def doomed_models() -> tuple[list[type[models.Model]], list[tuple[type[models.Model], models.Field]]]:
    """(models to empty, (kept model, nullable field) pairs to set NULL)."""
    doomed = set(DEMO_MODELS)
    # Proxies share their parent's table (authtoken's TokenProxy); unmanaged models are not ours.
    every = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy and m._meta.managed]
    changed = True
    while changed:
        changed = False
        for model in every:
            if model in doomed or model._meta.app_label in KEEP_APPS:
                continue
            if any(target in doomed for _, target in _references(model)):
                doomed.add(model)
                changed = True
    null_out = []
    for model in every:
        if model in doomed:
            continue
        for f, target in _references(model):
            if target in doomed:
                if not f.null:
                    raise RuntimeError(f"{model.__name__}.{f.name} refers to demo data and cannot be emptied")
                null_out.append((model, f))
    return _children_first(doomed), null_out


def _children_first(doomed: set) -> list[type[models.Model]]:
    ordered, seen = [], set()

    def visit(model):
        if model in seen:
            return
        seen.add(model)
        for other in doomed:
            if other is not model and any(t is model for _, t in _references(other)):
                visit(other)
        ordered.append(model)

    for model in sorted(doomed, key=lambda m: m._meta.label):
        visit(model)
    return ordered  # a referring model before the model it refers to


@contextlib.contextmanager
def _ledger_guard_lifted(connection):
    """The ledgers refuse row DELETEs (append-only triggers); a demo wipe is the one exception."""
    with ledger_purge_allowed(connection), fund_ledger_purge_allowed(connection):
        yield


def reset_demo(connection) -> list[str]:
    doomed, null_out = doomed_models()
    # An app installed but not migrated yet has no table to empty.
    existing = set(connection.introspection.table_names())
    doomed = [m for m in doomed if m._meta.db_table in existing]
    null_out = [(m, f) for m, f in null_out if m._meta.db_table in existing]
    qn = connection.ops.quote_name
    kept_targets = {f.related_model for _, f in null_out}
    with _ledger_guard_lifted(connection), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred checks pending from earlier in the transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model, f in null_out:
            cursor.execute(f"UPDATE {qn(model._meta.db_table)} SET {qn(f.column)} = NULL "
                           f"WHERE {qn(f.column)} IS NOT NULL")
        deletes = doomed
        if connection.vendor == "postgresql":
            # A table can be truncated only if every table referring to it is truncated with it.
            blocked = set(kept_targets)
            changed = True
            while changed:
                changed = False
                # A table emptied by DELETE still refers to its targets: they cannot be truncated.
                for model in [m for m in doomed if m in blocked]:
                    for _, target in _references(model):
                        if target in doomed and target not in blocked:
                            blocked.add(target)
                            changed = True
            truncate = [m for m in doomed if m not in blocked]
            if truncate:
                tables = ", ".join(qn(m._meta.db_table) for m in truncate)
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY")
            deletes = [m for m in doomed if m in blocked]
        for model in deletes:
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return [m._meta.label for m in doomed]
