"""学生台账 by graduation year, 包干到人 assignment, one borrower's post-loan page, the staff
worklist [000 二, 三, 九; DOMAIN.md §5 April]."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.borrowers.selectors import borrower_get, borrower_scope
from xuedai.borrowers.services import can_reveal
from xuedai.orgs.models import OrgKind, Role

from .. import selectors
from ..documents.register import register_response
from ..forms import AssignForm, ContactForm
from ..models import ContactChannel
from ..services import assignments, letters
from ..services.common import CONTACT_ROLES, UNIVERSITY_SIDE, is_university_officer
from .common import departments_in_scope, int_or_none, report, staff_required, year_of

PAGE_SIZE = 50


def _university_of(user):
    org = user.organisation
    if org is None:
        return None
    return org if org.kind == OrgKind.UNIVERSITY else org.parent if org.kind == OrgKind.DEPARTMENT else None


def _filters(request, year: int) -> selectors.GraduateFilters:
    return selectors.GraduateFilters(year=year, department=int_or_none(request.GET.get("department")),
                                     staff=int_or_none(request.GET.get("staff")),
                                     unassigned=request.GET.get("unassigned") == "1")


@staff_required
def graduates(request):
    """The year's graduating borrowers who still owe; the loan office assigns them in bulk."""
    user, year = request.user, year_of(request)
    university = _university_of(user)
    officer = university is not None and is_university_officer(user)
    staff_choices = assignments.assignable_staff(university) if officer else []
    if request.method == "POST":
        form = AssignForm(request.POST, staff_choices=staff_choices)
        ids = [int(pk) for pk in request.POST.getlist("borrower") if pk.isdigit()]
        if not form.is_valid() or not ids:
            messages.error(request, "请勾选学生并选择责任人。")
        else:
            chosen = list(borrower_scope(user).filter(pk__in=ids))
            try:
                done, refusals = assignments.assignment_set_many(
                    actor=user, borrowers=chosen, staff=form.cleaned_data["staff"],
                    note=form.cleaned_data["note"])
                messages.success(request, f"已分配 {done} 名学生给 {form.cleaned_data['staff']}。")
                for refusal in refusals:
                    messages.error(request, refusal)
            except (PermissionDenied, ValidationError) as exc:
                report(request, exc)
        return redirect(f"{reverse('postloan:graduates')}?{request.POST.get('back', '')}")
    filters = _filters(request, year)
    rows = selectors.graduating_borrowers(user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    keep = {k: v for k, v in {"year": year, "department": filters.department, "staff": filters.staff,
                               "unassigned": "1" if filters.unassigned else ""}.items() if v}
    return render(request, "postloan/graduates.html", {
        "year": year, "page": page, "rows": page.object_list, "filters": filters,
        "keep_query": urlencode(keep),
        "departments": departments_in_scope(user), "assign_form": AssignForm(staff_choices=staff_choices),
        "can_assign": bool(staff_choices), "can_full_export": can_reveal(user),
    })


@staff_required
def register_xlsx(request):
    """GET: the masked 学生台账; POST (loan office only): the full one, audited (documents.register)."""
    user, year = request.user, year_of(request)
    full = request.method == "POST"
    if full and not (can_reveal(user) and user.has_role(Role.UNIVERSITY_OFFICER)):
        raise PermissionDenied("您的角色不能导出含完整身份证号的学生台账。")
    borrowers = selectors.graduating_borrowers(user, _filters(request, year))
    if full:
        audit_record(actor=user, action="postloan_register_export_full", obj=user.organisation,
                     after={"毕业年份": year, "人数": borrowers.count()})
    return register_response(borrowers, _university_of(user) or user.organisation, year, full=full)


@staff_required
def borrower_page(request, pk: int):
    """One graduate's post-loan page: owner and history, confirmation, letter, contacts, 失联."""
    user = request.user
    borrower = borrower_get(user, pk)
    university = _university_of(user)
    own_student = borrower.university_id == getattr(university, "pk", None)
    staff_choices = (assignments.assignable_staff(borrower.university)
                     if is_university_officer(user) and own_student else [])
    year = borrower.graduation_year
    return render(request, "postloan/borrower.html", {
        "borrower": borrower, "year": year,
        "assignment": selectors.current_assignment(borrower),
        "history": selectors.assignment_history(borrower),
        "confirmation": selectors.confirmation_for(borrower, year),
        "letter": borrower.repayment_letters.filter(graduation_year=year).first(),
        "contacts": borrower.contact_logs.select_related("staff")[:50],
        "lost_flags": borrower.lost_contact_flags.select_related("raised_by", "resolved_by")[:10],
        "assign_form": AssignForm(staff_choices=staff_choices), "can_assign": bool(staff_choices),
        "contact_form": ContactForm(initial={"contacted_on": businessdate.today(),
                                             "channel": ContactChannel.PHONE}),
        "can_contact": user.has_role(*CONTACT_ROLES), "university_side": user.has_role(*UNIVERSITY_SIDE),
        # Whoever contacts the borrower needs the number; everyone else sees it masked.
        "show_contact_details": user.has_role(*CONTACT_ROLES),
        "co_borrowers": borrower.co_borrowers.filter(is_active=True),
        "emergency_contacts": borrower.emergency_contacts.all(),
    })


@staff_required
@require_POST
def assign(request, pk: int):
    user = request.user
    borrower = borrower_get(user, pk)
    form = AssignForm(request.POST, staff_choices=assignments.assignable_staff(borrower.university))
    if not form.is_valid():
        messages.error(request, "责任人：请选择本校的院系责任人。")
    else:
        try:
            assignments.assignment_set(actor=user, borrower=borrower, staff=form.cleaned_data["staff"],
                                       note=form.cleaned_data["note"])
            messages.success(request, f"责任人已设为 {form.cleaned_data['staff']}。")
        except (PermissionDenied, ValidationError) as exc:
            report(request, exc)
    return redirect("postloan:borrower", pk=borrower.pk)


@staff_required
@require_POST
def letter_record(request, pk: int):
    user = request.user
    borrower = borrower_get(user, pk)
    try:
        letters.letter_record(actor=user, borrower=borrower, passed=request.POST.get("passed") == "1",
                              note=request.POST.get("note", ""))
        messages.success(request, "已登记还款确认书。")
    except (PermissionDenied, ValidationError) as exc:
        report(request, exc)
    return redirect("postloan:borrower", pk=borrower.pk)


@staff_required
def worklist(request):
    """包干到人: my own borrowers, the ones whose next contact is due first."""
    user = request.user
    year = int_or_none(request.GET.get("year"))
    rows = selectors.my_worklist(user, year)
    today = businessdate.today()
    start, end = selectors.rules.quarter_bounds(today)
    return render(request, "postloan/worklist.html", {
        "rows": rows, "year": year, "today": today, "quarter_start": start, "quarter_end": end,
        "lost_flags": (selectors.lost_contact_worklist(user)[:50]
                       if user.has_role(Role.OPERATOR, Role.SUPERVISOR) else []),
    })
