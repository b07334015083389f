"""The county's archive page: tick received items per file, number the boxes, download the report of
missing items (DOMAIN.md §3.1 step 8)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.audit.services import audit_export
from xuedai.orgs.permissions import staff_required

from .. import exports
from ..archives.services import (
    archive_tick,
    boxes_assign,
    filed_contracts,
    item_names,
    missing_report,
    missing_report_xlsx,
    received_map,
)
from ..rules import academic_year_of
from ..selectors import contract_get
from .campus import XLSX
from .common import REFUSALS, report


def _year(request) -> int:
    return int(request.GET.get("year") or request.POST.get("year") or academic_year_of(businessdate.today()))


@staff_required
def archives(request):
    year = _year(request)
    contracts = list(filed_contracts(request.user, year=year)[:1000])
    have = received_map(contracts)
    rows = [
        {
            "c": c,
            "items": [(name, name in have.get(c.pk, set())) for name in item_names(c)],
            "box": getattr(getattr(c, "archive_file", None), "box_no", "")
            if hasattr(c, "archive_file")
            else "",
        }
        for c in contracts
    ]
    return render(
        request,
        "origination/archives.html",
        {"rows": rows, "year": year, "missing": missing_report(request.user, year=year)},
    )


@staff_required
@require_POST
def tick(request, pk):
    contract = contract_get(request.user, pk)
    try:
        missing = archive_tick(actor=request.user, contract=contract, received=request.POST.getlist("item"))
        messages.success(
            request,
            f"{contract.contract_no}：已保存，" + (f"尚缺{len(missing)}项。" if missing else "材料齐全。"),
        )
    except REFUSALS as exc:
        report(request, exc)
    return redirect(f"/origination/archives/?year={contract.academic_year}")


@staff_required
@require_POST
def boxes(request):
    year = _year(request)
    try:
        count = boxes_assign(actor=request.user, year=year)
        messages.success(request, f"已按汇总表顺序编排{count}个档案盒。")
    except REFUSALS as exc:
        report(request, exc)
    return redirect(f"/origination/archives/?year={year}")


@staff_required
def missing_xlsx(request):
    year = _year(request)
    report = missing_report(request.user, year=year)
    data = missing_report_xlsx(report, f"{year}学年档案缺少材料报告")
    audit_export(actor=request.user, document=f"档案缺少材料报告-{year}.xlsx")
    return exports.file_response(data, f"档案缺少材料报告-{year}.xlsx", XLSX)
