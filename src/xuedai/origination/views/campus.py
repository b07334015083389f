"""Campus pages: the worklist with its working-day clocks, the application form, the quota, and the
documents of [002 (一)–(三)] (申请审批表, 学生审核信息表, 审查合格名册, 贷款台账)."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.audit.services import audit_export, audit_record
from xuedai.borrowers.selectors import borrower_get, borrower_scope
from xuedai.borrowers.services import can_reveal
from xuedai.documents import campus as docs
from xuedai.orgs.models import Organisation
from xuedai.orgs.permissions import allowed_if, staff_required
from xuedai.policies.products import Product

from .. import exports
from ..campus.quota import quota_grant, quota_request, quota_status
from ..campus.services import PAPERS, campus_apply
from ..models import ContractState, UniversityQuota
from ..rules import academic_year_of
from ..selectors import contract_get, contract_scope
from .common import REFUSALS, is_province, is_university, report
from .flow import campus_clocks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER_STATES = [ContractState.QUALIFIED, ContractState.APPROVED, ContractState.DISBURSED]


def _campus(user, year):
    return (
        contract_scope(user)
        .filter(product=Product.CAMPUS, academic_year=year)
        .select_related("borrower", "university", "department", "campus_file")
        .order_by("state", "id")
    )


@staff_required
def worklist(request):
    user, today = request.user, businessdate.today()
    year = int(request.GET.get("year") or academic_year_of(today))
    contracts = list(_campus(user, year))
    for c in contracts:
        c.clocks = campus_clocks(c, today)
        c.overdue = any(k.overdue and not k.done_on for k in c.clocks)
    quotas = (
        UniversityQuota.objects.filter(
            academic_year=year,
            university__in=Organisation.objects.filter(path__startswith=user.organisation.path),
        )
        if user.organisation
        else UniversityQuota.objects.none()
    )
    students = (
        borrower_scope(user).filter(university__isnull=False).order_by("name")[:500]
        if is_university(user)
        else []
    )
    return render(
        request,
        "origination/campus.html",
        {
            "contracts": contracts,
            "year": year,
            "students": students,
            "papers": PAPERS,
            "quotas": [quota_status(q) for q in quotas.select_related("university")],
            "is_university": is_university(user),
            "is_province": is_province(user),
        },
    )


def _money(raw: str) -> Decimal:
    return Decimal((raw or "0").strip() or "0")


@staff_required
@require_POST
def apply(request):
    try:
        borrower = borrower_get(request.user, int(request.POST.get("borrower") or 0))
        contract = campus_apply(
            actor=request.user,
            borrower=borrower,
            amount=_money(request.POST.get("amount")),
            tuition=_money(request.POST.get("tuition")),
            accommodation=_money(request.POST.get("accommodation")),
            **{name: request.POST.get(name) == "on" for name, _ in PAPERS},
        )
    except (InvalidOperation, ValueError):
        messages.error(request, "金额应为数字。")
        return redirect("origination:campus")
    except REFUSALS as exc:
        report(request, exc)
        return redirect("origination:campus")
    messages.success(request, f"已录入申请审批表 {contract.contract_no}。")
    return redirect("origination:flow_contract", contract.pk)


@staff_required
@require_POST
def quota(request):
    """The university requests (by 5 Sep); the province grants (by 25 Sep) [003 第八、九条]."""
    try:
        amount = _money(request.POST.get("amount"))
        if request.POST.get("quota"):
            target = UniversityQuota.objects.select_related("university").get(pk=int(request.POST["quota"]))
            quota_grant(actor=request.user, quota=target, amount=amount)
            messages.success(request, f"已下达{target.university.name}额度{amount}元。")
        else:
            quota_request(
                actor=request.user, enrolled_students=int(request.POST.get("enrolled") or 0), amount=amount
            )
            messages.success(request, f"已申请额度{amount}元。")
    except (InvalidOperation, ValueError, UniversityQuota.DoesNotExist):
        messages.error(request, "请填写正确的人数和金额。")
    except REFUSALS as exc:
        report(request, exc)
    return redirect("origination:campus")


def _university(user, contracts):
    first = contracts.first()
    return first.university if first else (user.organisation.name if user.organisation else "")


# These tables go to the bank with full ID numbers and mobiles [002 (一)(三)]: only roles that may
# see full numbers take them, and each download is audited (as the 生源地 汇总表 is).
full_id_numbers = allowed_if(can_reveal, "您的角色不能导出含完整身份证号的名册。")


def _full_id_export(request, action: str, year: int) -> None:
    audit_record(actor=request.user, action=action, obj=request.user.organisation or request.user,
                 after={"academic_year": year})


@staff_required
@full_id_numbers
def review_info_xlsx(request):
    """学生审核信息表: the applications the loan office has reviewed or sent [002 (一)1]."""
    year = int(request.GET.get("year") or academic_year_of(businessdate.today()))
    qs = _campus(request.user, year).filter(
        state__in=[
            ContractState.OFFICE_REVIEWED,
            ContractState.OFFICE_SENT,
            ContractState.IN_REVIEW,
            ContractState.BANK_CHECKED,
        ]
    )
    _full_id_export(request, "origination_campus_review_info_export", year)
    data = docs.review_info_xlsx(list(qs), _university(request.user, qs), year)
    return exports.file_response(data, f"学生审核信息表-{year}.xlsx", XLSX)


@staff_required
@full_id_numbers
def roster(request, fmt):
    """审查合格名册 from the bank's approvals [002 (三)]."""
    year = int(request.GET.get("year") or academic_year_of(businessdate.today()))
    qs = _campus(request.user, year).filter(state__in=ROSTER_STATES)
    uni = _university(request.user, qs)
    _full_id_export(request, f"origination_campus_roster_export_{fmt}", year)
    if fmt == "pdf":
        return exports.file_response(
            docs.qualified_roster_pdf(list(qs), uni, year), f"审查合格名册-{year}.pdf", "application/pdf"
        )
    return exports.file_response(
        docs.qualified_roster_xlsx(list(qs), uni, year), f"审查合格名册-{year}.xlsx", XLSX
    )


@staff_required
def ledger(request):
    """贷款台账 of every signed campus loan in scope [002 (三)2]."""
    qs = contract_scope(request.user).filter(product=Product.CAMPUS, signed_on__isnull=False).order_by("id")
    audit_export(actor=request.user, document="贷款台账.xlsx", rows=qs.count())
    return docs.loan_ledger_response(qs, _university(request.user, qs))


@staff_required
def approval_form(request, pk):
    contract = contract_get(request.user, pk)
    audit_export(actor=request.user, document="国家助学贷款申请审批表.pdf", obj=contract,
                 subject=contract.borrower)
    return exports.file_response(
        docs.approval_form_pdf(contract), f"申请审批表-{contract.contract_no}.pdf", "application/pdf"
    )
