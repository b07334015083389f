"""The bank's 发放 buttons: a whole county batch, or one campus or commercial contract.

The origination pages show the buttons; the money is the ledger's, so the POST comes here.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from xuedai.orgs.permissions import staff_required
from xuedai.origination.selectors import batch_get, contract_get
from xuedai.origination.views.common import REFUSALS, report

from .services import batch_disburse, contract_disburse
from .services.errors import ServicingError

REFUSED = (*REFUSALS, ServicingError)


@staff_required
@require_POST
def batch_disburse_view(request, pk: int):
    batch = batch_get(request.user, pk)
    try:
        n = batch_disburse(actor=request.user, batch=batch)
        messages.success(request, f"已发放{n}份合同。")
    except REFUSED as exc:
        report(request, exc)
    return redirect("origination:batch", pk)


@staff_required
@require_POST
def contract_disburse_view(request, pk: int):
    contract = contract_get(request.user, pk)
    try:
        contract_disburse(actor=request.user, contract=contract)
        messages.success(request, f"{contract.contract_no}：已发放贷款。")
    except REFUSED as exc:
        report(request, exc)
    return redirect("origination:flow_contract", pk)
