"""Row locks in one order (ARCHITECTURE: Saleor's lock_objects): two actions that lock the same rows
always take them in primary-key order, so neither waits for the other in a cycle (no deadlock).

Call inside a transaction; ``of=("self",)`` locks only the queryset's own table, because PostgreSQL
refuses to lock the nullable side of a join that select_related adds.
"""

from django.db.models import QuerySet


def lock_objects(queryset: QuerySet) -> list:
    """The rows of ``queryset``, locked FOR UPDATE in primary-key order."""
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))
