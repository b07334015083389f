"""合同查询 (/origination/contracts/): each row's link, student, product, year, amount, state and
organisation; the county's count; a fixed number of statements whatever the rows (bench/load_web.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.web.helpers import login, make_contract
from xuedai.origination.models import ContractState
from xuedai.policies.products import Product


@pytest.fixture
def listing(client, province, people):
    county, university = province.counties[0], province.universities[0]
    home = make_contract(factories.BorrowerFactory(county=county, university=university, name="王芳"),
                         amount="8000", academic_year=2025, state=ContractState.DISBURSED)
    # A county's list shows only its own contracts: a campus contract (no county) stays out.
    campus = make_contract(factories.BorrowerFactory(county=None, university=university, name="刘洋"),
                           product=Product.CAMPUS, county=None, academic_year=2026)
    other = make_contract(factories.BorrowerFactory(county=province.counties[1], name="陈静"))
    login(client, people["operator"])
    return home, campus, other


@pytest.mark.django_db
def test_a_county_sees_its_contracts_with_their_links_and_labels(client, listing, province):
    home, campus, other = listing
    body = client.get(reverse("origination:contracts")).content.decode()
    assert "共 1 份合同" in body
    row = body.split(home.contract_no)[1].split("</tr>")[0]
    assert f'href="{reverse("origination:contract", args=[home.pk])}">{home.contract_no}' in body
    for text in ("王芳", "生源地", "2025", "8,000.00", "已发放", province.counties[0].name):
        assert text in row, text
    assert campus.contract_no not in body and other.contract_no not in body


@pytest.mark.django_db
def test_other_products_open_on_the_loan_page_and_a_row_without_county_names_the_university(
        client, listing, province, people):
    _, campus, _ = listing
    login(client, people["officer"])
    body = client.get(reverse("origination:contracts")).content.decode()
    assert f'href="{reverse("origination:flow_contract", args=[campus.pk])}">{campus.contract_no}' in body
    row = body.split(campus.contract_no)[1].split("</tr>")[0]
    assert province.universities[0].name in row and "刘洋" in row


@pytest.mark.django_db
def test_statements_do_not_grow_with_the_rows(client, listing, province):
    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("origination:contracts")).status_code == 200
        return len(captured.captured_queries)

    before = statements()
    for _ in range(5):
        make_contract(factories.BorrowerFactory(county=province.counties[0]))
    assert statements() == before


@pytest.mark.django_db
def test_names_are_escaped(client, listing, province):
    make_contract(factories.BorrowerFactory(county=province.counties[0], name="<b>张三</b>"))
    body = client.get(reverse("origination:contracts")).content.decode()
    assert "&lt;b&gt;张三&lt;/b&gt;" in body and "<b>张三</b>" not in body


@pytest.mark.django_db
def test_an_empty_list_says_so(client, listing):
    body = client.get(reverse("origination:contracts"), {"year": "1999"}).content.decode()
    assert "共 0 份合同" in body and "没有符合条件的合同。" in body
