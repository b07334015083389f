"""The contracts block other apps' pages show: the borrower page lists the student's contracts.

A template tag, so the borrowers app (below origination in the import order) shows the block without
importing origination; the list comes from origination's scoped selector (ARCHITECTURE principle 4).
"""

from django import template

from ..selectors import ContractFilters, contract_list

register = template.Library()

SHOWN = 50


@register.inclusion_tag("origination/_borrower_contracts.html", takes_context=True)
def borrower_contracts(context, borrower):
    user = context["request"].user
    return {"contracts": list(contract_list(user, ContractFilters(borrower=borrower.pk))[:SHOWN])}
