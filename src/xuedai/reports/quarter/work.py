"""The quarter end as a work item on each role's home page, with its clock in working days
(seed [004] 第九条 3: the unit within 3 working days, the province centre within 3 more).

Plain dicts (label, value, url, hint): the web app turns them into its home-page numbers.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xuedai.orgs.models import OrgKind, Role, User

from .calendar import clock, province_deadline, unit_deadline
from .lines import unit_year_pairs, unit_years
from .models import QualityReport, QuarterSnapshot, ReportStatus
from .selectors import is_unit, unit_ids_in_scope
from .submissions import may_prepare, may_review

PROVINCE_KINDS = (OrgKind.PROVINCE_CENTRE, OrgKind.PROVINCE_LOAN_OFFICE, OrgKind.BANK_BRANCH)


def _unit_items(user: User, snapshot: QuarterSnapshot, today: dt.date) -> list[dict]:
    unit = user.organisation
    assert unit is not None
    years = unit_years(snapshot, unit.pk)
    if not years:
        return []
    statuses = dict(
        QualityReport.objects.filter(snapshot=snapshot, unit=unit).values_list("project_year", "status")
    )
    url = reverse("quarter:home")
    due = unit_deadline(snapshot.as_of)
    items = []
    if may_prepare(user, unit):
        open_years = [
            y
            for y in years
            if statuses.get(y, ReportStatus.DRAFT) in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        ]
        items.append(
            {
                "label": f"{snapshot.as_of:%Y-%m-%d}季末待提交的认定表",
                "value": len(open_years),
                "url": url,
                "hint": f"报送期限 {due:%m月%d日}，{clock(due, today)}" if open_years else "已全部提交",
            }
        )
    if may_review(user, unit):
        waiting = sum(1 for y in years if statuses.get(y) == ReportStatus.SUBMITTED)
        items.append(
            {
                "label": "待审定的认定表",
                "value": waiting,
                "url": url,
                "hint": f"报送期限 {due:%m月%d日}，{clock(due, today)}",
            }
        )
    return items


def _province_items(user: User, snapshot: QuarterSnapshot, today: dt.date) -> list[dict]:
    scope = unit_ids_in_scope(user)
    total = len(unit_year_pairs(snapshot, scope))
    approved = QualityReport.objects.filter(snapshot=snapshot, status=ReportStatus.APPROVED)
    if scope is not None:
        approved = approved.filter(unit_id__in=scope)
    due = province_deadline(snapshot.as_of)
    return [
        {
            "label": f"{snapshot.as_of:%Y-%m-%d}季末已报送的认定表",
            "value": f"{approved.count()}/{total}",
            "url": reverse("quarter:summary", args=[snapshot.pk]),
            "hint": f"省汇总报送分行期限 {due:%m月%d日}，{clock(due, today)}",
        }
    ]


def quarter_work_items(user: User, today: dt.date) -> list[dict]:
    snapshot = QuarterSnapshot.objects.filter(as_of__lte=today).order_by("-as_of").first()
    if snapshot is None or user.organisation is None:
        return []
    if is_unit(user):
        return _unit_items(user, snapshot, today)
    if user.organisation.kind in PROVINCE_KINDS and user.has_role(
        Role.OPERATOR, Role.SUPERVISOR, Role.BANK_REVIEWER, Role.BANK_APPROVER
    ):
        return _province_items(user, snapshot, today)
    return []
