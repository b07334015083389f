"""Pages of the risk-compensation fund: the 实际发放汇总表, the year's accruals (申请书 / 确认书),
the 20 Dec settlements and each fund's ledger (DOMAIN.md §6; seed [003] 第二十二–二十八条)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.audit.services import audit_export
from xuedai.documents.pdf import file_response, pdf_response
from xuedai.documents.xlsx import XLSX_TYPE
from xuedai.orgs.permissions import may_open

from . import documents, selectors
from .access import bank_only, fund_readers, is_bank, is_province_office, province_office_only
from .dashboard import money_context
from .models import AccrualStatus
from .services import FundsError, accrual_confirm, accrual_request, settlement_run


def latest_ended_year(today: dt.date) -> int:
    """The last academic year that has ended (its 31 Aug is behind us)."""
    return today.year if today >= dt.date(today.year, 9, 1) else today.year - 1


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return latest_ended_year(businessdate.today())


def _org_line(user) -> str:
    return f"单位：{user.organisation.name}" if user.organisation_id else "单位：全部"


@fund_readers
def riskfund_home(request):
    year = _year(request)
    rows = selectors.disbursement_summary(request.user, year)
    accruals = list(selectors.accruals(request.user, year).order_by("account__organisation__name"))
    _table, total = documents.disbursement_rows(rows)
    return render(
        request,
        "funds/riskfund_home.html",
        {
            "year": year,
            "year_label": documents._year_label(year),
            "rows": rows,
            "total": total,
            "accruals": accruals,
            "accounts": selectors.fund_accounts(request.user),
            "requested": any(a.status == AccrualStatus.REQUESTED for a in accruals),
            "may_request": may_open(request.user, reverse("funds:accrual_request")),
            "may_confirm": may_open(request.user, reverse("funds:accrual_confirm")),
            "settlement_days": selectors.settlement_days(request.user),
        },
    )


@fund_readers
def disbursement_export(request, fmt: str):
    if fmt not in ("xlsx", "pdf"):
        raise Http404("没有这种格式")
    year = _year(request)
    rows = selectors.disbursement_summary(request.user, year)
    name = f"{documents.DISBURSEMENT_TITLE}-{year}"
    audit_export(actor=request.user, document=f"{documents.DISBURSEMENT_TITLE}.{fmt}", rows=len(rows))
    if fmt == "pdf":
        return pdf_response(documents.disbursement_pdf(rows, year, _org_line(request.user)), f"{name}.pdf")
    return file_response(documents.disbursement_xlsx(rows, year), f"{name}.xlsx", XLSX_TYPE)


@fund_readers
@province_office_only
@require_POST
def accrual_request_view(request):
    year = _year(request)
    try:
        created = accrual_request(actor=request.user, year=year)
        messages.success(request, f"已提出{year}学年风险补偿金申请 {len(created)} 条。")
    except FundsError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('funds:riskfund')}?year={year}")


@fund_readers
@bank_only
@require_POST
def accrual_confirm_view(request):
    year = _year(request)
    chosen = [int(v) for v in request.POST.getlist("accrual") if v.isdigit()]
    pending = selectors.accruals(request.user, year).filter(status=AccrualStatus.REQUESTED)
    if chosen:
        pending = pending.filter(pk__in=chosen)
    try:
        n = accrual_confirm(actor=request.user, accruals=list(pending))
        messages.success(request, f"已确认风险补偿金到账 {n} 条。")
    except FundsError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('funds:riskfund')}?year={year}")


@fund_readers
def accruals_export(request):
    year = _year(request)
    accruals = list(selectors.accruals(request.user, year).order_by("account__organisation__name"))
    audit_export(actor=request.user, document="风险补偿金计提表.xlsx", rows=len(accruals))
    return file_response(documents.accruals_xlsx(accruals, year), f"风险补偿金计提表-{year}.xlsx", XLSX_TYPE)


@fund_readers
def accrual_document(request, pk: int, kind: str):
    """申请书 or 确认书 of one fund for one academic year (all its policy-version lines)."""
    if kind not in ("application", "confirmation"):
        raise Http404("没有这种文书")
    account = selectors.fund_account_get(request.user, pk)
    year = _year(request)
    accruals = list(
        selectors.accruals(request.user, year).filter(account=account).order_by("policy_version_id")
    )
    if not accruals:
        raise Http404("该学年没有风险补偿金申请")
    org = account.organisation
    if kind == "application":
        requester = (
            request.user.organisation.name
            if is_province_office(request.user) and request.user.organisation_id
            else "省学生资助管理中心(省教贷办)"
        )
        data, title = documents.application_pdf(accruals, year, org, requester), documents.APPLICATION_TITLE
    else:
        if any(a.status != AccrualStatus.CONFIRMED for a in accruals):
            raise Http404("银行尚未确认到账")
        bank = (
            request.user.organisation.name
            if is_bank(request.user) and request.user.organisation_id
            else "国家开发银行"
        )
        data, title = documents.confirmation_pdf(accruals, year, org, bank), documents.CONFIRMATION_TITLE
    audit_export(actor=request.user, document=f"{title}.pdf", obj=account)
    return pdf_response(data, f"{title}-{year}-{account.pk}.pdf")


@fund_readers
def settlements_page(request):
    days = selectors.settlement_days(request.user)
    raw = request.GET.get("on", "")
    try:
        on = dt.date.fromisoformat(raw) if raw else (days[0] if days else None)
    except ValueError:
        on = days[0] if days else None
    settlements = (
        list(selectors.settlements(request.user, on).order_by("account__organisation__name")) if on else []
    )
    today = businessdate.today()
    return render(
        request,
        "funds/settlements.html",
        {
            "on": on,
            "days": days,
            "settlements": settlements,
            "today": today,
            "is_settlement_day": (today.month, today.day) == (12, 20),
            "may_run": may_open(request.user, reverse("funds:settlement_run")),
            "share_accounts": selectors.share_accounts(request.user),
        },
    )


@fund_readers
@bank_only
@require_POST
def settlement_run_view(request):
    try:
        done = settlement_run(actor=request.user)
        messages.success(request, f"已完成风险补偿金结算 {len(done)} 个账户。")
        return redirect(f"{reverse('funds:settlements')}?on={done[0].settled_on.isoformat()}")
    except FundsError as exc:
        messages.error(request, str(exc))
    return redirect("funds:settlements")


@fund_readers
def settlements_export(request):
    try:
        on = dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        raise Http404("请选择结算日") from None
    settlements = list(selectors.settlements(request.user, on).order_by("account__organisation__name"))
    audit_export(actor=request.user, document="风险补偿金结算表.xlsx", rows=len(settlements))
    return file_response(
        documents.settlements_xlsx(settlements, on), f"风险补偿金结算表-{on:%Y}.xlsx", XLSX_TYPE
    )


@fund_readers
def settlement_detail(request, pk: int):
    s = selectors.settlement_get(request.user, pk)
    return render(
        request,
        "funds/settlement_detail.html",
        {"s": s, "parts": documents.settlement_parts(s), "lines": selectors.settlement_posting_lines(s)},
    )


@fund_readers
def settlement_document(request, pk: int):
    s = selectors.settlement_get(request.user, pk)
    audit_export(actor=request.user, document=f"{documents.SETTLEMENT_TITLE}.pdf", obj=s)
    return pdf_response(
        documents.settlement_pdf(s), f"{documents.SETTLEMENT_TITLE}-{s.settled_on:%Y}-{s.account_id}.pdf"
    )


@fund_readers
def account_detail(request, pk: int):
    account = selectors.fund_account_get(request.user, pk)
    return render(
        request,
        "funds/account_detail.html",
        {
            "account": account,
            "postings": account.postings.order_by("-business_date", "-pk")[:200],
            "accruals": account.accruals.select_related("policy_version").order_by("-academic_year"),
            "settlements": account.settlements.order_by("-settled_on"),
        },
    )


@fund_readers
def money_dashboard(request):
    """财政资金看板: receivable, fund balances and settlements per university or county."""
    return render(request, "funds/dashboard.html", {"money": money_context(request.user)})
