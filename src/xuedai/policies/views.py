"""Pages: the version list, a version's detail, the "新增政策版本" form, the LPR table.

Thin: check who may look, call a selector or a service, render. Policy versions are not borrower
data, so there is no data scope: every logged-in staff member may read them; only administrators
add (DOMAIN.md §1). Students get 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from xuedai import businessdate
from xuedai.orgs.models import STAFF_ROLES

from . import selectors
from .forms import LprRateForm, PolicyVersionForm
from .models import PolicyVersion
from .presentation import sections
from .products import Product
from .services import can_manage_policies, lpr_rate_create, policy_version_create


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or user.role_codes & STAFF_ROLES):
            raise PermissionDenied("政策版本仅供工作人员查看。")
        return view(request, *args, **kwargs)

    return wrapped


def _form_errors_from(exc: ValidationError, form) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@staff_required
def version_list(request):
    product = request.GET.get("product") or None
    if product not in Product.values:
        product = None
    today = businessdate.today()
    return render(request, "policies/list.html", {
        "groups": selectors.version_groups(today, product=product),
        "products": Product.choices, "product": product, "today": today,
        "can_add": can_manage_policies(request.user),
    })


@staff_required
def version_detail(request, pk: int):
    version = get_object_or_404(PolicyVersion, pk=pk)
    return render(request, "policies/detail.html", {
        "version": version, "sections": sections(version),
        "status": selectors.version_status(version, businessdate.today()),
        "previous": selectors.previous_version(version), "next": selectors.next_version(version),
        "can_add": can_manage_policies(request.user),
    })


@staff_required
def version_create(request):
    if not can_manage_policies(request.user):
        raise PermissionDenied("只有系统管理员可以新增政策版本。")
    superseded = None
    source_pk = request.GET.get("from") or request.POST.get("from")
    if source_pk and str(source_pk).isdigit():
        superseded = PolicyVersion.objects.filter(pk=source_pk).first()
    if request.method == "POST":
        form = PolicyVersionForm(request.POST)
        if form.is_valid():
            try:
                version = policy_version_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors_from(exc, form)
            else:
                messages.success(request, f"已新增政策版本「{version.name}」，原有版本保持不变。")
                return redirect("policies:detail", pk=version.pk)
    else:
        form = PolicyVersionForm(initial=PolicyVersionForm.initial_from(superseded))
    return render(request, "policies/form.html", {"form": form, "superseded": superseded})


@staff_required
def lpr_list(request):
    can_add = can_manage_policies(request.user)
    form = None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("只有系统管理员可以录入LPR。")
        form = LprRateForm(request.POST)
        if form.is_valid():
            try:
                rate = lpr_rate_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors_from(exc, form)
            else:
                messages.success(request, f"已录入{rate.effective_from:%Y-%m-%d}公布的LPR。")
                return redirect("policies:lpr")
    elif can_add:
        form = LprRateForm()
    return render(request, "policies/lpr.html", {
        "rates": selectors.lpr_history(), "form": form, "can_add": can_add,
    })
