"""The county centre's pages: the worklist, 新增合同 / 从学生新增, the supervisor's check queue,
season dates, 汇总并提交 and the withdrawal after the receipt deadline [001 附件三 三]."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.borrowers.selectors import borrower_get
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import roles_required

from .. import rules, services
from ..forms import ContractForm, SeasonForm
from ..models import ApplicationState, ContractState, CountySeason
from ..selectors import application_scope, batch_scope, contract_get, contract_scope
from .common import REFUSALS, report

county_staff = roles_required(Role.OPERATOR, Role.SUPERVISOR)
LIMIT = 200  # rows per worklist table; the counts show the whole


def _ids(request, name="ids") -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@county_staff
def worklist(request):
    user = request.user
    year = int(request.GET.get("year") or rules.academic_year_of(businessdate.today()))
    contracts = (
        contract_scope(user).filter(academic_year=year, product="home_county").select_related("borrower")
    )
    sections = []
    for state, title in [
        (ContractState.RETURNED, "银行退回待修改"),
        (ContractState.APPLIED, "待负责人复核"),
        (ContractState.SIGNED, "已签订待回执"),
        (ContractState.RECEIPTED, "已回执待汇总"),
    ]:
        qs = contracts.filter(state=state).order_by("contract_no")
        sections.append({"state": state, "title": title, "count": qs.count(), "rows": qs[:LIMIT]})
    applications = (
        application_scope(user)
        .filter(academic_year=year, state=ApplicationState.SUBMITTED)
        .select_related("borrower", "co_borrower")
        .order_by("submitted_on", "id")
    )
    season = CountySeason.objects.filter(county=user.organisation, academic_year=year).first()
    return render(
        request,
        "origination/county.html",
        {
            "year": year,
            "sections": sections,
            "applications": applications[:LIMIT],
            "application_count": applications.count(),
            "season_form": SeasonForm(initial=season.__dict__ if season else None),
            "season": season,
            "locked": rules.year_locked(user.organisation, year) if user.organisation else False,
            "batches": batch_scope(user).filter(academic_year=year),
            "is_operator": user.has_role(Role.OPERATOR),
            "is_supervisor": user.has_role(Role.SUPERVISOR),
        },
    )


@county_staff
@require_POST
def accept_applications(request):
    """新增合同 from the ticked online applications (all or nothing)."""
    applications = list(
        application_scope(request.user).filter(pk__in=_ids(request)).select_related("borrower", "co_borrower")
    )
    if not applications:
        messages.error(request, "请先勾选要新增合同的申请。")
        return redirect("origination:county")
    try:
        created = services.contracts_from_applications(actor=request.user, applications=applications)
        messages.success(request, f"已新增{len(created)}份合同，待负责人复核。")
    except REFUSALS as exc:
        report(request, exc)
    return redirect("origination:county")


@county_staff
def contract_create(request, borrower_pk):
    """从学生新增: a borrower the county already has (from the borrower's page)."""
    borrower = borrower_get(request.user, borrower_pk)
    form = ContractForm(
        request.POST or None,
        borrower=borrower,
        initial={"co_borrower": borrower.co_borrowers.filter(is_active=True).first()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            [contract] = services.contracts_create(
                actor=request.user,
                items=[
                    services.NewContract(
                        borrower=borrower,
                        co_borrower=d["co_borrower"],
                        amount=d["amount"],
                        term_years=d["term_years"],
                        tuition=d["tuition"] or 0,
                        accommodation=d["accommodation"] or 0,
                    )
                ],
            )
        except REFUSALS as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, f"已新增合同 {contract.contract_no}，待负责人复核。")
            return redirect("origination:contract", contract.pk)
    return render(
        request,
        "origination/contract_form.html",
        {"form": form, "borrower": borrower, "title": f"从学生新增合同：{borrower.name}"},
    )


@county_staff
def contract_edit(request, pk):
    contract = contract_get(request.user, pk)
    form = ContractForm(
        request.POST or None,
        borrower=contract.borrower,
        initial={
            "amount": contract.amount,
            "term_years": contract.term_years,
            "co_borrower": contract.co_borrower,
            "tuition": contract.tuition,
            "accommodation": contract.accommodation,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            services.contract_update(
                actor=request.user, contract=contract, data=data, comment=request.POST.get("comment", "")
            )
        except REFUSALS as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, "合同已修改。")
            return redirect("origination:contract", contract.pk)
    return render(
        request,
        "origination/contract_form.html",
        {
            "form": form,
            "borrower": contract.borrower,
            "contract": contract,
            "title": f"修改合同 {contract.contract_no}",
        },
    )


@county_staff
@require_POST
def check_many(request):
    """负责人复核: the ticked contracts pass the check at once."""
    try:
        n = services.contracts_check(actor=request.user, contract_ids=_ids(request))
        messages.success(request, f"已复核通过{n}份合同，可打印合同与受理证明。")
    except REFUSALS as exc:
        report(request, exc)
    return redirect("origination:county")


@county_staff
@require_POST
def season(request):
    form = SeasonForm(request.POST)
    if form.is_valid():
        try:
            services.season_set(
                actor=request.user, academic_year=int(request.POST.get("year")), **form.cleaned_data
            )
            messages.success(request, "受理日期已保存。")
        except REFUSALS as exc:
            report(request, exc)
    return redirect("origination:county")


@county_staff
@require_POST
def summarise(request):
    try:
        batch = services.batch_submit(actor=request.user)
        messages.success(request, f"已汇总{batch.contract_count}份合同（{batch}），待负责人复核上报。")
        return redirect("origination:batch", batch.pk)
    except REFUSALS as exc:
        report(request, exc)
    return redirect("origination:county")


@county_staff
@require_POST
def withdraw(request):
    """撤销未回执: the deadline batch, run by hand (a nightly job runs it too)."""
    try:
        n = services.withdraw_unreceived(
            county=request.user.organisation, actor=request.user, academic_year=int(request.POST.get("year"))
        )
        messages.success(request, f"已撤销{n}份未回执的申请。")
    except REFUSALS as exc:
        report(request, exc)
    return redirect("origination:county")
