"""``{% new_contract_link borrower %}``: 从学生新增 from a borrower's page (DOMAIN.md §3.1 step 2).

The borrower page belongs to the borrowers app, which must not import origination; the page loads
this tag library instead, and the tag asks origination whether the signed-in county operator may
create this year's contract for the borrower — the button when yes, the reason when not.
"""

from django import template

from ..services import new_contract_refusal

register = template.Library()


@register.inclusion_tag("origination/_new_contract_link.html", takes_context=True)
def new_contract_link(context, borrower):
    request = context.get("request")
    user = getattr(request, "user", None)
    refusal = new_contract_refusal(user, borrower) if user is not None else None
    return {"borrower": borrower, "offered": refusal == "", "refusal": refusal}
