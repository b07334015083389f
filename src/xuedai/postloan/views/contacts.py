"""Contact log, 失联 hand-over and the county's trace list, quarterly coverage, and the monthly
逾期学生联系台账 [000 九; DOMAIN.md §5]."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.borrowers.selectors import borrower_get

from .. import rules, selectors
from ..documents.contact_register import contact_register_response
from ..forms import ContactForm
from ..services import contacts
from .common import int_or_none, report, staff_required


@staff_required
@require_POST
def contact_add(request, pk: int):
    user = request.user
    borrower = borrower_get(user, pk)
    form = ContactForm(request.POST)
    form.is_valid()  # parsing only; the service judges and names each field
    try:
        contacts.contact_record(actor=user, borrower=borrower, data={**request.POST.dict(), **{
            k: v for k, v in form.cleaned_data.items() if k in ("contacted_on", "next_contact_on") and v}})
        messages.success(request, "已登记联系记录。")
    except (PermissionDenied, ValidationError) as exc:
        report(request, exc)
    return redirect("postloan:borrower", pk=borrower.pk)


@staff_required
@require_POST
def lost_flag(request, pk: int):
    user = request.user
    borrower = borrower_get(user, pk)
    try:
        contacts.lost_contact_flag(actor=user, borrower=borrower, reason=request.POST.get("reason", ""))
        messages.success(request, "已标记失联，并移交县资助中心查找。")
    except (PermissionDenied, ValidationError) as exc:
        report(request, exc)
    return redirect("postloan:borrower", pk=borrower.pk)


@staff_required
def lost_list(request):
    """The county's (or university's) open 失联 flags: borrowers to trace."""
    user = request.user
    return render(request, "postloan/lost.html", {
        "open_flags": selectors.lost_contact_worklist(user),
        "recent": selectors.lost_contact_scope(user).exclude(status="open").select_related(
            "borrower", "resolved_by")[:30],
    })


@staff_required
@require_POST
def lost_resolve(request, pk: int):
    user = request.user
    flag = get_object_or_404(selectors.lost_contact_scope(user), pk=pk)
    try:
        contacts.lost_contact_resolve(actor=user, flag=flag, found=request.POST.get("found") == "1",
                                      resolution=request.POST.get("resolution", ""))
        messages.success(request, "已记录查找结果。")
    except (PermissionDenied, ValidationError) as exc:
        report(request, exc)
    return redirect("postloan:lost")


@staff_required
def coverage(request):
    """This quarter's contact coverage per department [000 九 按季度]."""
    today = businessdate.today()
    rows = selectors.coverage_by_department(request.user, today)
    start, end = rules.quarter_bounds(today)
    total = selectors.Coverage("合计", sum(r.graduates for r in rows), sum(r.contacted for r in rows))
    return render(request, "postloan/coverage.html", {
        "rows": rows, "total": total, "quarter_start": start, "quarter_end": end})


@staff_required
def contact_register(request):
    """逾期学生联系台账 for a month (default: this business month) as .xlsx."""
    today = businessdate.today()
    year = int_or_none(request.GET.get("year")) or today.year
    month = int_or_none(request.GET.get("month")) or today.month
    if not 1 <= month <= 12 or not 1990 <= year <= 2100:
        year, month = today.year, today.month
    entries = selectors.overdue_contact_rows(request.user, year, month)
    return contact_register_response(entries, request.user.organisation, year, month)
