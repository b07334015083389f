"""Preparing and reviewing a default list (maker/checker, like reports.quarter.submissions).

Who is on it [003 第二十八条]: "进入还款期后，对连续拖欠到期本息超过一年且不与高校机构主动联系" —
a borrower whose oldest unpaid due day lies more than one calendar year before the list's date, and
whom nobody has reached in that year (no contact whose result counts as reached,
postloan ContactResult.reached()). A borrower who answered a call in the year is not published.

The list is read in two statements over the whole scope (accounts grouped by borrower; the year's
reached contacts), never an object per contract. Its entries are frozen when prepared: the
supervisor approves what the operator saw, and a later payment does not change an approved list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.loans.models import LoanAccount
from xuedai.orgs.models import OrgKind, Role
from xuedai.origination.selectors import contract_scope
from xuedai.postloan.models import ContactLog, ContactResult

from .models import DefaultEntry, DefaultList, ListPurpose, ListStatus

MAKER_ROLES = (Role.UNIVERSITY_OFFICER, Role.OPERATOR, Role.BANK_REVIEWER)
CHECKER_ROLES = (Role.SUPERVISOR, Role.BANK_APPROVER)
UNIT_KINDS = (
    OrgKind.UNIVERSITY,
    OrgKind.COUNTY_CENTRE,
    OrgKind.PROVINCE_CENTRE,
    OrgKind.PROVINCE_LOAN_OFFICE,
    OrgKind.BANK_BRANCH,
)


class DefaultListError(ValueError):
    """A list that cannot be prepared or reviewed, in Chinese."""


def one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 Feb
        return day.replace(year=day.year - 1, day=28)


def may_prepare(user) -> bool:
    org = user.organisation
    return bool(org and org.kind in UNIT_KINDS and user.has_role(*MAKER_ROLES))


def may_review(user) -> bool:
    org = user.organisation
    return bool(org and org.kind in UNIT_KINDS and user.has_role(*CHECKER_ROLES))


def defaulters(user, as_of: dt.date) -> list[dict]:
    """The borrowers in ``user``'s scope who belong on a list dated ``as_of``, worst first."""
    cutoff = one_year_before(as_of)
    accounts = LoanAccount.objects.filter(contract__in=contract_scope(user), oldest_unpaid_due__lt=cutoff)
    rows = list(
        accounts.values("contract__borrower_id").annotate(
            principal=Sum("principal_due"),
            interest=Sum("interest_due"),
            penalty=Sum("penalty_due"),
            since=Min("oldest_unpaid_due"),
        )
    )
    ids = [r["contract__borrower_id"] for r in rows]
    reached = dict(
        ContactLog.objects.filter(
            borrower_id__in=ids,
            result__in=ContactResult.reached(),
            contacted_on__gte=cutoff,
            contacted_on__lte=as_of,
        )
        .values_list("borrower_id")
        .annotate(last=Max("contacted_on"))
    )
    last_ever = dict(
        ContactLog.objects.filter(
            borrower_id__in=ids, result__in=ContactResult.reached(), contacted_on__lte=as_of
        )
        .values_list("borrower_id")
        .annotate(last=Max("contacted_on"))
    )
    contracts: dict[int, list[str]] = defaultdict(list)
    people = {}
    for contract in (
        contract_scope(user)
        .filter(borrower_id__in=ids, account__oldest_unpaid_due__lt=cutoff)
        .order_by("contract_no")
        .values(
            "borrower_id",
            "contract_no",
            "borrower__name",
            "borrower__id_number",
            "borrower__university__name",
            "borrower__graduation_date",
            "borrower__employer",
        )
    ):
        contracts[contract["borrower_id"]].append(contract["contract_no"])
        people[contract["borrower_id"]] = contract
    out = []
    for row in rows:
        borrower_id = row["contract__borrower_id"]
        if borrower_id in reached:
            continue
        person = people[borrower_id]
        graduated = person["borrower__graduation_date"]
        out.append(
            {
                "borrower_id": borrower_id,
                "name": person["borrower__name"],
                "id_number": person["borrower__id_number"],
                "school": person["borrower__university__name"] or "",
                "graduation_year": graduated.year if graduated else None,
                "employer": person["borrower__employer"],
                "contracts": "、".join(contracts[borrower_id])[:200],
                "overdue_principal": row["principal"],
                "overdue_interest": row["interest"] + row["penalty"],
                "overdue_since": row["since"],
                "days_overdue": (as_of - row["since"]).days,
                "last_reached_on": last_ever.get(borrower_id),
            }
        )
    return sorted(out, key=lambda e: (e["overdue_since"], e["name"]))


@transaction.atomic(durable=True)
def default_list_prepare(*, actor, purpose: str) -> DefaultList:
    if not may_prepare(actor):
        raise DefaultListError("只有高校经办人、县/省资助中心经办人或分行审查人可以编制违约名单。")
    if purpose not in ListPurpose.values:
        raise DefaultListError("名单用途：请选择“违约学生信息公布名单”或“学历查询系统违约通报名单”。")
    as_of = businessdate.today()
    entries = defaulters(actor, as_of)
    if not entries:
        raise DefaultListError("本单位范围内没有连续拖欠超过一年且一年内未联系上的借款学生，无需编制名单。")
    default_list = DefaultList.objects.create(
        organisation=actor.organisation,
        purpose=purpose,
        as_of=as_of,
        prepared_by=actor,
        entries_count=len(entries),
    )
    DefaultEntry.objects.bulk_create(DefaultEntry(default_list=default_list, **e) for e in entries)
    audit_record(
        actor=actor,
        action="reports.default_list_prepare",
        obj=default_list,
        after={
            "purpose": default_list.get_purpose_display(),
            "as_of": as_of.isoformat(),
            "borrowers": len(entries),
        },
    )
    return default_list


@transaction.atomic(durable=True)
def default_list_review(*, actor, default_list: DefaultList, approve: bool, comment: str) -> DefaultList:
    """The supervisor's decision; only an approved list can be printed or exported."""
    default_list = DefaultList.objects.select_for_update().get(pk=default_list.pk)
    if not may_review(actor) or actor.organisation_id != default_list.organisation_id:
        raise DefaultListError("只有编制单位的负责人(或分行审批人)可以审批违约名单。")
    if default_list.status != ListStatus.SUBMITTED:
        raise DefaultListError(f"该名单{default_list.get_status_display()}，没有待审批的内容。")
    if default_list.prepared_by_id == actor.pk:
        raise DefaultListError("经办人与审批人不能是同一人。")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise DefaultListError("审批意见：退回时请写明原因。")
    default_list.status = ListStatus.APPROVED if approve else ListStatus.RETURNED
    default_list.reviewed_by, default_list.reviewed_at = actor, timezone.now()
    default_list.review_comment = comment[:300]
    default_list.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        actor=actor,
        action="reports.default_list_approve" if approve else "reports.default_list_return",
        obj=default_list,
        after={"borrowers": default_list.entries_count, "comment": comment},
    )
    return default_list
