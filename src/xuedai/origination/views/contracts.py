"""合同查询: the contracts in the user's scope, filtered by state and academic year — the list behind
every contract count on the home page (a count a person cannot open is a dead end)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join

from xuedai.core.money import display_money
from xuedai.orgs.permissions import staff_required

from ..models import Contract, ContractState
from ..selectors import ContractFilters, contract_list

# The columns the list shows, read as plain values: a county's page is 100 contracts, and building a
# contract, a borrower and two organisations for each row, then the template's lookups on them,
# was most of the page's time (bench/load_web.py).
LISTED = ("pk", "contract_no", "product", "academic_year", "amount", "state", "borrower__name",
          "county__name", "university__name")
PRODUCT_LABELS = dict(Contract._meta.get_field("product").flatchoices)
STATE_LABELS = dict(ContractState.choices)
# A home-county contract opens on its 生源地 page, every other product on the shared loan page.
_SENTINEL = 987654321


@dataclass(frozen=True)
class ListedContract:
    pk: int
    state: str
    product: str
    url: str
    contract_no: str
    borrower_name: str
    product_label: str
    academic_year: int
    amount: Decimal
    state_label: str
    organisation: str  # the county centre, else the university


def _url_patterns() -> dict[str, str]:
    """{product: URL with "{}" for the pk}: reversed once per page, not once per row."""
    def pattern(name: str) -> str:
        return reverse(name, args=[_SENTINEL]).replace(str(_SENTINEL), "{}")
    county, other = pattern("origination:contract"), pattern("origination:flow_contract")
    return {product: county if product == "home_county" else other for product in PRODUCT_LABELS}


# One table row, escaped by format_html_join: 100 rows through the template language were about half
# of the page's CPU (bench/load_web.py); the markup is the template's as it was.
_ROW = ('<tr><td><a href="{}">{}</a></td><td>{}</td>\n'
        '    <td>{}</td><td>{}</td><td class="text-end">{}</td>\n'
        '    <td>{}</td><td>{}</td></tr>\n  ')


def table_rows(listed: list[ListedContract]):
    return format_html_join("", _ROW, ((c.url, c.contract_no, c.borrower_name, c.product_label,
                                        c.academic_year, display_money(c.amount, sign=""), c.state_label,
                                        c.organisation)
                                       for c in listed))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@staff_required
def contract_search(request):
    state = request.GET.get("state", "")
    state = state if state in ContractState.values else ""
    year = _int(request.GET.get("year"))
    filters = ContractFilters(state=state, academic_year=year)
    contracts = contract_list(request.user, filters).select_related(None)
    # Counted without the names' joins (a join in COUNT(*) made it 4 → 63 ms over a county's 92,050
    # contracts), then the page's rows read with them.
    page = Paginator(contracts, 100).get_page(request.GET.get("page"))
    first = (page.number - 1) * page.paginator.per_page
    rows = contracts.values_list(*LISTED)[first:first + page.paginator.per_page]
    urls = _url_patterns()
    page.object_list = [
        ListedContract(pk=pk, state=row_state, product=product, url=urls[product].format(pk),
                       contract_no=number, borrower_name=name,
                       product_label=PRODUCT_LABELS.get(product, product), academic_year=academic_year,
                       amount=amount, state_label=STATE_LABELS.get(row_state, row_state),
                       organisation=county or university or "—")
        for pk, number, product, academic_year, amount, row_state, name, county, university
        in rows]
    return render(request, "origination/contract_search.html", {
        "page": page, "rows": table_rows(page.object_list), "state": state, "year": year,
        "states": ContractState.choices,
        "state_label": ContractState(state).label if state else "",
    })
