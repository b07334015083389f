"""The state's money on the calendar (DOMAIN.md §6, §8; funds.calendar): each step a work item on
the responsible role's home page, with its clock in working days."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.funds.conftest import settle_year
from tests.web.helpers import login
from xuedai import businessdate
from xuedai.funds import calendar
from xuedai.funds.models import Accrual
from xuedai.funds.services import accrual_confirm, accrual_request
from xuedai.funds.work import funds_work_items
from xuedai.orgs.models import Role


def test_the_deadlines_follow_the_official_calendar(db):
    # Q3 2025 ends Tue 30 Sep; 1–8 Oct are the National Day holidays and Sat 11 Oct a workday:
    # 9, 10, 11, 13, 14, 15, 16, 17, 20, 21 Oct → Tue 21 Oct 2025.
    assert calendar.subsidy_summary_due(2025, 3) == dt.date(2025, 10, 21)
    # 30 working days before Sat 20 Dec 2025 (no holiday between): Mon 10 Nov … Fri 19 Dec = 30.
    assert calendar.presettlement_list_due(2025) == dt.date(2025, 11, 10)
    assert calendar.last_quarter(dt.date(2025, 10, 9)) == (2025, 3)
    assert calendar.deadline_clock(dt.date(2025, 10, 21), dt.date(2025, 10, 9)) == "剩余9个工作日"
    assert calendar.deadline_clock(dt.date(2025, 10, 21), dt.date(2025, 10, 21)) == "今日截止"
    assert calendar.deadline_clock(dt.date(2025, 10, 31), dt.date(2025, 11, 4)) == "已超期2个工作日"


@pytest.fixture
def staff(province, make_user):
    return {
        "province": make_user(province.centre, Role.OPERATOR),
        "bank": make_user(province.branch, Role.BANK_APPROVER),
        "county": make_user(province.counties[0], Role.OPERATOR),
        "finance": make_user(province.centre, Role.FINANCE),
        "dept": make_user(province.departments[province.universities[0].pk][0], Role.DEPARTMENT_STAFF),
    }


def _labels(items):
    return {i["label"]: i for i in items}


def test_each_role_sees_its_steps_with_their_clocks(pair, staff):
    _contracts, accounts = pair
    on = dt.date(2019, 10, 9)  # nine days into Q4: the Q3 summary is due 18 Oct 2019
    county = _labels(funds_work_items(staff["county"], on))
    summary = county["2019年第3季度贴息资金汇总表"]
    assert summary["url"] == reverse("funds:subsidy") + "?year=2019&quarter=3"
    assert summary["hint"].startswith(f"报送期限 {calendar.subsidy_summary_due(2019, 3):%m月%d日}，剩余")
    # statistics were due 30 Sep and nobody has counted yet: overdue
    assert "已超期" in county["2018—2019学年实际发放统计"]["hint"]
    assert "风险补偿金申请书" not in county  # the province office's
    province = _labels(funds_work_items(staff["province"], on))
    assert province["风险补偿金申请书"]["value"] == "待提出"
    assert "剩余" in province["风险补偿金申请书"]["hint"]
    bank = _labels(funds_work_items(staff["bank"], on))
    assert set(bank) == {"待确认的风险补偿金(确认书)"}
    assert funds_work_items(staff["dept"], on) == []

    accrual_request(actor=staff["province"], year=2019, on=on)
    province = _labels(funds_work_items(staff["province"], on))
    assert province["风险补偿金申请书"]["value"] == "已提出1份"
    assert province["风险补偿金申请书"]["hint"].endswith("已完成")
    assert _labels(funds_work_items(staff["bank"], on))["待确认的风险补偿金(确认书)"]["value"] == 1
    finance = _labels(funds_work_items(staff["finance"], on))
    assert finance["待到位的风险补偿金"]["value"] == "¥1,800.00"
    assert "划付期限 12月20日" in finance["待到位的风险补偿金"]["hint"]

    late = dt.date(2019, 12, 2)
    settle_year(accounts, 2018)  # 2 × 103.58 of subsidy still receivable
    finance = _labels(funds_work_items(staff["finance"], late))
    assert finance["待到位的贴息资金"]["value"] == "¥207.16"
    accrual_confirm(actor=staff["bank"], accruals=list(Accrual.objects.all()), on=late)
    finance = _labels(funds_work_items(staff["finance"], late))
    assert finance["待到位的风险补偿金"]["value"] == "¥0.00"
    assert finance["待到位的风险补偿金"]["hint"].endswith("已完成")
    bank = _labels(funds_work_items(staff["bank"], late))
    assert bank["2019年风险补偿金年度结算"]["value"] == "待结算"
    assert "结算日 12月20日" in bank["2019年风险补偿金年度结算"]["hint"]
    # out of the season (Jan–Aug) only the quarter's summary remains
    january = _labels(funds_work_items(staff["province"], dt.date(2020, 1, 6)))
    assert set(january) == {"2019年第4季度贴息资金汇总表"}


def test_the_items_are_on_the_home_page(client, pair, staff):
    with businessdate.business_date(dt.date(2019, 10, 9)):
        login(client, staff["province"])
        html = client.get(reverse("home")).content.decode()
    assert "财政资金期限" in html and "风险补偿金申请书" in html and "2019年第3季度贴息资金汇总表" in html
