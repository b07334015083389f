"""专户报告 pages: the unit's officer writes and submits, the unit's 负责人 reads and approves (or
returns); everyone in scope prints it (seed [004] 第十三、十四条)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.documents.pdf import file_response, pdf_response
from xuedai.documents.xlsx import XLSX_TYPE
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import roles_required

from . import exports, selectors
from .figures import overdue_statistics, project_label
from .special_account import (
    TEXT_FIELDS,
    deadlines,
    special_account_facts,
    special_report_get,
    special_report_review,
    special_report_submit,
)
from .submissions import SubmissionError, may_prepare, may_review
from .views import READERS


def _context(request, snapshot_pk: int, unit_pk: int, year: int) -> dict:
    snapshot = selectors.snapshot_get(snapshot_pk)
    unit = selectors.unit_get(request.user, unit_pk)
    if year not in selectors.project_years(snapshot, unit):
        from django.http import Http404

        raise Http404("该单位在本季没有这一年度项目的贷款。")
    report = special_report_get(snapshot, unit, year)
    facts = report.facts if report.locked and report.facts else special_account_facts(snapshot, unit.pk, year)
    return {
        "snapshot": snapshot,
        "unit": unit,
        "report": report,
        "facts": facts,
        "year": year,
        "label": project_label(year),
    }


def _names(report) -> tuple[str, str]:
    def name(user) -> str:
        return (user.real_name or user.username) if user else ""

    return name(report.prepared_by) if report.version else "", name(
        report.reviewed_by
    ) if report.status == "approved" else ""


@roles_required(*READERS)
def special_report(request, snapshot: int, unit: int, year: int):
    ctx = _context(request, snapshot, unit, year)
    report, user = ctx["report"], request.user
    return render(
        request,
        "reports/quarter/special.html",
        {
            **ctx,
            "deadlines": deadlines(ctx["snapshot"].as_of),
            "today": businessdate.today(),
            "overdue": overdue_statistics(ctx["snapshot"], [ctx["unit"].pk], year),
            "may_submit": may_prepare(user, ctx["unit"]) and not report.locked,
            "may_review": may_review(user, ctx["unit"]) and report.status == "submitted",
            "fields": [(f, report._meta.get_field(f).verbose_name, getattr(report, f)) for f in TEXT_FIELDS],
        },
    )


@require_POST
@roles_required(Role.UNIVERSITY_OFFICER, Role.OPERATOR)
def special_submit(request, snapshot: int, unit: int, year: int):
    ctx = _context(request, snapshot, unit, year)
    try:
        special_report_submit(
            actor=request.user, report=ctx["report"], texts={f: request.POST.get(f, "") for f in TEXT_FIELDS}
        )
    except SubmissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "专户报告已提交，待负责人批阅。")
    return redirect("quarter:special", snapshot=snapshot, unit=unit, year=year)


@require_POST
@roles_required(Role.SUPERVISOR)
def special_review(request, snapshot: int, unit: int, year: int):
    ctx = _context(request, snapshot, unit, year)
    approve = request.POST.get("decision") == "approve"
    try:
        special_report_review(
            actor=request.user, report=ctx["report"], approve=approve, comment=request.POST.get("comment", "")
        )
    except SubmissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已批阅，报送省资助中心。" if approve else "已退回撰写人修改。")
    return redirect("quarter:special", snapshot=snapshot, unit=unit, year=year)


@roles_required(*READERS)
def special_pdf(request, snapshot: int, unit: int, year: int):
    ctx = _context(request, snapshot, unit, year)
    preparer, reviewer = _names(ctx["report"])
    pdf = exports.special_pdf(
        ctx["unit"].name,
        ctx["report"],
        ctx["facts"],
        overdue_statistics(ctx["snapshot"], [ctx["unit"].pk], year),
        preparer=preparer,
        reviewer=reviewer,
    )
    return pdf_response(pdf, f"专户报告-{ctx['unit'].name}-{year}年度-{ctx['snapshot'].as_of:%Y%m%d}.pdf")


@roles_required(*READERS)
def special_xlsx(request, snapshot: int, unit: int, year: int):
    ctx = _context(request, snapshot, unit, year)
    data = exports.special_xlsx(ctx["unit"].name, ctx["report"], ctx["facts"])
    return file_response(
        data, f"专户报告-{ctx['unit'].name}-{year}年度-{ctx['snapshot'].as_of:%Y%m%d}.xlsx", XLSX_TYPE
    )
