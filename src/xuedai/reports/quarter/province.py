"""The province centre reports its summary to the bank branch [004 第八条 (二), 第九条 3]: within 3
working days after the units' deadline; maker (经办人) and checker (负责人) as for the units' tables.

The lines submitted are the summary as the centre sees it (``selectors.summary``), frozen with the
version; the branch then reads the approved version. Units that have not reported yet do not block
the centre — a stuck university must not hold the province — but the centre must say why in the note.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.orgs.models import OrgKind, Role

from .calendar import province_deadline
from .models import ProvinceSummary, QuarterSnapshot, ReportStatus
from .selectors import summary
from .submissions import SubmissionError, review_comment, review_record

CENTRE_KINDS = (OrgKind.PROVINCE_CENTRE, OrgKind.PROVINCE_LOAN_OFFICE)


def is_centre(user) -> bool:
    return user.organisation is not None and user.organisation.kind in CENTRE_KINDS


def province_summary_get(snapshot: QuarterSnapshot, centre) -> ProvinceSummary:
    """The centre's summary of the quarter; unsaved until first submitted (a page writes nothing)."""
    found = ProvinceSummary.objects.filter(snapshot=snapshot, centre=centre).first()
    return found or ProvinceSummary(
        snapshot=snapshot, centre=centre, due_on=province_deadline(snapshot.as_of)
    )


def _locked(report: ProvinceSummary, *, create: bool = False) -> ProvinceSummary:
    key = {"snapshot_id": report.snapshot_id, "centre_id": report.centre_id}
    if create:
        ProvinceSummary.objects.get_or_create(**key, defaults={"due_on": report.due_on})
    locked = (
        ProvinceSummary.objects.select_for_update().select_related("snapshot", "centre").filter(**key).first()
    )
    if locked is None:
        raise SubmissionError("该汇总表尚未报送，没有待审核的版本。")
    return locked


@transaction.atomic(durable=True)
def province_summary_submit(*, actor, report: ProvinceSummary, note: str) -> ProvinceSummary:
    report = _locked(report, create=True)
    if not (actor.organisation_id == report.centre_id and actor.has_role(Role.OPERATOR)):
        raise SubmissionError("只有省资助中心的经办人可以报送汇总表。")
    if report.locked:
        raise SubmissionError(f"该汇总表{report.get_status_display()}，已锁定。")
    lines = summary(actor, report.snapshot)
    missing = [f"{r['unit_name']}{r['project_year']}年度" for r in lines if not r["approved"]]
    note = (note or "").strip()
    if missing and not note:
        shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
        raise SubmissionError(
            f"说明：尚有{len(missing)}个年度项目的认定表未审定（{shown}），请说明原因后再报送。"
        )
    report.lines, report.note = lines, note
    report.status, report.version = ReportStatus.SUBMITTED, report.version + 1
    report.submitted_by, report.submitted_at = actor, timezone.now()
    report.save()
    audit_record(
        actor=actor,
        action="reports.province_summary_submit",
        obj=report,
        after={"version": report.version, "lines": len(lines), "missing": len(missing)},
    )
    return report


@transaction.atomic(durable=True)
def province_summary_review(
    *, actor, report: ProvinceSummary, approve: bool, comment: str
) -> ProvinceSummary:
    report = _locked(report)
    if not (actor.organisation_id == report.centre_id and actor.has_role(Role.SUPERVISOR)):
        raise SubmissionError("只有省资助中心的负责人可以审核汇总表。")
    comment = review_comment(report, approve=approve, comment=comment, actor=actor,
                             maker_id=report.submitted_by_id, noun="汇总表", verb="审核", maker="经办人",
                             reviewer="负责人")
    return review_record(report, actor=actor, approve=approve, comment=comment,
                         action="reports.province_summary")
