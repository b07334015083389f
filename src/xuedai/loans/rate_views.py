"""利率调整: the province sees which contracts a cut for existing borrowers reprices, and registers
the rate changes due by today (DOMAIN.md §1 interest rate).

The preview is scoped to the user (a province centre sees its counties and universities); the
registration writes, set-based, every change the policy versions and the LPR history give the live
contracts of the user's province up to the business date (``loans.services.rates``) — not only the
notice shown, so a contract's schedule is always whole up to that day.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from xuedai import businessdate
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import allowed_if, roles_required
from xuedai.orgs.scope import sees_everything

from .rate_selectors import notices, reaching_day, repricing
from .services.rates import rate_changes_post

VIEW_ROLES = (
    Role.OPERATOR,
    Role.SUPERVISOR,
    Role.BANK_REVIEWER,
    Role.BANK_APPROVER,
    Role.AUDITOR,
    Role.ADMIN,
)


def may_register(user) -> bool:
    """A province-level (or national) supervisor, or the administrator, registers rate changes."""
    if user.is_superuser or user.has_role(Role.ADMIN):
        return True
    org = user.organisation
    return (
        user.has_role(Role.SUPERVISOR)
        and org is not None
        and org.kind in ("province_centre", "province_loan_office")
    )


def _province(user) -> str | None:
    if sees_everything(user) or user.organisation is None:
        return None
    return user.organisation.province_code or None


@roles_required(*VIEW_ROLES)
def repricing_list(request):
    rows = [{"notice": n, "on": reaching_day(n)} for n in notices()]
    return render(request, "loans/repricing_list.html", {"rows": rows})


@roles_required(*VIEW_ROLES)
def repricing_detail(request, pk: int):
    notice = get_object_or_404(notices(), pk=pk)
    result = repricing(request.user, notice)
    page = Paginator(
        result.accounts.select_related("contract__borrower", "contract__county").order_by(
            "contract__county__name", "contract_id"
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "loans/repricing_detail.html",
        {
            "r": result,
            "page": page,
            "today": businessdate.today(),
            "may_register": may_register(request.user),
        },
    )


@roles_required(Role.SUPERVISOR, Role.ADMIN)
@allowed_if(may_register, "只有省级负责人或系统管理员可以登记利率调整。")
def repricing_register(request, pk: int):
    notice = get_object_or_404(notices(), pk=pk)
    if request.method != "POST":
        return redirect("loans:repricing", notice.pk)
    today = businessdate.today()
    result = rate_changes_post(actor=request.user, until=today, province=_province(request.user))
    text = (
        f"已登记截至{today:%Y-%m-%d}的利率调整：{len(result.contracts):,}份合同、{result.changes:,}次调整。"
    )
    if result.late:
        text += f"另有{len(result.late):,}份合同的调整生效日早于其最近一次结息，未登记（已结利息不改写）。"
    messages.success(request, text)
    return redirect("loans:repricing", notice.pk)
