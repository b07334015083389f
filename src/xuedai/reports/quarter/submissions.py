"""The 认定表's maker and checker [004 第九条 3]: the unit's 经办人 submits it (the figures are frozen
as a new version), the unit's 负责人 — the 审定人 — approves it, and then it counts as reported to
the province centre; or returns it with a comment, and the next submission is the next version.
Submitted or approved, the table is locked: no designation moves its quarter any more.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.orgs.models import Organisation, OrgKind, Role

from .calendar import unit_deadline
from .figures import quality_figures
from .models import QualityReport, QualityReportVersion, QuarterSnapshot, ReportStatus

# Who prepares a unit's table: the university's loan officer, or the county centre's operator.
PREPARER_ROLE = {OrgKind.UNIVERSITY: Role.UNIVERSITY_OFFICER, OrgKind.COUNTY_CENTRE: Role.OPERATOR}
UNIT_KINDS = tuple(PREPARER_ROLE)


class SubmissionError(ValueError):
    """A submission or review that cannot be done, in Chinese."""


def review_comment(report, *, approve: bool, comment: str, maker_id: int | None, actor,
                   noun: str, verb: str, maker: str, reviewer: str) -> str:
    """The checks every review of a submitted report makes (认定表, 汇总表, 专户报告): a version
    waits for review, the reviewer is not its maker [004 第九条 3], a return says why. Returns the
    comment, trimmed."""
    if report.status != ReportStatus.SUBMITTED:
        raise SubmissionError(f"该{noun}{report.get_status_display()}，没有待{verb}的版本。")
    if maker_id == actor.pk:
        raise SubmissionError(f"{maker}与{reviewer}不能是同一人。")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise SubmissionError(f"{verb}意见：退回时请写明需要修改的内容。")
    return comment


def review_record(report, *, actor, approve: bool, comment: str, action: str):
    """Approve or return a report that carries its own review fields, with its audit row."""
    report.status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_comment = actor, timezone.now(), comment[:300]
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(actor=actor, action=f"{action}_approve" if approve else f"{action}_return", obj=report,
                 after={"version": report.version, "comment": comment})
    return report


def may_prepare(user, unit: Organisation) -> bool:
    role = PREPARER_ROLE.get(unit.kind)  # type: ignore[call-overload]
    return bool(role) and user.organisation_id == unit.pk and user.has_role(role)


def may_review(user, unit: Organisation) -> bool:
    return user.organisation_id == unit.pk and user.has_role(Role.SUPERVISOR)


def quality_report_get(snapshot: QuarterSnapshot, unit: Organisation, project_year: int) -> QualityReport:
    """The table of (quarter, unit, project year); unsaved (a draft) until its first submission, so
    opening a page writes nothing."""
    found = QualityReport.objects.filter(snapshot=snapshot, unit=unit, project_year=project_year).first()
    return found or QualityReport(
        snapshot=snapshot, unit=unit, project_year=project_year, due_on=unit_deadline(snapshot.as_of)
    )


def _locked_report(report: QualityReport, *, create: bool = False) -> QualityReport:
    """The table's row, locked; created in the caller's transaction when submitting the first time."""
    key = {"snapshot_id": report.snapshot_id, "unit_id": report.unit_id, "project_year": report.project_year}
    if create:
        QualityReport.objects.get_or_create(**key, defaults={"due_on": report.due_on})
    locked = (
        QualityReport.objects.select_for_update().select_related("snapshot", "unit").filter(**key).first()
    )
    if locked is None:
        raise SubmissionError("该认定表尚未提交，没有待审定的版本。")
    return locked


@transaction.atomic(durable=True)
def quality_report_submit(*, actor, report: QualityReport, reasons: str) -> QualityReportVersion:
    report = _locked_report(report, create=True)
    if not may_prepare(actor, report.unit):
        raise SubmissionError("只有本单位的经办人可以提交资产质量分类认定表。")
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise SubmissionError(f"该认定表{report.get_status_display()}，已锁定，不能再次提交。")
    reasons = (reasons or "").strip()
    figures = quality_figures(report.snapshot, report.unit_id, report.project_year)
    if figures["overdue"]["contracts"] and not reasons:
        raise SubmissionError("逾期及变动原因分析：本项目有逾期贷款，请说明逾期原因 [分类办法第九条]。")
    QualityReport.objects.filter(pk=report.pk).update(
        version=F("version") + 1, status=ReportStatus.SUBMITTED, reasons=reasons
    )
    report.refresh_from_db()
    version = QualityReportVersion.objects.create(
        report=report, number=report.version, figures=figures, reasons=reasons, submitted_by=actor
    )
    audit_record(
        actor=actor,
        action="reports.quality_report_submit",
        obj=report,
        after={
            "version": version.number,
            "contracts": figures["total"]["contracts"],
            "balance": figures["total"]["balance"],
        },
    )
    return version


@transaction.atomic(durable=True)
def quality_report_review(
    *, actor, report: QualityReport, approve: bool, comment: str
) -> QualityReportVersion:
    report = _locked_report(report)
    if not may_review(actor, report.unit):
        raise SubmissionError("只有本单位的负责人(审定人)可以审定资产质量分类认定表。")
    version = None
    if report.status == ReportStatus.SUBMITTED:
        version = report.versions.select_for_update().get(number=report.version)
    comment = review_comment(report, approve=approve, comment=comment, actor=actor,
                             maker_id=version.submitted_by_id if version else None,
                             noun="认定表", verb="审定", maker="经办人", reviewer="审定人")
    assert version is not None  # review_comment refused any other status
    version.reviewed_by, version.reviewed_at = actor, timezone.now()
    version.approved, version.review_comment = approve, comment[:300]
    version.save(update_fields=["reviewed_by", "reviewed_at", "approved", "review_comment"])
    status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    QualityReport.objects.filter(pk=report.pk).update(status=status)
    audit_record(
        actor=actor,
        action="reports.quality_report_approve" if approve else "reports.quality_report_return",
        obj=report,
        after={"version": version.number, "comment": comment},
    )
    return version
