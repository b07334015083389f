"""The campus and commercial contract page: data, papers, clocks, the buttons the table allows this
user now, the forms some steps need, and the timeline (DOMAIN.md §3.2, §3.3)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.orgs.permissions import staff_required
from xuedai.policies.products import Product

from ..campus import rules as campus_rules
from ..campus.services import missing_papers
from ..campus.workflow import OWN_FORM as CAMPUS_FORMS
from ..commercial.services import extension_grant, prepayment_notice
from ..commercial.workflow import OWN_FORM as COMMERCIAL_FORMS
from ..models import LIVE_STATES, CommercialFile, ContractState, RepaymentMethod
from ..selectors import contract_get
from ..services.transitions import action_label, contract_actions, contract_can, contract_transition
from .common import REFUSALS, report

STATES = dict(ContractState.choices)


def campus_clocks(contract, today: dt.date) -> list:
    """The 3-day province clock and the 5-day bank clock [003 第十四、十五条], once they have started."""
    file = getattr(contract, "campus_file", None)
    clocks = []
    if file and file.sent_on:
        clocks.append(
            campus_rules.clock(
                "省教贷办转送",
                file.sent_on,
                campus_rules.PROVINCE_WORKING_DAYS,
                today,
                done_on=file.forwarded_on,
            )
        )
    if file and file.forwarded_on:
        clocks.append(
            campus_rules.clock(
                "银行审批", file.forwarded_on, campus_rules.BANK_WORKING_DAYS, today, done_on=file.approved_on
            )
        )
    return clocks


def _timeline(contract):
    events = list(contract.events.select_related("actor").order_by("at", "id"))
    for e in events:
        e.action_label = action_label(contract.product, e.action)
        e.from_label, e.to_label = STATES.get(e.from_state, "—"), STATES.get(e.to_state, e.to_state)
    return events


@staff_required
def detail(request, pk):
    contract = contract_get(request.user, pk)
    if contract.product == Product.HOME_COUNTY:
        return redirect("origination:contract", pk)
    user, today = request.user, businessdate.today()
    own = CAMPUS_FORMS if contract.product == Product.CAMPUS else COMMERCIAL_FORMS
    actions = contract_actions(user, contract)
    file = getattr(contract, "campus_file", None) if contract.product == Product.CAMPUS else None
    cfile = CommercialFile.objects.filter(contract=contract).first()
    return render(
        request,
        "origination/flow_contract.html",
        {
            "c": contract,
            "file": file,
            "cfile": cfile,
            "today": today,
            "buttons": [row for row in actions if row.action not in own],
            "can": {row.action for row in actions},
            "missing": missing_papers(file) if file else [],
            "objections": contract.notice_objections.all(),
            "clocks": campus_clocks(contract, today) if file else [],
            "instalments": contract.instalments.all(),
            "timeline": _timeline(contract),
            "methods": RepaymentMethod.choices,
            "live": contract.state in LIVE_STATES and contract.product == Product.COMMERCIAL,
            "can_disburse": contract_can(user, contract, "disburse"),
        },
    )


@staff_required
@require_POST
def act(request, pk, action):
    """One row of the product's table; the POST carries what the step needs (objection, report)."""
    contract = contract_get(request.user, pk)
    data = {
        k: request.POST.get(k, "")
        for k in (
            "raised_by",
            "content",
            "objection_id",
            "resolution",
            "amount",
            "term_years",
            "annual_rate",
            "repayment_method",
            "tranches",
            "opinion",
        )
    }
    data = {k: v for k, v in data.items() if v != ""}
    try:
        contract_transition(
            actor=request.user,
            contract=contract,
            action=action,
            comment=request.POST.get("comment", ""),
            **data,
        )
        label = action_label(contract.product, action)
        messages.success(request, f"{contract.contract_no}：已办理「{label}」。")
    except REFUSALS as exc:
        report(request, exc)
    return redirect("origination:flow_contract", pk)


@staff_required
@require_POST
def commercial_after(request, pk, kind):
    """提前还款申请 or 展期 on a disbursed commercial loan."""
    contract = contract_get(request.user, pk)
    try:
        when = dt.date.fromisoformat(request.POST.get("date", ""))
        if kind == "prepay":
            raw = request.POST.get("amount", "").strip()
            prepayment_notice(
                actor=request.user, contract=contract, prepay_on=when, amount=Decimal(raw) if raw else None
            )
            messages.success(request, f"已登记提前还款申请：{when:%Y-%m-%d}。")
        else:
            extension_grant(
                actor=request.user,
                contract=contract,
                new_maturity=when,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, f"已展期至{when:%Y-%m-%d}。")
    except (ValueError, InvalidOperation):
        messages.error(request, "请填写正确的日期和金额。")
    except REFUSALS as exc:
        report(request, exc)
    return redirect("origination:flow_contract", pk)
