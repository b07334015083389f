"""One contract: its data, timeline, the actions the user may take now, print buttons."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai.audit.services import audit_export
from xuedai.orgs.permissions import staff_required

from .. import exports, services
from ..forms import ReceiptForm
from ..selectors import contract_get, contract_timeline
from ..services.disbursement import split
from ..services.transitions import action_label, contract_actions, contract_can
from .common import REFUSALS, report

# Actions with a page of their own (a form) rather than a button on the contract page.
OWN_PAGE = {"create", "edit", "receipt", "resubmit"}
BANK = {"bank_check", "bank_approve", "bank_return", "bank_refuse"}
PRINTABLE_STATES = {
    "signed",
    "receipted",
    "in_review",
    "returned",
    "approved",
    "disbursed",
    "repaying",
    "overdue",
    "settled",
}


def _labelled(events) -> list:
    """Each event with Chinese labels for its action and states (batch events carry batch states)."""
    from xuedai.policies.products import Product

    from ..models import BatchEvent, BatchState, ContractState
    from ..workflow import BATCH_TRANSITIONS

    states = {**dict(ContractState.choices), **dict(BatchState.choices)}
    for event in events:
        if isinstance(event, BatchEvent):
            row = BATCH_TRANSITIONS.get(event.action)
            event.action_label = row.label if row else event.action
        else:
            event.action_label = action_label(Product.HOME_COUNTY, event.action)
        event.from_label = states.get(event.from_state, "—")
        event.to_label = states.get(event.to_state, event.to_state)
    return events


@staff_required
def detail(request, pk):
    contract = contract_get(request.user, pk)
    if contract.product != "home_county":  # campus and commercial have their own table and page
        return redirect("origination:flow_contract", pk)
    user = request.user
    buttons = [row for row in contract_actions(user, contract) if row.action not in OWN_PAGE]
    return render(
        request,
        "origination/contract_detail.html",
        {
            "c": contract,
            "timeline": _labelled(contract_timeline(contract)),
            "buttons": buttons,
            "can_edit": contract_can(user, contract, "edit"),
            "can_receipt": contract_can(user, contract, "receipt"),
            "can_resubmit": contract_can(user, contract, "resubmit"),
            "receipt_form": ReceiptForm(
                initial={
                    "tuition": contract.tuition,
                    "accommodation": contract.accommodation,
                    "arrears": contract.arrears,
                }
            ),
            "printable": contract.state in PRINTABLE_STATES,
            "prints": exports.PRINTS,
            "split": split(contract),
        },
    )


@staff_required
@require_POST
def act(request, pk, action):
    """One button of the transition table, with its comment."""
    contract = contract_get(request.user, pk)
    comment = request.POST.get("comment", "")
    try:
        if action in BANK:
            services.bank_decide(actor=request.user, contract=contract, action=action, comment=comment)
        elif action == "resubmit":
            services.contract_resubmit(actor=request.user, contract=contract, comment=comment)
        elif action == "receipt":
            form = ReceiptForm(request.POST)
            form.is_valid()
            services.receipt_record(actor=request.user, contract=contract, **form.cleaned_data)
        else:
            services.contract_transition(
                actor=request.user, contract=contract, action=action, comment=comment
            )
        messages.success(request, f"{contract.contract_no}：已{action_label(contract.product, action)}。")
    except REFUSALS as exc:
        report(request, exc)
    if request.POST.get("next") == "batch" and contract.batch_id:
        return redirect("origination:batch", contract.batch_id)
    return redirect("origination:contract", pk)


@staff_required
def print_document(request, pk, kind):
    """合同(一式4份), 受理证明, 违约责任告知书, 申请表: PDFs from the documents app where it has them."""
    contract = contract_get(request.user, pk)
    if kind not in exports.PRINTS or (kind != "application" and contract.state not in PRINTABLE_STATES):
        messages.error(request, "负责人复核通过后才能打印合同与受理证明。")
        return redirect("origination:contract", pk)
    title = exports.PRINTS[kind][0]
    audit_export(actor=request.user, document=f"{title}.pdf", obj=contract, subject=contract.borrower)
    return exports.file_response(
        exports.print_pdf(kind, contract), f"{title}-{contract.contract_no}.pdf", "application/pdf"
    )
