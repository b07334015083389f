"""Status changes (学籍变动) and plan changes pages: staff record/confirm, students apply for a plan
change or further study with the new self-pay start shown before they confirm."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate

from .. import request_selectors as sel
from ..models import PlanChangeKind, RequestStatus, StatusChangeKind
from ..services import plan_changes, status_changes
from .common import report, staff_required
from .files import stored_file_response


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@staff_required
def status_change_list(request):
    if request.method == "POST":
        try:
            contract = sel.contracts_in_scope(request.user).filter(
                contract_no=request.POST.get("contract_no", "").strip()).first()
            if contract is None:
                raise ValidationError("没有这份合同（请核对合同编号）")
            status_changes.status_change_record(
                actor=request.user, contract=contract, kind=request.POST.get("kind", ""),
                handled_on=_date(request.POST.get("handled_on")) or businessdate.today(),
                returned_on=_date(request.POST.get("returned_on")),
                after_graduation=bool(request.POST.get("after_graduation")),
                note=request.POST.get("note", ""))
        except (ValidationError, PermissionDenied) as exc:
            report(request, exc)
        else:
            messages.success(request, "已登记，待负责人确认")
        return redirect("postloan:status_changes")
    return render(request, "postloan/status_changes.html", {
        "rows": sel.status_change_list(request.user)[:200], "kinds": StatusChangeKind.choices,
        "pending": RequestStatus.PENDING})


@require_POST
@staff_required
def status_change_decide(request, pk: int):
    change = sel.status_change_get(request.user, pk)
    try:
        status_changes.status_change_decide(actor=request.user, change=change,
                                            approve=request.POST.get("decision") == "approve")
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, "已处理")
    return redirect("postloan:status_changes")


@login_required
def my_plan_change(request, pk: int):
    """The student picks a kind; the page shows the new self-pay start; a second POST confirms."""
    if not request.user.is_student:
        raise Http404
    contract = sel.contract_get(request.user, pk)
    today = businessdate.today()
    kind = request.POST.get("kind", PlanChangeKind.PLAN)
    new_graduation = _date(request.POST.get("new_graduation"))
    figures = plan_changes.preview(contract, kind, new_graduation)
    if request.method == "POST" and request.POST.get("confirm"):
        rows = zip(request.POST.getlist("due"), request.POST.getlist("amount"), strict=False)
        try:
            plan_changes.plan_change_apply(
                actor=request.user, contract=contract, kind=kind, on=today,
                instalments=plan_changes.parse_instalments(rows), new_graduation=new_graduation,
                admission_letter=request.FILES.get("admission_letter"))
        except ValidationError as exc:
            report(request, exc)
        else:
            messages.success(request, "已提交变更申请，审核通过后生效")
            return redirect("postloan:my_contract", pk=contract.pk)
    return render(request, "postloan/student/plan_change.html", {
        "contract": contract, "kinds": PlanChangeKind.choices, "kind": kind, "figures": figures,
        "new_graduation": new_graduation, "deadline": plan_changes.study_info_deadline(today.year),
        "rows": range(6)})


@staff_required
def plan_change_list(request):
    return render(request, "postloan/plan_changes.html", {
        "rows": sel.plan_change_list(request.user)[:200], "pending": RequestStatus.PENDING})


@require_POST
@staff_required
def plan_change_decide(request, pk: int):
    change = sel.plan_change_get(request.user, pk)
    try:
        plan_changes.plan_change_decide(actor=request.user, change=change,
                                        approve=request.POST.get("decision") == "approve",
                                        note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, "已审核")
    return redirect("postloan:plan_changes")


@login_required
def admission_letter(request, pk: int):
    return stored_file_response(sel.plan_change_get(request.user, pk).admission_letter)
