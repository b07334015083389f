"""The quarter-end dashboard's data, within the viewer's scope (DOMAIN.md §6):
the balance per grade and the non-performing ratio (不良率) over the last quarters, and the overdue
principal and borrowers per unit at the latest quarter end. Each a GROUP BY over the snapshots;
every bar carries the URL of the list behind it (the drilldown), which filters the same rows.

The drilldown lists per contract what the snapshot holds per contract (not 正常, or 正常 with a move,
a designation or anything overdue); the 正常-and-unchanged contracts are one line per unit and
project year (``snapshot`` step 1), shown as such — contracts and balance — above the list and counted
in its totals, so the list's totals are the bar's. Why not one line per such contract: there is
nothing on them to act on, and listing them would bring back the millions of rows the sparse
snapshot saves; a unit's own tables (专户报告, working paper) still read them one by one from the
line's members."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse

from xuedai.orgs.models import Organisation

from .figures import yuan
from .lines import lines_of
from .models import GRADE_LABELS, QuarterGrade, QuarterNormalLine, QuarterSnapshot
from .selectors import unit_ids_in_scope

QUARTERS_SHOWN = 8


def scoped_grades(user, snapshot: QuarterSnapshot | None = None):
    qs = QuarterGrade.objects.all() if snapshot is None else QuarterGrade.objects.filter(snapshot=snapshot)
    scope = unit_ids_in_scope(user)
    return qs if scope is None else qs.filter(unit_id__in=scope)


def scoped_lines(user, snapshot: QuarterSnapshot | None = None):
    scope = unit_ids_in_scope(user)
    return lines_of(snapshot, scope)


def _list_url(snapshot_pk: int, **query) -> str:
    return f"{reverse('quarter:contracts', args=[snapshot_pk])}?{urlencode(query)}"


def grade_trend(user) -> dict:
    snapshots = list(QuarterSnapshot.objects.order_by("-as_of")[:QUARTERS_SHOWN])[::-1]
    rows = (
        scoped_grades(user)
        .filter(snapshot__in=snapshots)
        .values("snapshot_id", "rank")
        .annotate(balance=Sum("principal_outstanding"))
    )
    balance = {(r["snapshot_id"], r["rank"]): Decimal(r["balance"] or 0) for r in rows}
    for r in (
        scoped_lines(user).filter(snapshot__in=snapshots).values("snapshot_id").annotate(total=Sum("balance"))
    ):
        key = (r["snapshot_id"], 0)
        balance[key] = balance.get(key, Decimal(0)) + Decimal(r["total"] or 0)
    series = [
        {
            "name": label,
            "values": [float(balance.get((s.pk, rank), 0)) for s in snapshots],
            "urls": [_list_url(s.pk, rank=rank) for s in snapshots],
        }
        for rank, label in enumerate(GRADE_LABELS)
    ]
    ratios = []
    for s in snapshots:
        total = sum((balance.get((s.pk, r), Decimal(0)) for r in range(5)), Decimal(0))
        npl = sum((balance.get((s.pk, r), Decimal(0)) for r in range(2, 5)), Decimal(0))
        ratios.append(round(float(npl / total * 100), 2) if total else 0)
    return {
        "id": "chart-grade-trend",
        "labels": [f"{s.as_of:%Y-%m-%d}" for s in snapshots],
        "series": series,
        "npl_ratio": ratios,
    }


def overdue_by_unit(user, snapshot: QuarterSnapshot) -> dict:
    rows = list(
        scoped_grades(user, snapshot)
        .filter(days_overdue__gt=0)
        .values("unit_id")
        .annotate(principal=Sum("principal_overdue"), borrowers=Count("borrower_id", distinct=True))
        .order_by("-principal")[:30]
    )
    names = dict(Organisation.objects.filter(pk__in=[r["unit_id"] for r in rows]).values_list("pk", "name"))
    return {
        "id": "chart-overdue-units",
        "labels": [names.get(r["unit_id"], "—") for r in rows],
        "values": [float(r["principal"] or 0) for r in rows],
        "borrowers": [r["borrowers"] for r in rows],
        "urls": [_list_url(snapshot.pk, unit=r["unit_id"], overdue=1) for r in rows],
    }


def contracts_behind(
    user,
    snapshot: QuarterSnapshot,
    *,
    rank: int | None = None,
    unit: int | None = None,
    overdue: bool = False,
):
    """The rows a chart's bar counts (the drilldown list), in the viewer's scope."""
    qs = scoped_grades(user, snapshot)
    if rank is not None:
        qs = qs.filter(rank=rank)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if overdue:
        qs = qs.filter(days_overdue__gt=0)
    return qs.order_by("-days_overdue", "contract_id")


def lines_behind(
    user,
    snapshot: QuarterSnapshot,
    *,
    rank: int | None = None,
    unit: int | None = None,
    overdue: bool = False,
):
    """The 正常 lines a chart's bar counts besides the rows (module doc): none for 关注 … 损失 or overdue."""
    if overdue or rank not in (None, 0):
        return QuarterNormalLine.objects.none()
    qs = scoped_lines(user, snapshot)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    return qs.order_by("unit_id", "project_year")


def totals(qs, lines=None) -> dict:
    extra = (lines if lines is not None else QuarterNormalLine.objects.none()).aggregate(
        n=Sum("contracts"), balance=Sum("balance")
    )
    row = qs.aggregate(
        n=Count("id"),
        balance=Sum("principal_outstanding"),
        principal=Sum("principal_overdue"),
        interest=Sum("interest_overdue"),
        npl=Sum("principal_outstanding", filter=Q(rank__gte=2)),
    )
    return {
        "contracts": row["n"] + (extra["n"] or 0),
        "balance": yuan(Decimal(row["balance"] or 0) + Decimal(extra["balance"] or 0)),
        "principal": yuan(row["principal"]),
        "interest": yuan(row["interest"]),
        "npl": yuan(row["npl"]),
    }
