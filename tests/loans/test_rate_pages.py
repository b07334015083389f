"""The province's repricing page and the borrower's statement of rate periods (issue 12 item 1)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests import factories
from tests.loans.conftest import make_contract
from tests.web.helpers import login
from xuedai.loans.explain import explain
from xuedai.loans.models import Kind, Posting, RateChange
from xuedai.loans.rate_schedule import lpr_history_clear
from xuedai.loans.services import contract_disburse, settlement_post
from xuedai.orgs.models import Role
from xuedai.policies.models import PolicyVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_lpr():
    lpr_history_clear()
    yield
    lpr_history_clear()


@pytest.fixture
def accounts(province):
    """Two 2012-version Sichuan contracts (6.55 %) live across the 2023 cut, one per county, and one
    already settled (out of reach)."""
    made = []
    for county in province.counties:
        contract = make_contract(
            province,
            county=county,
            amount="8000.00",
            rate="0.06550",
            disbursed_on=dt.date(2018, 10, 15),
            self_pay_from=dt.date(2022, 9, 1),
            maturity=dt.date(2032, 12, 20),
        )
        made.append(contract_disburse(actor=None, contract=contract, on=dt.date(2018, 10, 15)))
    return made


def _notice():
    return PolicyVersion.objects.get(
        product="home_county", region_code="", effective_from=dt.date(2023, 9, 1)
    )


def test_the_province_sees_which_contracts_the_2023_cut_reprices_and_registers_them(
    client, province, accounts, monkeypatch
):
    from xuedai import businessdate

    monkeypatch.setattr(businessdate, "today", lambda: dt.date(2023, 10, 9))
    login(client, factories.make_user(province.centre, Role.SUPERVISOR))
    listing = client.get(reverse("loans:repricing_list")).content.decode()
    assert "国家助学贷款政策（2023年秋季学期起）" in listing and "2023-09-01" in listing
    page = client.get(reverse("loans:repricing", args=[_notice().pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="repriced-count">2<' in html and "3.60 %" in html and "6.55 %" in html
    assert "三台县学生资助管理中心" in html and "南部县学生资助管理中心" in html
    assert "待登记" in html and 'id="register"' in html
    response = client.post(reverse("loans:repricing_register", args=[_notice().pk]), follow=True)
    assert "2份合同、2次调整" in response.content.decode()
    assert RateChange.objects.filter(effective_from=dt.date(2023, 9, 1), annual_rate=D("0.036")).count() == 2
    assert "已登记" in client.get(reverse("loans:repricing", args=[_notice().pk])).content.decode()


def test_a_county_sees_its_own_contracts_and_may_not_register(client, province, accounts):
    login(client, factories.make_user(province.counties[0], Role.SUPERVISOR))
    html = client.get(reverse("loans:repricing", args=[_notice().pk])).content.decode()
    assert 'id="repriced-count">1<' in html and "南部县学生资助管理中心" not in html
    assert 'id="register"' not in html
    assert client.post(reverse("loans:repricing_register", args=[_notice().pk])).status_code == 403
    assert not RateChange.objects.exists()


def test_the_statement_explains_each_rate_period(client, province, accounts):
    account = accounts[0]
    contract = account.contract
    notice = _notice()
    RateChange.objects.create(
        contract=contract,
        effective_from=dt.date(2023, 9, 1),
        annual_rate=D("0.03600"),
        reason="notice",
        rule_version=notice,
        lpr_published_on=dt.date(2023, 8, 21),
    )
    for year in range(2018, 2024):
        settlement_post(actor=None, account=account, on=dt.date(year, 12, 20))
    posting = Posting.objects.get(account=account, kind=Kind.INTEREST, business_date=dt.date(2023, 12, 20))
    contract.refresh_from_db()
    days = [dt.date(y, 12, 20) for y in range(2018, 2033)]
    text = explain(posting, contract=contract, settlement_days=days)
    assert "2022-12-20至2023-09-01年利率6.55%" in text and "2023-09-01至2023-12-20年利率3.6%" in text
    assert "合计后四舍五入到分" in text
    # The borrower's own page lists the periods and why.
    from xuedai.orgs.services import user_create

    student = user_create(
        actor=None,
        username="stu-rate",
        organisation=None,
        roles=[Role.STUDENT],
        real_name=contract.borrower.name,
        password=factories.PASSWORD,
    )
    contract.borrower.user = student
    contract.borrower.save(update_fields=["user"])
    login(client, student)
    html = client.get(reverse("postloan:my_contract", args=[contract.pk])).content.decode()
    assert 'id="rate-periods"' in html
    assert "2018-10-15 起至 2023-09-01：年利率 <strong>6.55%</strong>（借款合同签订时的执行年利率）" in html
    assert "按「国家助学贷款政策（2023年秋季学期起）」，利率调整适用于存量合同" in html
    assert "2023-08-21公布的LPR减60个基点" in html and "分段计息" in html
