"""The student's pages (phone width): register, apply, print the application form [001 附件二 三]."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.audit.services import audit_export
from xuedai.orgs.permissions import fully_logged_in, roles_required

from .. import exports, rules, services
from ..forms import ApplicationForm, RegisterForm
from ..models import Application, ApplicationState
from ..selectors import application_get
from ..services.applications import last_co_borrower, student_borrower
from .common import REFUSALS, report

student_required = roles_required("student")


def register(request):
    """在线注册 for a first-time applicant; a renewing student logs in instead."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.student_register(
                data={
                    k: d[k]
                    for k in (
                        "name",
                        "id_number",
                        "mobile",
                        "household_region_code",
                        "address",
                        "university",
                        "major",
                        "education_level",
                        "enrolled_year",
                        "study_years",
                        "graduation_date",
                    )
                },
                password=d["password"],
                co_borrower={
                    "name": d["co_name"],
                    "id_number": d["co_id_number"],
                    "relation": d["co_relation"],
                    "mobile": d["co_mobile"],
                },
            )
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
            for field, errors in by_field.items():
                for error in errors:
                    form.add_error(
                        field if field in form.fields else None, error.message % (error.params or {})
                    )
        else:
            messages.success(request, "注册成功，请用身份证号和刚设置的密码登录后填写贷款申请。")
            return redirect("login")
    return render(request, "origination/register.html", {"form": form})


@student_required
def apply(request):
    """贷款申请: this year's application (new or to edit), and earlier ones with their state."""
    try:
        borrower = student_borrower(request.user)
    except PermissionDenied:
        return redirect("origination:register")
    year = rules.academic_year_of(businessdate.today())
    current = (
        Application.objects.filter(borrower=borrower, academic_year=year)
        .exclude(state=ApplicationState.CANCELLED)
        .first()
    )
    # A student who already holds this year's contract (or was refused one) is told so instead of
    # being offered a form the service would refuse after it was filled in (DOMAIN.md §2: one
    # contract per academic year).
    closed = None if current else rules.one_per_year_error(borrower, year)
    editable = closed is None and (current is None or current.state == ApplicationState.SUBMITTED)
    initial = (
        {
            "amount": current.amount,
            "term_years": current.term_years,
            "tuition": current.tuition,
            "accommodation": current.accommodation,
            "co_borrower": current.co_borrower,
            "reason": current.reason,
        }
        if current
        else {"co_borrower": last_co_borrower(borrower)}
    )
    form = ApplicationForm(request.POST or None, borrower=borrower, initial=initial)
    if request.method == "POST" and editable and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            if current is None:
                services.application_submit(actor=request.user, data=data)
            else:
                services.application_update(actor=request.user, application=current, data=data)
        except REFUSALS as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, "申请已提交。请打印申请表，签字后与共同借款人一起到县资助中心办理。")
            return redirect("origination:apply")
    history = borrower.applications.order_by("-academic_year", "-id")
    contracts = borrower.contracts.order_by("-academic_year")
    return render(
        request,
        "origination/apply.html",
        {
            "borrower": borrower,
            "form": form,
            "current": current,
            "editable": editable,
            "closed": closed,
            "year": year,
            "history": history,
            "contracts": contracts,
        },
    )


@student_required
@require_POST
def application_cancel(request, pk):
    application = application_get(request.user, pk)
    try:
        services.application_cancel(actor=request.user, application=application)
        messages.success(request, "申请已撤销。")
    except REFUSALS as exc:
        report(request, exc)
    return redirect("origination:apply")


@fully_logged_in
def application_form_pdf(request, pk):
    """The printed application form (must be printed, not handwritten [001 二.1])."""
    application = application_get(request.user, pk)
    audit_export(actor=request.user, document="生源地贷款申请表.pdf", obj=application,
                 subject=application.borrower)
    return exports.file_response(
        exports.application_pdf(application), f"贷款申请表-{application.pk}.pdf", "application/pdf"
    )
