"""Borrower pages: thin — parse, call a selector or service, render (ARCHITECTURE, app rooms).

Identity numbers never travel in a URL: records are addressed by id, searches that carry an ID
number (or part of one) are POSTed and answered directly, and the full number is shown only in the
response to a POSTed, audit-logged reveal.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.orgs.services import AccountError

from . import forms, selectors, services
from .activation import RESET_ROLES
from .activation import student_password_reset as student_password_reset_service
from .forms import BorrowerForm, CoBorrowerForm, EmergencyContactForm, SearchForm
from .history import history_rows
from .rules import age_on

PAGE_SIZE = 50
ID_SEARCH_LIMIT = 50


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@login_required
def borrower_list(request):
    if request.method == "POST":
        form = SearchForm(request.POST)
        term = form.data.get("term", "").strip()
        if term and selectors.is_id_like(term):
            qs = selectors.borrower_list(request.user, selectors.BorrowerFilters(id_q=term))
            rows = list(qs[: ID_SEARCH_LIMIT + 1])
            return render(request, "borrowers/list.html", {
                "form": form, "rows": rows[:ID_SEARCH_LIMIT], "id_search": True,
                "truncated": len(rows) > ID_SEARCH_LIMIT, **_permissions(request.user)})
        # A name or student number is safe in the address bar: redirect so paging works.
        return redirect(f"{reverse('borrowers:list')}?{urlencode({'q': term})}" if term
                        else reverse("borrowers:list"))

    q = request.GET.get("q", "").strip()
    if q and selectors.is_id_like(q):
        messages.warning(request, "按身份证号查询请使用查询框提交，身份证号不会出现在网址中。")
        q = ""
    filters = selectors.BorrowerFilters(
        q=q, county=_int(request.GET.get("county")), university=_int(request.GET.get("university")),
        department=_int(request.GET.get("department")),
        graduation_year=_int(request.GET.get("graduation_year")), overdue=request.GET.get("overdue") == "1")
    page = Paginator(selectors.borrower_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    # Only the safe parameters are carried into the paging links.
    keep = {k: v for k, v in {"q": q, "county": filters.county, "university": filters.university,
                               "department": filters.department,
                               "graduation_year": filters.graduation_year,
                               "overdue": 1 if filters.overdue else None}.items() if v}
    return render(request, "borrowers/list.html", {
        "form": SearchForm(initial={"term": q}), "page": page, "rows": page.object_list,
        "keep_query": urlencode(keep), "overdue": filters.overdue,
        "graduation_year": filters.graduation_year, **_permissions(request.user)})


def _permissions(user) -> dict:
    try:
        services.creation_orgs(user)
        can_create = True
    except PermissionDenied:
        can_create = False
    return {"can_create": can_create, "can_edit": services.can_edit(user),
            "can_edit_co_borrowers": services.can_edit_co_borrowers(user),
            "can_reveal": services.can_reveal(user), "can_reset_password": user.has_role(*RESET_ROLES)}


def _detail_context(request, borrower, revealed: dict | None = None) -> dict:
    co_borrowers = list(borrower.co_borrowers.all())
    today = businessdate.today()
    for co in co_borrowers:
        co.age = age_on(co.birth_date, today)
        co.shown_id_number = (revealed["co_borrowers"].get(co.pk, co.masked_id_number) if revealed
                              else co.masked_id_number)
    return {
        "borrower": borrower,
        "shown_id_number": revealed["borrower"] if revealed else borrower.masked_id_number,
        # Age, not the birth date: the date is digits 7–14 of the number, so showing it next to
        # the masked number and the county code would give the whole number away.
        "age": age_on(borrower.birth_date, today),
        "co_borrowers": co_borrowers,
        "contacts": list(borrower.emergency_contacts.all()),
        "history": history_rows(list(selectors.borrower_history(borrower))),
        "revealed": revealed,
        **_permissions(request.user),
    }


@login_required
def borrower_detail(request, pk: int):
    borrower = selectors.borrower_get(request.user, pk)
    return render(request, "borrowers/detail.html", _detail_context(request, borrower))


@never_cache
@login_required
@require_POST
def borrower_reveal(request, pk: int):
    borrower = selectors.borrower_get(request.user, pk)
    numbers = services.borrower_id_numbers_reveal(actor=request.user, borrower=borrower,
                                                  ip_address=request.META.get("REMOTE_ADDR"))
    return render(request, "borrowers/detail.html", _detail_context(request, borrower, numbers))


@never_cache
@login_required
@require_POST
def student_password_reset(request, pk: int):
    """重置学生密码 after checking the ID card in person; the student activates again."""
    borrower = selectors.borrower_get(request.user, pk)
    try:
        student_password_reset_service(actor=request.user, borrower=borrower,
                                       identity_checked=request.POST.get("identity_checked") == "on",
                                       ip_address=request.META.get("REMOTE_ADDR"))
        messages.success(request, f"已重置{borrower.name}的登录密码：请学生在登录页“首次登录/激活账号”"
                                  "用身份证号和预留手机号（或学号）重新设置密码。")
    except AccountError as refusal:
        messages.error(request, str(refusal))
    return redirect("borrowers:detail", pk)


@login_required
def borrower_create(request):
    services.creation_orgs(request.user)  # 403 before showing a form the user cannot submit
    form = BorrowerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            borrower = services.borrower_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新增借款学生 {borrower.name}。")
            return redirect("borrowers:detail", pk=borrower.pk)
    return render(request, "borrowers/form.html", {"form": form, "title": "新增借款学生"})


@login_required
def borrower_edit(request, pk: int):
    borrower = selectors.borrower_get(request.user, pk)
    if not services.can_edit(request.user):
        raise PermissionDenied("您的角色不能修改借款学生信息。")
    initial = {name: getattr(borrower, name) for name in services.BORROWER_FIELDS if name != "id_number"}
    form = BorrowerForm(request.POST or None, user=request.user, editing=True, initial=initial)
    form.fields["id_number"].help_text = f"当前 {borrower.masked_id_number}；{forms.ID_KEEP_HELP}"
    if request.method == "POST" and form.is_valid():
        try:
            services.borrower_update(actor=request.user, borrower=borrower, data=form.service_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("borrowers:detail", pk=borrower.pk)
    return render(request, "borrowers/form.html",
                  {"form": form, "title": f"修改借款学生 {borrower.name}", "borrower": borrower})


@login_required
def co_borrower_add(request, pk: int):
    borrower = selectors.borrower_get(request.user, pk)
    if not services.can_edit_co_borrowers(request.user):
        raise PermissionDenied("您的角色不能登记共同借款人。")
    form = CoBorrowerForm(request.POST or None,
                          initial={"household_region_code": borrower.household_region_code})
    if request.method == "POST" and form.is_valid():
        try:
            services.co_borrower_add(actor=request.user, borrower=borrower, data=form.service_data(),
                                     signed_on=form.cleaned_data.get("signed_on"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已登记共同借款人。")
            return redirect("borrowers:detail", pk=borrower.pk)
    return render(request, "borrowers/form.html",
                  {"form": form, "title": f"登记共同借款人 · {borrower.name}", "borrower": borrower})


@login_required
def co_borrower_edit(request, pk: int, co_pk: int):
    co = selectors.co_borrower_get(request.user, pk, co_pk)
    if not services.can_edit_co_borrowers(request.user):
        raise PermissionDenied("您的角色不能修改共同借款人。")
    initial = {name: getattr(co, name) for name in services.CO_BORROWER_FIELDS if name != "id_number"}
    form = CoBorrowerForm(request.POST or None, editing=True, initial={**initial, "is_active": co.is_active})
    form.fields["id_number"].help_text = f"当前 {co.masked_id_number}；{forms.ID_KEEP_HELP}"
    if request.method == "POST" and form.is_valid():
        try:
            services.co_borrower_update(actor=request.user, co_borrower=co, data=form.service_data(),
                                        signed_on=form.cleaned_data.get("signed_on"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存共同借款人。")
            return redirect("borrowers:detail", pk=pk)
    return render(request, "borrowers/form.html",
                  {"form": form, "title": f"修改共同借款人 · {co.name}", "borrower": co.borrower})


@login_required
def emergency_contact_add(request, pk: int):
    borrower = selectors.borrower_get(request.user, pk)
    if not services.can_edit(request.user):
        raise PermissionDenied("您的角色不能登记紧急联系人。")
    form = EmergencyContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.emergency_contact_add(actor=request.user, borrower=borrower, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已登记紧急联系人。")
            return redirect("borrowers:detail", pk=borrower.pk)
    return render(request, "borrowers/form.html",
                  {"form": form, "title": f"登记紧急联系人 · {borrower.name}", "borrower": borrower})
