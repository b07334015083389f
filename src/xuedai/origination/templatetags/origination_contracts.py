"""The contracts block other apps' pages show: the borrower page lists the student's contracts and
offers 从学生新增 (DOMAIN.md §3.1 step 2) to the county operator who may create this year's contract.

A template tag, so the borrowers app (below origination in the import order) shows the block without
importing origination; the list comes from origination's scoped selector (ARCHITECTURE principle 4).
"""

from django import template

from ..selectors import ContractFilters, contract_list
from ..services import new_contract_refusal

register = template.Library()

SHOWN = 50


@register.inclusion_tag("origination/_borrower_contracts.html", takes_context=True)
def borrower_contracts(context, borrower):
    user = context["request"].user
    return {"contracts": list(contract_list(user, ContractFilters(borrower=borrower.pk))[:SHOWN])}


@register.inclusion_tag("origination/_new_contract_link.html", takes_context=True)
def new_contract_link(context, borrower):
    """The 新增合同 button when the signed-in county operator may create the borrower's contract
    this year; otherwise the reason, the same checks contracts_create makes."""
    request = context.get("request")
    user = getattr(request, "user", None)
    refusal = new_contract_refusal(user, borrower) if user is not None else None
    return {"borrower": borrower, "offered": refusal == "", "refusal": refusal}
