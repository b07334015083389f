"""The bank branch's 催收 worklist and its quarterly repayment report to each university."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from xuedai import businessdate
from xuedai.audit.services import audit_export
from xuedai.documents.pdf import file_response, pdf_response
from xuedai.documents.xlsx import XLSX_TYPE
from xuedai.identity.masking import mask_id_number
from xuedai.orgs.models import Organisation, OrgKind, Role
from xuedai.orgs.permissions import allowed_if, roles_required

from .collection import collection_worklist
from .repayment import TITLE, last_full_quarter, repayment_pdf, repayment_report, repayment_xlsx

BANK_ROLES = (Role.BANK_REVIEWER, Role.BANK_APPROVER)
NOT_BANK = "催收记录和还款情况季报由分行经办。"


def _is_branch(user) -> bool:
    org = user.organisation
    return bool(org and org.kind in (OrgKind.BANK_BRANCH, OrgKind.BANK_HEAD))


@roles_required(*BANK_ROLES)
@allowed_if(_is_branch, NOT_BANK)
def collection(request):
    rows = collection_worklist(request.user)
    for row in rows:
        row["masked_id"] = mask_id_number(row.pop("id_number"))
    return render(request, "reports/bank/collection.html", {"rows": rows})


def _universities(user):
    return Organisation.objects.filter(
        path__startswith=user.organisation.path, kind=OrgKind.UNIVERSITY
    ).order_by("name")


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _report(request):
    year, quarter = last_full_quarter(businessdate.today())
    year, quarter = _int(request.GET.get("year"), year), _int(request.GET.get("quarter"), quarter)
    universities = list(_universities(request.user))
    chosen = _int(request.GET.get("university"), universities[0].pk if universities else 0)
    university = next((u for u in universities if u.pk == chosen), None)
    if university is None and request.GET.get("university"):
        raise Http404("没有找到该高校，或不在您的数据范围内。")
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        return universities, None, year, quarter
    report = (
        repayment_report(bank=request.user.organisation, university=university, year=year, quarter=quarter)
        if university
        else None
    )
    return universities, report, year, quarter


@roles_required(*BANK_ROLES)
@allowed_if(_is_branch, NOT_BANK)
def repayment(request):
    universities, report, year, quarter = _report(request)
    if report is None and universities:
        messages.error(request, "季度：请选择年份和第一至第四季度。")
    return render(
        request,
        "reports/bank/repayment.html",
        {
            "universities": universities,
            "report": report,
            "year": year,
            "quarter": quarter,
            "rows": report["rows"] if report else [],
            "quarters": [1, 2, 3, 4],
            "title": TITLE,
            "query": request.GET.urlencode(),
        },
    )


def _download(request, fmt: str):
    _, report, _, _ = _report(request)
    if report is None:
        return redirect("credit:bank_repayment")
    name = f"{TITLE}-{report['university'].name}-{report['year']}年第{report['quarter']}季度.{fmt}"
    audit_export(actor=request.user, document=name, obj=report["university"], rows=report["contracts"])
    if fmt == "pdf":
        return pdf_response(repayment_pdf(report), name)
    return file_response(repayment_xlsx(report), name, XLSX_TYPE)


@roles_required(*BANK_ROLES)
@allowed_if(_is_branch, NOT_BANK)
def repayment_pdf_view(request):
    return _download(request, "pdf")


@roles_required(*BANK_ROLES)
@allowed_if(_is_branch, NOT_BANK)
def repayment_xlsx_view(request):
    return _download(request, "xlsx")
