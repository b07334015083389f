"""What ``loans.amount_due`` reads of a borrower's contracts besides the ledger, in as few statements
as the borrower's history allows.

``contract_due`` reads five relations of each contract through ``.all()`` (terms changes, rate
changes, staged-disbursement instalments, the account's reliefs and early repayments). Most
borrowers have rows in none or one of them, yet a plain ``prefetch_related`` runs a query for each
— five of the student page's statements and about 7 ms of its CPU (bench/load_web.py). So one probe
asks which of the five hold any row for these contracts; the present ones are prefetched as usual,
and each absent one is prefetched from an empty queryset (``none()``, which runs no query), so
``.all()`` answers from the prefetch cache.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects

from xuedai.origination.models import Contract, Instalment

from .models import EarlyRepaymentApplication, RateChange, ReliefApplication, TermsChange

# (lookup from the contract, the model it reaches, that model's column holding the contract's pk —
# a loan account's primary key is its contract's, so the account's relations key on it too)
RELATIONS = (
    ("terms_changes", TermsChange, "contract_id"),
    ("rate_changes", RateChange, "contract_id"),
    ("instalments", Instalment, "contract_id"),
    ("account__reliefs", ReliefApplication, "account_id"),
    ("account__early_repayments", EarlyRepaymentApplication, "account_id"),
)
# Read with a relief: its programme (its year orders the reliefs, core.relief).
FOLLOW = {"account__reliefs": "account__reliefs__programme"}


def present_relations(contract_ids: list[int]) -> set[str]:
    """The lookups of RELATIONS with at least one row for ``contract_ids``: one statement."""
    if not contract_ids:
        return set()
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(contract_ids))
    probes, params = [], []
    for n, (_lookup, model, column) in enumerate(RELATIONS):
        probes.append(f"SELECT {n} WHERE EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} "
                      f"WHERE {quote(column)} IN ({marks}))")
        params += contract_ids
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(probes), params)
        return {RELATIONS[row[0]][0] for row in cursor.fetchall()}


def prefetch_due(contracts: list[Contract]) -> None:
    """Fill what contract_due reads through ``.all()`` on ``contracts`` (their accounts selected
    with them: ``select_related("account")``)."""
    if not contracts:
        return
    present = present_relations([c.pk for c in contracts])
    # An absent relation is prefetched from ``none()``, which Django answers without a query.
    prefetch_related_objects(contracts, *(FOLLOW.get(lookup, lookup) if lookup in present
                                          else Prefetch(lookup, queryset=model.objects.none())
                                          for lookup, model, _column in RELATIONS))
