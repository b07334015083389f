"""Commercial loan pages at the bank branch: the list and the application form (DOMAIN.md §3.3)."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuedai.borrowers.selectors import borrower_get, borrower_scope
from xuedai.orgs.permissions import staff_required
from xuedai.policies.products import Product

from ..commercial.services import commercial_apply
from ..models import GuaranteeKind
from ..selectors import contract_scope
from .common import REFUSALS, is_bank, report


@staff_required
def worklist(request):
    contracts = (
        contract_scope(request.user)
        .filter(product=Product.COMMERCIAL)
        .select_related("borrower", "commercial_file")
        .order_by("-id")[:500]
    )
    return render(
        request,
        "origination/commercial.html",
        {
            "contracts": contracts,
            "is_bank": is_bank(request.user),
            "kinds": GuaranteeKind.choices,
            "students": borrower_scope(request.user).order_by("name")[:500] if is_bank(request.user) else [],
        },
    )


@staff_required
@require_POST
def apply(request):
    post = request.POST
    try:
        contract = commercial_apply(
            actor=request.user,
            borrower=borrower_get(request.user, int(post.get("borrower") or 0)),
            amount=Decimal(post.get("amount") or "0"),
            term_years=int(post.get("term_years") or 0),
            guarantee_kind=post.get("guarantee_kind", ""),
            guarantor_name=post.get("guarantor_name", ""),
            guarantor_id_number=post.get("guarantor_id_number", ""),
            collateral=post.get("collateral", ""),
            credit_consent=post.get("credit_consent") == "on",
            guardian_relation=post.get("guardian_relation", ""),
            income_proof=post.get("income_proof") == "on",
            admission_letter=post.get("admission_letter") == "on",
            fee_statement=post.get("fee_statement") == "on",
        )
    except (InvalidOperation, ValueError):
        messages.error(request, "金额和期限应为数字。")
        return redirect("origination:commercial")
    except REFUSALS as exc:
        report(request, exc)
        return redirect("origination:commercial")
    messages.success(request, f"已受理商业助学贷款申请 {contract.contract_no}。")
    return redirect("origination:flow_contract", contract.pk)
