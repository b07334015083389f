"""毕业确认 pages: the student's phone-width application; the university's queue, review, edit,
return and confirmation; the 30 June view [000 七, 八; DOMAIN.md §5 June]."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from xuedai import businessdate
from xuedai.orgs.scope import record_scope_q

from .. import rules, selectors
from ..forms import ConfirmationForm
from ..models import ConfirmationStatus, GraduationConfirmation
from ..services import confirmation as service
from ..services import proposals
from ..services.common import UNIVERSITY_SIDE, is_university_officer
from .common import own_borrower, report, staff_required, year_of


@login_required
def my_confirmation(request):
    """The student checks and updates their details, then applies [000 七]."""
    borrower = own_borrower(request.user)
    year = borrower.graduation_year
    confirmation = selectors.confirmation_for(borrower, year)
    if confirmation is not None and confirmation.status != ConfirmationStatus.CONFIRMED:
        proposed, status = confirmation.proposed, confirmation.employment_status
    else:
        proposed = proposals.from_records(borrower)
        status = proposals.employment_status_of(borrower, confirmation)
    form = ConfirmationForm(request.POST or None, borrower=borrower, proposed=proposed,
                            employment_status=status)
    locked = confirmation is not None and confirmation.status == ConfirmationStatus.CONFIRMED
    if request.method == "POST" and not locked and form.is_valid():
        new_proposed, new_status = form.proposal()
        try:
            service.confirmation_apply(actor=request.user, borrower=borrower, proposed=new_proposed,
                                       employment_status=new_status)
            messages.success(request, "已提交毕业确认申请，学校将与你签字的《还款确认书》核对后确认。")
            return redirect("postloan:my_confirmation")
        except ValidationError as exc:
            form.add_service_errors(exc)
    return render(request, "postloan/my_confirmation.html", {
        "borrower": borrower, "form": form, "confirmation": confirmation, "locked": locked,
        "deadline": rules.confirmation_deadline(year), "today": businessdate.today(),
    })


@staff_required
def queue(request):
    """Applications waiting for the university (申请确认), oldest first."""
    year = year_of(request)
    status = request.GET.get("status") or ConfirmationStatus.APPLIED
    if status not in ConfirmationStatus.values:
        status = ConfirmationStatus.APPLIED
    rows = selectors.confirmation_queue(request.user, year, status)
    return render(request, "postloan/confirmations.html", {
        "year": year, "rows": rows, "status": status, "statuses": ConfirmationStatus.choices})


def _confirmation_get(user, pk: int) -> GraduationConfirmation:
    scope = record_scope_q(user, county="borrower__county", university="borrower__university",
                           department="borrower__department", owner="borrower__user")
    return get_object_or_404(GraduationConfirmation.objects.filter(scope).select_related("borrower"), pk=pk)


def _comparison(confirmation: GraduationConfirmation, form: ConfirmationForm) -> list[dict]:
    """Each field: the record's value beside the proposal's, changes marked (变更确认 [000 八])."""
    current = proposals.flatten(proposals.from_records(confirmation.borrower))
    proposed = proposals.flatten(confirmation.proposed)
    return [{"label": form.fields[name].label, "current": current.get(name, ""), "proposed": value,
             "changed": current.get(name, "") != value}
            for name, value in proposed.items() if name in form.fields]


@staff_required
def review(request, pk: int):
    user = request.user
    confirmation = _confirmation_get(user, pk)
    borrower = confirmation.borrower
    form = ConfirmationForm(request.POST or None, borrower=borrower, proposed=confirmation.proposed,
                            employment_status=confirmation.employment_status)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "edit" and form.is_valid():
                proposed, status = form.proposal()
                service.confirmation_edit(actor=user, confirmation=confirmation, proposed=proposed,
                                          employment_status=status)
                messages.success(request, "已保存修改，请核对后确认。")
                return redirect("postloan:confirmation", pk=pk)
            if action == "confirm":
                service.confirmation_confirm(actor=user, confirmation=confirmation,
                                             letter_checked=request.POST.get("letter_checked") == "1")
                messages.success(request, f"已确认 {borrower.name} 的毕业确认。")
                return redirect("postloan:confirmations")
            if action == "return":
                service.confirmation_return(actor=user, confirmation=confirmation,
                                            reason=request.POST.get("reason", ""))
                messages.success(request, f"已退回 {borrower.name} 的申请。")
                return redirect("postloan:confirmations")
        except ValidationError as exc:
            if action == "edit":
                form.add_service_errors(exc)
            else:
                report(request, exc)
        except PermissionDenied as exc:
            report(request, exc)
    return render(request, "postloan/confirmation.html", {
        "confirmation": confirmation, "borrower": borrower, "form": form,
        "comparison": _comparison(confirmation, form),
        "can_edit": user.has_role(*UNIVERSITY_SIDE) and confirmation.status == ConfirmationStatus.APPLIED,
        "can_confirm": is_university_officer(user) and confirmation.status == ConfirmationStatus.APPLIED,
    })


@staff_required
def progress(request):
    """By 30 June every application must be confirmed [000 八]: per department, and who is missing."""
    user, year = request.user, year_of(request)
    departments, missing = selectors.confirmation_progress(user, year)
    deadline = rules.confirmation_deadline(year)
    return render(request, "postloan/progress.html", {
        "year": year, "departments": departments, "missing": missing[:500], "missing_count": missing.count(),
        "deadline": deadline, "days_left": (deadline - businessdate.today()).days,
    })
