"""季末分类 pages: a unit's 资产质量分类认定表 (prepare, designate, submit, approve, print), the
province centre's and bank branch's summaries, and the administrator's snapshot (DOMAIN.md §6)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.documents.pdf import file_response, pdf_response
from xuedai.documents.xlsx import XLSX_TYPE
from xuedai.jobs.models import JobRun
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import is_admin, roles_required
from xuedai.origination.selectors import contract_scope

from . import exports, selectors
from .calendar import clock, latest_quarter_end, province_deadline, unit_deadline
from .designations import DesignationError, grade_designate
from .figures import overdue_statistics, project_label, quality_figures
from .forecast import three_year_forecast
from .lines import holds
from .models import GRADE_LABELS, DesignationReason, GradeMove, ProvinceSummary, QualityReport
from .province import is_centre, province_summary_get, province_summary_review, province_summary_submit
from .snapshot import snapshot_refusal
from .submissions import (
    SubmissionError,
    may_prepare,
    may_review,
    quality_report_get,
    quality_report_review,
    quality_report_submit,
)
from .tasks import SNAPSHOT_KIND, take_snapshot
from .workpaper import working_paper

READERS = (
    Role.UNIVERSITY_OFFICER,
    Role.OPERATOR,
    Role.SUPERVISOR,
    Role.BANK_REVIEWER,
    Role.BANK_APPROVER,
    Role.AUDITOR,
    Role.ADMIN,
)


@roles_required(*READERS)
def quarter_home(request):
    user, today = request.user, businessdate.today()
    snapshots = selectors.snapshots()
    latest = snapshots[0] if snapshots else None
    unit = user.organisation if selectors.is_unit(user) else None
    rows = []
    if unit and latest:
        for item in selectors.unit_reports(latest, unit):
            report = item["report"]
            due = report.due_on if report else unit_deadline(latest.as_of)
            rows.append(
                {
                    **item,
                    "label": project_label(item["project_year"]),
                    "due_on": due,
                    "clock": "" if report and report.locked else clock(due, today),
                }
            )
    return render(
        request,
        "reports/quarter/home.html",
        {
            "snapshots": snapshots,
            "latest": latest,
            "unit": unit,
            "rows": rows,
            "today": today,
            "may_take": is_admin(user),
            "next_quarter_end": latest_quarter_end(today),
            "province_due": province_deadline(latest.as_of) if latest else None,
            "unit_due": unit_deadline(latest.as_of) if latest else None,
            "snapshot_runs": JobRun.objects.filter(kind=SNAPSHOT_KIND).order_by("-id")[:4]
            if is_admin(user)
            else [],
        },
    )


@require_POST
@roles_required(Role.ADMIN)
def snapshot_take(request):
    try:
        on = dt.date.fromisoformat(request.POST.get("as_of", ""))
    except ValueError:
        messages.error(request, "分类时点：请填写日期，如 2026-09-30。")
        return redirect("quarter:home")
    if refusal := snapshot_refusal(on):
        messages.error(request, refusal)
    else:
        # In the background (xuedai worker): a million contracts take longer than a request may wait.
        take_snapshot.enqueue(on.isoformat(), request.user.pk)
        messages.success(request, f"已开始生成{on:%Y年%m月%d日}季末分类快照，进度见后台任务页。")
    return redirect("quarter:home")


def _report_context(request, snapshot_pk: int, unit_pk: int, year: int) -> dict:
    snapshot = selectors.snapshot_get(snapshot_pk)
    unit = selectors.unit_get(request.user, unit_pk)
    if year not in selectors.project_years(snapshot, unit):
        raise Http404("该单位在本季没有这一年度项目的贷款。")
    report = quality_report_get(snapshot, unit, year)
    version = report.versions.order_by("-number").first() if report.pk else None
    figures = version.figures if report.locked and version else quality_figures(snapshot, unit.pk, year)
    return {
        "snapshot": snapshot,
        "unit": unit,
        "report": report,
        "version": version,
        "figures": figures,
        "year": year,
        "label": project_label(year),
    }


def _names(version) -> tuple[str, str]:
    if version is None:
        return "", ""
    preparer = version.submitted_by.real_name or version.submitted_by.username
    reviewer = (version.reviewed_by.real_name or version.reviewed_by.username) if version.approved else ""
    return preparer, reviewer


@roles_required(*READERS)
def quality_report(request, snapshot: int, unit: int, year: int):
    ctx = _report_context(request, snapshot, unit, year)
    report, user = ctx["report"], request.user
    moves = (
        GradeMove.objects.filter(snapshot=ctx["snapshot"], unit_id=ctx["unit"].pk, project_year=year)
        .exclude(actor=None)
        .select_related("actor")
        .order_by("-id")[:50]
    )
    contracts = dict(
        contract_scope(user).filter(pk__in=[m.contract_id for m in moves]).values_list("pk", "contract_no")
    )
    preparer, reviewer = _names(ctx["version"])
    return render(
        request,
        "reports/quarter/report.html",
        {
            **ctx,
            "overdue": overdue_statistics(ctx["snapshot"], [ctx["unit"].pk], year),
            "may_submit": may_prepare(user, ctx["unit"]) and not report.locked,
            "may_review": may_review(user, ctx["unit"]) and report.status == "submitted",
            "may_designate": may_prepare(user, ctx["unit"]) and not report.locked,
            "clock": clock(report.due_on, businessdate.today()),
            "versions": report.versions.order_by("number") if report.pk else [],
            "moves": [{"move": m, "contract_no": contracts.get(m.contract_id, "—")} for m in moves],
            "reasons": DesignationReason.choices,
            "grade_labels": GRADE_LABELS,
            "preparer": preparer,
            "reviewer": reviewer,
        },
    )


@require_POST
@roles_required(Role.UNIVERSITY_OFFICER, Role.OPERATOR)
def quality_report_submit_view(request, snapshot: int, unit: int, year: int):
    ctx = _report_context(request, snapshot, unit, year)
    try:
        version = quality_report_submit(
            actor=request.user, report=ctx["report"], reasons=request.POST.get("reasons", "")
        )
    except SubmissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已提交第{version.number}版，待负责人审定。")
    return redirect("quarter:report", snapshot=snapshot, unit=unit, year=year)


@require_POST
@roles_required(Role.SUPERVISOR)
def quality_report_review_view(request, snapshot: int, unit: int, year: int):
    ctx = _report_context(request, snapshot, unit, year)
    approve = request.POST.get("decision") == "approve"
    try:
        quality_report_review(
            actor=request.user, report=ctx["report"], approve=approve, comment=request.POST.get("comment", "")
        )
    except SubmissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已审定，报送省资助中心。" if approve else "已退回经办人修改。")
    return redirect("quarter:report", snapshot=snapshot, unit=unit, year=year)


@require_POST
@roles_required(Role.UNIVERSITY_OFFICER, Role.OPERATOR)
def designate(request, snapshot: int, unit: int, year: int):
    ctx = _report_context(request, snapshot, unit, year)
    back = redirect("quarter:report", snapshot=snapshot, unit=unit, year=year)
    if not may_prepare(request.user, ctx["unit"]):
        messages.error(request, "只有本单位的经办人可以人工认定分类。")
        return back
    number = request.POST.get("contract_no", "").strip()
    contract = contract_scope(request.user).filter(contract_no=number).first()
    if (
        contract is None
        or not holds(ctx["snapshot"], contract.pk, ctx["unit"].pk, year)
    ):
        messages.error(request, f"合同编号：本单位本年度项目中没有合同“{number[:32]}”。")
        return back
    try:
        rank = int(request.POST.get("rank", ""))
    except ValueError:
        rank = -1
    try:
        _, moved = grade_designate(
            actor=request.user,
            contract=contract,
            rank=rank,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
    except DesignationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"合同 {contract.contract_no} 已认定为“{GRADE_LABELS[rank]}”"
            + ("，本季分类已调整。" if moved else "，自下一季末起适用（本季分类不低于此）。"),
        )
    return back


def _quality_documents(request, snapshot, unit, year):
    ctx = _report_context(request, snapshot, unit, year)
    preparer, reviewer = _names(ctx["version"])
    stem = f"资产质量分类认定表-{ctx['unit'].name}-{year}年度-{ctx['snapshot'].as_of:%Y%m%d}"
    return ctx, preparer, reviewer, stem


@roles_required(*READERS)
def quality_report_pdf(request, snapshot: int, unit: int, year: int):
    ctx, preparer, reviewer, stem = _quality_documents(request, snapshot, unit, year)
    report = ctx["report"]
    pdf = exports.quality_pdf(
        ctx["unit"].name,
        ctx["figures"],
        overdue_statistics(ctx["snapshot"], [ctx["unit"].pk], year),
        reasons=report.reasons,
        preparer=preparer,
        reviewer=reviewer,
        version=report.version if report.locked else None,
    )
    return pdf_response(pdf, f"{stem}.pdf")


@roles_required(*READERS)
def quality_report_xlsx(request, snapshot: int, unit: int, year: int):
    ctx, preparer, reviewer, stem = _quality_documents(request, snapshot, unit, year)
    data = exports.quality_xlsx(
        ctx["unit"].name, ctx["figures"], reasons=ctx["report"].reasons, preparer=preparer, reviewer=reviewer
    )
    return file_response(data, f"{stem}.xlsx", XLSX_TYPE)


@roles_required(*READERS)
def overdue_xlsx(request, snapshot: int, unit: int, year: int):
    ctx = _report_context(request, snapshot, unit, year)
    heading = f"{ctx['unit'].name} {ctx['label']} {exports.OVERDUE_TITLE}（{ctx['snapshot'].as_of:%Y-%m-%d}）"
    data = exports.overdue_xlsx(heading, overdue_statistics(ctx["snapshot"], [ctx["unit"].pk], year))
    return file_response(data, f"逾期情况统计表-{ctx['unit'].name}-{year}年度.xlsx", XLSX_TYPE)


def _summary(request, snapshot_pk: int):
    snapshot = selectors.snapshot_get(snapshot_pk)
    org = request.user.organisation
    heading = f"{getattr(org, 'name', '全国')} {snapshot.as_of:%Y年%m月%d日} {exports.SUMMARY_TITLE}"
    return snapshot, heading, selectors.summary(request.user, snapshot)


@roles_required(
    Role.OPERATOR, Role.SUPERVISOR, Role.BANK_REVIEWER, Role.BANK_APPROVER, Role.AUDITOR, Role.ADMIN
)
def summary(request, snapshot: int):
    snap, heading, rows = _summary(request, snapshot)
    units = {r["unit_id"] for r in rows}
    approved = {r["unit_id"] for r in rows if r["approved"]}
    user = request.user
    centre_summary = province_summary_get(snap, user.organisation) if is_centre(user) else None
    reported_up = ProvinceSummary.objects.filter(snapshot=snap).select_related("centre")
    scope = selectors.unit_ids_in_scope(user)
    if scope is not None:
        reported_up = reported_up.filter(centre_id__in=scope)
    return render(
        request,
        "reports/quarter/summary.html",
        {
            "centre_summary": centre_summary,
            "reported_up": reported_up,
            "may_submit_up": bool(
                centre_summary and not centre_summary.locked and user.has_role(Role.OPERATOR)
            ),
            "may_review_up": bool(
                centre_summary and centre_summary.status == "submitted" and user.has_role(Role.SUPERVISOR)
            ),
            "snapshot": snap,
            "heading": heading,
            "rows": rows,
            "grade_labels": GRADE_LABELS,
            "province_due": province_deadline(snap.as_of),
            "clock": clock(province_deadline(snap.as_of), businessdate.today()),
            "units": len(units),
            "reported": sum(1 for r in rows if r["approved"]),
            "lines": len(rows),
            "all_reported": units == approved and bool(units),
            "reports": QualityReport.objects.filter(snapshot=snap).count(),
        },
    )


@roles_required(
    Role.OPERATOR, Role.SUPERVISOR, Role.BANK_REVIEWER, Role.BANK_APPROVER, Role.AUDITOR, Role.ADMIN
)
def summary_xlsx(request, snapshot: int):
    snap, heading, rows = _summary(request, snapshot)
    return file_response(
        exports.summary_xlsx(heading, rows), f"资产质量分类汇总表-{snap.as_of:%Y%m%d}.xlsx", XLSX_TYPE
    )


@roles_required(
    Role.OPERATOR, Role.SUPERVISOR, Role.BANK_REVIEWER, Role.BANK_APPROVER, Role.AUDITOR, Role.ADMIN
)
def summary_pdf(request, snapshot: int):
    snap, heading, rows = _summary(request, snapshot)
    return pdf_response(exports.summary_pdf(heading, rows), f"资产质量分类汇总表-{snap.as_of:%Y%m%d}.pdf")


@require_POST
@roles_required(Role.OPERATOR, Role.SUPERVISOR)
def summary_report_up(request, snapshot: int):
    """The centre's operator submits its summary to the branch; its 负责人 approves or returns it."""
    snap = selectors.snapshot_get(snapshot)
    if not is_centre(request.user):
        raise Http404("只有省资助中心报送汇总表。")
    report = province_summary_get(snap, request.user.organisation)
    try:
        if request.POST.get("decision") in ("approve", "return"):
            approve = request.POST["decision"] == "approve"
            province_summary_review(
                actor=request.user, report=report, approve=approve, comment=request.POST.get("comment", "")
            )
            messages.success(request, "已审核，汇总表报送分行。" if approve else "已退回经办人修改。")
        else:
            report = province_summary_submit(
                actor=request.user, report=report, note=request.POST.get("note", "")
            )
            messages.success(request, f"已报送第{report.version}版汇总表，待负责人审核。")
    except SubmissionError as error:
        messages.error(request, str(error))
    return redirect("quarter:summary", snapshot=snapshot)


