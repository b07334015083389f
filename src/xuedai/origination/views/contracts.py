"""合同查询: the contracts in the user's scope, filtered by state and academic year — the list behind
every contract count on the home page (a count a person cannot open is a dead end)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from xuedai.orgs.permissions import staff_required

from ..models import ContractState
from ..selectors import ContractFilters, contract_list

# The columns the list shows: a county's page is 100 contracts, and building each with every column
# of the contract, the borrower and three organisations was most of the page's time (bench/load_web.py).
LISTED = ("contract_no", "product", "academic_year", "amount", "state", "borrower__name", "county__name",
          "university__name")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@staff_required
def contract_search(request):
    state = request.GET.get("state", "")
    state = state if state in ContractState.values else ""
    year = _int(request.GET.get("year"))
    contracts = (contract_list(request.user, ContractFilters(state=state, academic_year=year))
                 .select_related(None).select_related("borrower", "county", "university").only(*LISTED))
    page = Paginator(contracts, 100).get_page(request.GET.get("page"))
    return render(request, "origination/contract_search.html", {
        "page": page, "state": state, "year": year, "states": ContractState.choices,
        "state_label": ContractState(state).label if state else "",
    })
