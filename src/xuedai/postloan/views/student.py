"""A student's own servicing pages (phone width, class student-page; DOMAIN.md §9): what is due this
year and when, the whole plan, every posting explained, early repayment with its deduction day, the
payment channel and how to pay, the 已结清凭证, and the 非恶意逾期 certificate. Each contract is
reached through the scoped selector, so another student's contract is a 404."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.audit.services import audit_export
from xuedai.documents.pdf import pdf_response
from xuedai.loans.amount_due import DUE_RELATED, borrower_due, contract_due
from xuedai.loans.due_prefetch import prefetch_due
from xuedai.loans.rate_statement import rate_history
from xuedai.origination.models import LIVE_STATES, ContractState
from xuedai.policies.cache import attach_policy_versions

from .. import request_selectors as sel
from ..documents.certificates import non_malicious_certificate_pdf, settlement_certificate_pdf
from ..services.selfservice import certificate_request, early_repayment_request, was_overdue
from .common import own_borrower, report

SHOWN_STATES = (*LIVE_STATES, ContractState.SETTLED)


def _account(contract):
    from xuedai.loans.models import LoanAccount

    return LoanAccount.objects.filter(pk=contract.pk).select_related("contract__policy_version").first()


def _live(contract, today) -> bool:
    disbursed = contract.disbursed_on
    return contract.state in LIVE_STATES and disbursed is not None and disbursed <= today


@login_required
def my_loans(request):
    """下次应还: the next amount and day over all live contracts, where to deposit it and by when
    (loans.amount_due, the answer every student page gives)."""
    borrower = own_borrower(request.user)
    today = businessdate.today()
    # The borrower and the policy versions are known already (the request's user, the per-process
    # policies.cache): joined here they were a third of the query's cost (bench/load_web.py).
    contracts = list(sel.contracts_in_scope(request.user).filter(borrower=borrower, state__in=SHOWN_STATES)
                     .select_related(None).select_related(*DUE_RELATED).order_by("academic_year", "pk"))
    for contract in contracts:
        contract.borrower = borrower
    prefetch_due(contracts)
    attach_policy_versions(contracts)
    live = [c for c in contracts if _live(c, today)]
    return render(request, "postloan/student/loans.html", {
        "borrower": borrower, "contracts": contracts, "due": borrower_due(borrower, today, live),
        "today": today,
    })


def _explained_postings(account, contract):
    from xuedai.loans.explain import explain
    from xuedai.loans.selectors import account_postings
    from xuedai.loans.services.ledger import account_terms

    days = account_terms(account).settlement_dates()
    return [{"posting": p, "text": explain(p, contract=contract, settlement_days=days)}
            for p in account_postings(account)]


@login_required
def my_contract(request, pk: int):
    borrower = own_borrower(request.user)
    contract = sel.contract_get(request.user, pk)
    today = businessdate.today()
    account = _account(contract)
    due = contract_due(contract, today, account) if _live(contract, today) else None
    periods = [p for p in rate_history(contract) if p["start"] <= today]
    return render(request, "postloan/student/contract.html", {
        "rate_periods": periods, "current_rate": periods[-1]["rate"] if periods else contract.annual_rate,
        "borrower": borrower, "contract": contract, "account": account, "due": due,
        "postings": _explained_postings(account, contract) if account else [],
        "early": account.early_repayments.order_by("-deduct_on") if account else [],
        "status_changes": contract.status_changes.all(), "plan_changes": contract.plan_changes.all(),
        "certificates": contract.overdue_certificates.all(), "can_request_certificate": was_overdue(contract),
        "settled": contract.state == ContractState.SETTLED, "today": today,
    })


@require_POST
@login_required
def my_early_repayment(request, pk: int):
    own_borrower(request.user)
    contract = sel.contract_get(request.user, pk)
    account = _account(contract)
    if account is None or contract.state not in LIVE_STATES:
        raise Http404("该合同没有可提前还款的贷款账户")
    principal = None
    raw = (request.POST.get("principal") or "").strip()
    try:
        if raw:
            principal = Decimal(raw)
        application = early_repayment_request(actor=request.user, account=account, principal=principal)
    except (InvalidOperation, ValidationError) as exc:
        report(request, exc if isinstance(exc, ValidationError) else ValidationError("请输入正确的金额"))
    else:
        messages.success(request, early_repayment_confirmation(application, contract_due(
            contract, businessdate.today(), _account(contract))))
    return redirect("postloan:my_contract", pk=contract.pk)


def early_repayment_confirmation(application, due) -> str:
    """The confirmation says the amount and day every page now shows (loans.amount_due)."""
    what = f"提前归还本金 {application.principal:,.2f} 元" if application.principal else "全部提前还款"
    text = f"已提交{what}申请，扣款日为 {application.deduct_on:%Y年%-m月%-d日}。"
    planned = next((d for d in due.upcoming if d.early and d.on == application.deduct_on), None)
    if planned is not None:
        text += (f"届时应还 {planned.total:,.2f} 元（本金 {planned.principal:,.2f} 元、利息 "
                 f"{planned.interest:,.2f} 元），请最迟于 {planned.deposit_by:%Y年%-m月%-d日} 扣款前存入"
                 f"{due.channel.where}。")
    else:
        text += "请在扣款日前将足额资金存入还款账户。"
    return text


@login_required
def settlement_pdf(request, pk: int):
    """已结清凭证 for the student or staff in scope; only a settled contract has one [001 (三)]."""
    contract = sel.contract_get(request.user, pk)
    if contract.state != ContractState.SETTLED:
        raise Http404("合同尚未结清")
    audit_export(actor=request.user, document="已结清凭证.pdf", obj=contract, subject=contract.borrower)
    return pdf_response(settlement_certificate_pdf(contract, businessdate.today()),
                        f"已结清凭证-{contract.contract_no}.pdf")


@login_required
def my_certificate_request(request, pk: int):
    own_borrower(request.user)
    contract = sel.contract_get(request.user, pk)
    if request.method == "POST":
        try:
            certificate_request(actor=request.user, contract=contract, reason=request.POST.get("reason", ""),
                                evidence=request.FILES.get("evidence"))
        except ValidationError as exc:
            report(request, exc)
        else:
            messages.success(request, "已提交非恶意逾期证明申请，县资助中心或学校审核通过后可在此下载。")
            return redirect("postloan:my_contract", pk=contract.pk)
    return render(request, "postloan/student/certificate_form.html", {"contract": contract})


@login_required
def certificate_pdf(request, pk: int):
    certificate = sel.certificate_get(request.user, pk)
    try:
        data = non_malicious_certificate_pdf(certificate, businessdate.today())
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    audit_export(actor=request.user, document="非恶意逾期证明.pdf", obj=certificate,
                 subject=certificate.contract.borrower)
    return pdf_response(data, f"非恶意逾期证明-{certificate.pk}.pdf")