@roles_required(*READERS)
def workpaper_pdf(request, snapshot: int, unit: int, year: int):
    ctx = _report_context(request, snapshot, unit, year)
    paper = working_paper(ctx["snapshot"], ctx["unit"].pk, year)
    return pdf_response(
        exports.workpaper_pdf(ctx["unit"].name, paper),
        f"分类工作底稿-{ctx['unit'].name}-{year}年度-{ctx['snapshot'].as_of:%Y%m%d}.pdf",
    )


@roles_required(*READERS)
def workpaper_xlsx(request, snapshot: int, unit: int, year: int):
    ctx = _report_context(request, snapshot, unit, year)
    paper = working_paper(ctx["snapshot"], ctx["unit"].pk, year)
    return file_response(
        exports.workpaper_xlsx(ctx["unit"].name, paper),
        f"分类工作底稿-{ctx['unit'].name}-{year}年度-{ctx['snapshot'].as_of:%Y%m%d}.xlsx",
        XLSX_TYPE,
    )


def _forecast(request, snapshot: int, unit: int, year: int):
    ctx = _report_context(request, snapshot, unit, year)
    stem = f"分类预测表-{ctx['unit'].name}-{year}年度-{ctx['snapshot'].as_of:%Y%m%d}"
    return ctx, three_year_forecast(ctx["snapshot"], ctx["unit"].pk, year), stem


@roles_required(*READERS)
def forecast_pdf(request, snapshot: int, unit: int, year: int):
    ctx, forecast, stem = _forecast(request, snapshot, unit, year)
    return pdf_response(exports.forecast_pdf(ctx["unit"].name, ctx["label"], forecast), f"{stem}.pdf")


@roles_required(*READERS)
def forecast_xlsx(request, snapshot: int, unit: int, year: int):
    ctx, forecast, stem = _forecast(request, snapshot, unit, year)
    return file_response(
        exports.forecast_xlsx(ctx["unit"].name, ctx["label"], forecast), f"{stem}.xlsx", XLSX_TYPE
    )
