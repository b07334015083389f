"""Batches and what follows them: the county supervisor's report, the province's audit and review
with the provincial summary, the bank's review per county batch, disbursement, 学费到账查询."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.audit.services import audit_export, audit_record
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import staff_required

from .. import exports, rules, services
from ..models import LIVE_STATES, BatchState, ContractState
from ..selectors import batch_get, batch_scope, contract_scope
from ..services.transitions import batch_row
from ..workflow import BATCH_TRANSITIONS, IllegalTransition, actions_from
from .common import REFUSALS, is_bank, report

REST_ACTIONS = {"check_rest": "bank_check", "approve_rest": "bank_approve"}


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or rules.academic_year_of(businessdate.today()))
    except ValueError:
        return rules.academic_year_of(businessdate.today())


@staff_required
def batch_list(request):
    """Province and bank: the county batches in scope, with the provincial summary by county."""
    year = _year(request)
    batches = batch_scope(request.user).filter(academic_year=year).select_related("county")
    state = request.GET.get("state", "")
    if state:
        batches = batches.filter(state=state)
    sent = batch_scope(request.user).filter(
        academic_year=year,
        state__in=[
            BatchState.PROVINCE_AUDITED,
            BatchState.PROVINCE_SUBMITTED,
            BatchState.BANK_REVIEWED,
            BatchState.COUNTY_SUBMITTED,
        ],
    )
    return render(
        request,
        "origination/batches.html",
        {
            "year": year,
            "batches": batches,
            "states": BatchState.choices,
            "state": state,
            "summary": exports.province_summary_rows(sent),
            "headers": exports.PROVINCE_HEADERS,
        },
    )


@staff_required
def province_summary_xlsx(request):
    """四川省生源地贷款申请汇总表(以县为单位) [001 二.5], of the batches the counties reported."""
    year = _year(request)
    sent = batch_scope(request.user).filter(academic_year=year).exclude(
        state__in=[BatchState.SUMMARISED, BatchState.REJECTED])
    audit_record(actor=request.user, action="origination_province_summary_export", obj=request.user,
                 after={"year": year})
    data = exports.province_summary_xlsx(sent, request.user.organisation or "全部", year)
    return exports.file_response(data, f"生源地贷款申请汇总表(以县为单位)-{year}.xlsx", exports.XLSX)


@staff_required
def batch_detail(request, pk):
    batch = batch_get(request.user, pk)
    buttons = []
    for row in actions_from(BATCH_TRANSITIONS, batch.state):
        try:
            batch_row(request.user, batch, row.action)
            if row.action != "bank_close":
                buttons.append(row)
        except IllegalTransition:
            pass
    contracts = batch.contracts.select_related("borrower", "university").order_by("archive_no", "contract_no")
    page = Paginator(contracts, 100).get_page(request.GET.get("page"))
    user = request.user
    bank_can = is_bank(user) and batch.state == BatchState.PROVINCE_SUBMITTED
    counts = {state: batch.contracts.filter(state=state).count()
              for state in (ContractState.IN_REVIEW, ContractState.BANK_CHECKED)}
    batch_events = list(batch.events.all())
    for event in batch_events:
        row = BATCH_TRANSITIONS.get(event.action)
        event.action_label = row.label if row else event.action
        event.to_label = dict(BatchState.choices).get(event.to_state, event.to_state)
    return render(
        request,
        "origination/batch_detail.html",
        {
            "batch": batch,
            "buttons": buttons,
            "page": page,
            "events": batch_events,
            "bank_can": bank_can,
            # 审查人 reviews, 审批人 approves (DOMAIN.md §2; maker ≠ checker).
            "can_check": bank_can and user.has_role(Role.BANK_REVIEWER),
            "can_approve": bank_can and user.has_role(Role.BANK_APPROVER),
            "can_disburse": is_bank(user)
            and batch.state == BatchState.BANK_REVIEWED
            and batch.contracts.filter(state=ContractState.APPROVED).exists(),
            "in_review": counts[ContractState.IN_REVIEW],
            "checked": counts[ContractState.BANK_CHECKED],
        },
    )


@staff_required
@require_POST
def batch_act(request, pk, action):
    batch = batch_get(request.user, pk)
    comment = request.POST.get("comment", "")
    try:
        if action in REST_ACTIONS:
            n = services.bank_decide_rest(actor=request.user, batch=batch, action=REST_ACTIONS[action],
                                          comment=comment)
            messages.success(request, f"已{'审查' if action == 'check_rest' else '审批'}通过{n}份合同。")
        else:
            services.batch_transition(actor=request.user, batch=batch, action=action, comment=comment)
            messages.success(request, f"已{BATCH_TRANSITIONS[action].label}。")
    except REFUSALS as exc:
        report(request, exc)
    except KeyError:
        messages.error(request, "未知操作。")
    return redirect("origination:batch", pk)


@staff_required
def batch_summary_pdf(request, pk):
    """The same table on A4, with the county's signature and stamp line on every page."""
    batch = batch_get(request.user, pk)
    data = exports.county_summary_pdf(batch)
    audit_record(actor=request.user, action="origination_county_summary_export", obj=batch)
    name = f"生源地信用助学贷款借款申请汇总表-{batch.academic_year}-{batch.sequence}.pdf"
    return exports.file_response(data, name, "application/pdf")


@staff_required
def batch_summary_xlsx(request, pk):
    """生源地信用助学贷款借款申请汇总表 of one batch (printed, signed and stamped [001 二.4])."""
    batch = batch_get(request.user, pk)
    audit_record(actor=request.user, action="origination_county_summary_export", obj=batch)
    return exports.file_response(
        exports.county_summary_xlsx(batch),
        f"生源地信用助学贷款借款申请汇总表-{batch.academic_year}-{batch.sequence}.xlsx",
        exports.XLSX,
    )


@staff_required
def arrivals(request):
    """学费到账查询 [001 二.7]: disbursed contracts in scope, what went to the university and student."""
    year = _year(request)
    qs = (
        contract_scope(request.user)
        .filter(academic_year=year, state__in=[ContractState.DISBURSED, *LIVE_STATES, ContractState.SETTLED])
        .select_related("borrower", "university")
        .order_by("contract_no")
    )
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    if request.GET.get("format") == "xlsx":
        audit_export(actor=request.user, document=f"学费到账查询-{year}.xlsx", rows=qs.count())
        rows = exports.arrival_rows(qs.iterator(chunk_size=2000))
        return exports.file_response(
            exports.xlsx_bytes("学费到账查询", ARRIVAL_HEADERS, rows),
            f"学费到账查询-{year}.xlsx",
            exports.XLSX,
        )
    return render(
        request,
        "origination/arrivals.html",
        {
            "year": year,
            "page": page,
            "rows": exports.arrival_rows(page.object_list),
            "headers": ARRIVAL_HEADERS,
            "today": dt.date.today,
        },
    )


ARRIVAL_HEADERS = [
    "合同编号",
    "学生姓名",
    "高校",
    "贷款金额(元)",
    "付高校(学费住宿费)",
    "付学生(生活费)",
    "发放日期",
]
