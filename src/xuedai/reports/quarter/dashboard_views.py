"""资产质量看板 and the list behind each chart (the drilldown), within the viewer's scope."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from xuedai.borrowers.rules import mask_name
from xuedai.funds.dashboard import money_context
from xuedai.orgs.models import Organisation
from xuedai.orgs.permissions import roles_required
from xuedai.origination.models import Contract

from . import selectors
from .dashboard import contracts_behind, grade_trend, lines_behind, overdue_by_unit, totals
from .models import ADJUSTMENT_LABELS, GRADE_LABELS, QuarterSnapshot
from .views import READERS

PAGE_SIZE = 50


@roles_required(*READERS)
def dashboard(request):
    latest = QuarterSnapshot.objects.order_by("-as_of").first()
    # The state's money per university or county, under the asset quality (DOMAIN.md §6).
    money = money_context(request.user)
    if latest is None:
        return render(request, "reports/quarter/dashboard.html", {"latest": None, "money": money})
    trend, units = grade_trend(request.user), overdue_by_unit(request.user, latest)
    trend_rows = [
        {
            "label": label,
            "ratio": trend["npl_ratio"][i],
            "cells": [{"value": s["values"][i], "url": s["urls"][i]} for s in trend["series"]],
        }
        for i, label in enumerate(trend["labels"])
    ]
    return render(
        request,
        "reports/quarter/dashboard.html",
        {
            "latest": latest,
            "money": money,
            "trend": trend,
            "trend_rows": trend_rows,
            "charts": {"trend": trend, "units": units},
            "unit_rows": list(
                zip(units["labels"], units["values"], units["borrowers"], units["urls"], strict=True)
            ),
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@roles_required(*READERS)
def contracts(request, snapshot: int):
    snap = selectors.snapshot_get(snapshot)
    rank, unit_id = _int(request.GET.get("rank")), _int(request.GET.get("unit"))
    unit = selectors.unit_get(request.user, unit_id) if unit_id is not None else None
    overdue = request.GET.get("overdue") == "1"
    rank = rank if rank in range(5) else None
    qs = contracts_behind(request.user, snap, rank=rank, unit=unit_id, overdue=overdue)
    lines = lines_behind(request.user, snap, rank=rank, unit=unit_id, overdue=overdue)
    line_units = dict(
        Organisation.objects.filter(pk__in={u for u in lines.values_list("unit_id", flat=True)}).values_list(
            "pk", "name"
        )
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    info = {
        c["pk"]: c
        for c in Contract.objects.filter(pk__in=[r.contract_id for r in rows]).values(
            "pk", "contract_no", "borrower__name"
        )
    }
    units = dict(Organisation.objects.filter(pk__in={r.unit_id for r in rows}).values_list("pk", "name"))
    page.object_list = [
        {
            "row": r,
            "contract_no": info.get(r.contract_id, {}).get("contract_no", ""),
            "name": mask_name(info.get(r.contract_id, {}).get("borrower__name", "")),
            "unit": units.get(r.unit_id, ""),
            "reason": ADJUSTMENT_LABELS.get(r.reason, ""),
        }
        for r in rows
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/quarter/contracts.html",
        {
            "snapshot": snap,
            "page": page,
            "totals": totals(qs, lines),
            "lines": [
                {"unit": line_units.get(line["unit_id"], ""), **line}
                for line in lines.values("unit_id", "project_year", "contracts", "borrowers", "balance")
            ],
            "unit": unit,
            "overdue": overdue,
            "grade": GRADE_LABELS[rank] if rank in range(5) else "",
            "query": query.urlencode(),
        },
    )
