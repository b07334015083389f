"""The finance department (财政部门, Role.FINANCE) reads the state's money in its scope and writes
nothing (DOMAIN.md §6; funds.access): the province's finance sees the province, a county's its
county; the transfers are recorded by the province office ([003] 第二十一、二十三条)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.funds.conftest import settle_year
from tests.web.helpers import login
from xuedai import businessdate
from xuedai.documents.checks import assert_no_missing_glyphs
from xuedai.funds.models import Accrual, Settlement
from xuedai.funds.services import accrual_confirm, accrual_request, settlement_run
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import may_open
from xuedai.web.navigation import nav_items_for

WRITES = ["funds:accrual_request", "funds:accrual_confirm", "funds:settlement_run",
          "funds:subsidy_payment_record"]


@pytest.fixture
def year_done(pair, province, make_user):
    """The 2019 accrual requested and confirmed, the 2020 settlement run."""
    _contracts, accounts = pair
    officer = make_user(province.centre, Role.OPERATOR)
    banker = make_user(province.branch, Role.BANK_APPROVER)
    (accrual,) = accrual_request(actor=officer, year=2019, on=dt.date(2019, 9, 30))
    accrual_confirm(actor=banker, accruals=[accrual], on=dt.date(2019, 12, 1))
    settle_year(accounts, 2018)
    settle_year(accounts, 2019)
    (s,) = settlement_run(actor=banker, on=dt.date(2020, 12, 20))
    return accrual, s


def test_province_finance_reads_every_funds_page_and_writes_nothing(client, year_done, province, make_user):
    accrual, s = year_done
    finance = make_user(province.centre, Role.FINANCE)
    login(client, finance)
    for name, query in [("funds:riskfund", "?year=2019"), ("funds:settlements", "?on=2020-12-20"),
                        ("funds:subsidy", "?year=2018&quarter=4"), ("funds:subsidy_payments", ""),
                        ("funds:receivable", "")]:
        response = client.get(reverse(name) + query)
        assert response.status_code == 200, name
    page = client.get(reverse("funds:riskfund") + "?year=2019").content.decode()
    assert "1,800.00" in page
    assert "统计并提出" not in page and "确认到账（" not in page  # no buttons for what it cannot do
    assert client.get(reverse("funds:settlement", args=[s.pk])).status_code == 200
    document = reverse("funds:accrual_document", args=[accrual.account_id, "application"])
    pdf = client.get(document + "?year=2019")
    assert_no_missing_glyphs(pdf.content, "风险补偿金申请书", "1,800.00")
    document = reverse("funds:accrual_document", args=[accrual.account_id, "confirmation"])
    pdf = client.get(document + "?year=2019")
    assert_no_missing_glyphs(pdf.content, "风险补偿金确认书")
    for name in WRITES:
        assert not may_open(finance, reverse(name)), name
        assert client.post(reverse(name), {"year": "2019"}).status_code == 403, name
    with businessdate.business_date(dt.date(2021, 12, 20)):
        assert client.post(reverse("funds:settlement_run")).status_code == 403
    assert Settlement.objects.count() == 1 and Accrual.objects.count() == 1
    # the fund's bar on the 看板 opens its last settlement: 1,800.00 cover, the 5:4:1 600.00
    board = client.get(reverse("funds:dashboard")).content.decode()
    board = board[board.index('id="fund-units"'):]
    assert reverse("funds:settlement", args=[s.pk]) in board
    assert "1,800.00" in board and "600.00" in board and "807.16" in board
    menu = {item["label"] for item in nav_items_for(finance, "/")}
    assert "财政资金" in menu
    assert "财政资金" in client.get(reverse("home")).content.decode()


def test_county_finance_sees_its_county_only(client, year_done, province, make_user):
    _accrual, s = year_done
    login(client, make_user(province.counties[1], Role.FINANCE))
    assert client.get(reverse("funds:settlement", args=[s.pk])).status_code == 404
    assert "1,800.00" not in client.get(reverse("funds:riskfund") + "?year=2019").content.decode()
    login(client, make_user(province.counties[0], Role.FINANCE))
    assert client.get(reverse("funds:settlement", args=[s.pk])).status_code == 200
