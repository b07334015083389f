"""The university's receipt pages: contracts waiting for a receipt, one by one or from an .xlsx."""

from django.contrib import messages
from django.shortcuts import redirect, render

from xuedai.audit.services import audit_export
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import roles_required

from .. import exports, services
from ..forms import ImportForm
from ..models import ContractState
from ..selectors import contract_scope
from ..services.receipts import COLUMNS, receipt_template_rows

officer_required = roles_required(Role.UNIVERSITY_OFFICER)


@officer_required
def receipts(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.receipts_import(actor=request.user, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, f"已导入{result.rows}条回执。")
            return redirect("origination:receipts")
    waiting = (
        contract_scope(request.user)
        .filter(state=ContractState.SIGNED)
        .select_related("borrower", "county")
        .order_by("contract_no")
    )
    done = contract_scope(request.user).filter(state=ContractState.RECEIPTED).count()
    return render(
        request,
        "origination/receipts.html",
        {
            "form": form,
            "result": result,
            "waiting": waiting[:300],
            "waiting_count": waiting.count(),
            "done": done,
        },
    )


@officer_required
def receipts_template(request):
    rows = receipt_template_rows(request.user)
    audit_export(actor=request.user, document="电子回执导入模板.xlsx", rows=len(rows))
    return exports.file_response(
        exports.xlsx_bytes("电子回执", COLUMNS, rows),
        "电子回执导入模板.xlsx",
        exports.XLSX,
    )
