"""Reads for the quarter-end pages, always scoped to the acting user (ARCHITECTURE principle 4):
a unit (university, county centre) sees its own tables, a province centre or bank branch the units
in its subtree; anything else is a 404."""

from __future__ import annotations

from django.http import Http404

from xuedai.orgs.models import Organisation, User
from xuedai.orgs.permissions import org_in_subtree
from xuedai.orgs.scope import sees_everything, subtree_ids

from .figures import unit_summary
from .lines import unit_years
from .models import QualityReport, QuarterSnapshot, ReportStatus
from .submissions import UNIT_KINDS


def snapshots() -> list[QuarterSnapshot]:
    return list(QuarterSnapshot.objects.order_by("-as_of")[:12])


def snapshot_get(pk: int) -> QuarterSnapshot:
    snapshot = QuarterSnapshot.objects.filter(pk=pk).first()
    if snapshot is None:
        raise Http404("没有该季末分类快照。")
    return snapshot


def is_unit(user: User) -> bool:
    return user.organisation is not None and user.organisation.kind in UNIT_KINDS


def unit_get(user: User, pk: int) -> Organisation:
    unit = Organisation.objects.filter(pk=pk, kind__in=UNIT_KINDS).first()
    if unit is None or not org_in_subtree(user, unit):
        raise Http404("没有该填报单位，或不在您的管辖范围内。")
    return unit


def unit_ids_in_scope(user: User) -> list[int] | None:
    """None: every unit (the head office)."""
    if sees_everything(user):
        return None
    if user.organisation is None:
        return []
    return subtree_ids(user.organisation)


def project_years(snapshot: QuarterSnapshot, unit: Organisation) -> list[int]:
    return sorted(unit_years(snapshot, unit.pk))


def unit_reports(snapshot: QuarterSnapshot, unit: Organisation) -> list[dict]:
    """Each project year of the unit with its table's status (no row yet: 未填报)."""
    reports = {r.project_year: r for r in QualityReport.objects.filter(snapshot=snapshot, unit=unit)}
    return [{"project_year": year, "report": reports.get(year)} for year in project_years(snapshot, unit)]


def summary(user: User, snapshot: QuarterSnapshot) -> list[dict]:
    """The province's (or branch's) summary: one line per unit and project year with its status."""
    rows = unit_summary(snapshot, unit_ids_in_scope(user))
    names = dict(Organisation.objects.filter(pk__in={r["unit_id"] for r in rows}).values_list("pk", "name"))
    statuses = {(r.unit_id, r.project_year): r for r in QualityReport.objects.filter(snapshot=snapshot)}
    for row in rows:
        report = statuses.get((row["unit_id"], row["project_year"]))
        row["unit_name"] = names.get(row["unit_id"], "（未指定单位）")
        row["status"] = report.get_status_display() if report else "未填报"
        row["approved"] = bool(report and report.status == ReportStatus.APPROVED)
    rows.sort(key=lambda r: (r["unit_name"], r["project_year"]))
    return rows
