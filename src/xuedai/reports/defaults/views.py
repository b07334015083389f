"""违约名单 pages: the operator prepares a list, the supervisor approves or returns it; only an
approved list is printed or exported (PDF, .xlsx), each download audited. Pages show ID numbers
masked; lists are addressed by id only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xuedai.audit.services import audit_export
from xuedai.documents.pdf import file_response, pdf_response
from xuedai.documents.xlsx import XLSX_TYPE
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import allowed_if, roles_required

from .documents import default_list_pdf, default_list_xlsx, title_of
from .models import DefaultList, ListPurpose, ListStatus
from .services import DefaultListError, default_list_prepare, default_list_review, may_prepare, may_review

ROLES = (Role.UNIVERSITY_OFFICER, Role.OPERATOR, Role.BANK_REVIEWER, Role.SUPERVISOR, Role.BANK_APPROVER)
NOT_UNIT = "违约名单由高校、县/省资助中心或分行的经办人编制、负责人审批。"


def _in_unit(user) -> bool:
    return may_prepare(user) or may_review(user)


def _lists(user):
    return DefaultList.objects.filter(organisation_id=user.organisation_id).select_related(
        "prepared_by", "reviewed_by", "organisation"
    )


@roles_required(*ROLES)
@allowed_if(_in_unit, NOT_UNIT)
def defaults_home(request):
    user = request.user
    return render(
        request,
        "reports/defaults/home.html",
        {"lists": _lists(user)[:30], "purposes": ListPurpose.choices, "may_prepare": may_prepare(user)},
    )


@require_POST
@roles_required(*ROLES)
@allowed_if(_in_unit, NOT_UNIT)
def defaults_prepare(request):
    try:
        default_list = default_list_prepare(actor=request.user, purpose=request.POST.get("purpose", ""))
    except DefaultListError as exc:
        messages.error(request, str(exc))
        return redirect("credit:defaults")
    messages.success(
        request,
        f"已编制{default_list.get_purpose_display()}（{default_list.entries_count}人），待负责人审批。",
    )
    return redirect("credit:default_list", pk=default_list.pk)


@roles_required(*ROLES)
@allowed_if(_in_unit, NOT_UNIT)
def default_list_page(request, pk: int):
    user = request.user
    default_list = get_object_or_404(_lists(user), pk=pk)
    return render(
        request,
        "reports/defaults/detail.html",
        {
            "list": default_list,
            "entries": default_list.entries.all(),
            "may_review": may_review(user)
            and default_list.status == ListStatus.SUBMITTED
            and default_list.prepared_by_id != user.pk,
            "approved": default_list.status == ListStatus.APPROVED,
            "full_id_export": default_list.purpose == ListPurpose.PUBLICATION,
        },
    )


@require_POST
@roles_required(*ROLES)
@allowed_if(_in_unit, NOT_UNIT)
def default_list_review_view(request, pk: int):
    default_list = get_object_or_404(_lists(request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        default_list_review(
            actor=request.user,
            default_list=default_list,
            approve=approve,
            comment=request.POST.get("comment", ""),
        )
        messages.success(request, "已审批通过，可下载名单。" if approve else "已退回经办人。")
    except DefaultListError as exc:
        messages.error(request, str(exc))
    return redirect("credit:default_list", pk=pk)


def _approved(request, pk: int) -> DefaultList:
    default_list = get_object_or_404(_lists(request.user), pk=pk)
    if default_list.status != ListStatus.APPROVED:
        raise PermissionDenied("名单经负责人审批通过后才能打印或导出。")
    return default_list


@roles_required(*ROLES)
@allowed_if(_in_unit, NOT_UNIT)
def default_list_pdf_view(request, pk: int):
    default_list = _approved(request, pk)
    name = f"{title_of(default_list)}-{default_list.as_of:%Y%m%d}.pdf"
    audit_export(actor=request.user, document=name, obj=default_list, rows=default_list.entries_count)
    return pdf_response(default_list_pdf(default_list), name)


@roles_required(*ROLES)
@allowed_if(_in_unit, NOT_UNIT)
def default_list_xlsx_view(request, pk: int):
    default_list = _approved(request, pk)
    name = f"{title_of(default_list)}-{default_list.as_of:%Y%m%d}.xlsx"
    audit_export(actor=request.user, document=name, obj=default_list, rows=default_list.entries_count)
    return file_response(default_list_xlsx(default_list), name, XLSX_TYPE)
