"""The campus loan in a browser (DOMAIN.md §3.2; [003 第十一–十五条]): the loan office enters the
申请审批表; the department reviews and the 5-day notice starts; an objection is recorded and resolved;
the office cannot review before the notice ends, then reviews and sends the 学生审核信息表; the
province office forwards; the bank reviewer checks and the approver approves. Each person logs in
through the real login page (password, then TOTP)."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import staff_page
from tests.web.helpers import make_policy_version
from xuedai.orgs.models import Role
from xuedai.origination.models import Contract, ContractEvent
from xuedai.policies.models import PolicyVersion

DAY = dt.date(2025, 9, 10)


@pytest.fixture
def cast(transactional_db):
    if not PolicyVersion.objects.filter(product="campus", effective_from__lte=DAY).exists():
        make_policy_version(  # the 2024 national campus notice, if the migration's rows were flushed
            product="campus", effective_from=dt.date(2024, 9, 1), name="国家助学贷款政策（2024年秋季学期起）",
            amount_min=Decimal("0"), amount_multiple=Decimal("1"), amount_max_undergraduate=Decimal("20000"),
            amount_max_graduate=Decimal("25000"), term_rule="study_plus", term_min_years=0, term_max_years=22,
            term_years_after_study=15, co_borrower_required=False, co_borrower_same_county=False)
    p = factories.build_province()
    uni = p.universities[0]
    dept = p.departments[uni.pk][0]
    make = factories.make_user
    people = {"officer": make(uni, Role.UNIVERSITY_OFFICER), "dept": make(dept, Role.DEPARTMENT_STAFF),
              "prov": make(p.centre, Role.OPERATOR), "reviewer": make(p.branch, Role.BANK_REVIEWER),
              "approver": make(p.branch, Role.BANK_APPROVER)}
    factories.BorrowerFactory(name="王芳", university=uni, department=dept, enrolled_year=2025,
                              graduation_date=dt.date(2029, 6, 30), study_years=4)
    return people


def act(page, action):
    with page.expect_navigation():
        page.click(f"button[data-action={action}]")


def test_campus_path(browser, live_server, cast, monkeypatch):
    monkeypatch.setattr("xuedai.businessdate._override", DAY)
    p = {name: staff_page(browser, live_server, user) for name, user in cast.items()}

    # 1. The loan office enters the 申请审批表 with the papers handed in.
    officer = p["officer"]
    officer.goto("/origination/campus/")
    officer.fill("#amount", "6000")
    officer.fill("#tuition", "4500")
    officer.fill("#accommodation", "1200")
    for name in ("id_card_copy", "student_card_copy", "parents_commitment", "poverty_certificate"):
        officer.check(f"input[name={name}]")
    with officer.expect_navigation():
        officer.get_by_role("button", name="录入申请").click()
    expect(officer.locator("#contract-state")).to_have_text("已受理(待复核)")
    contract = Contract.objects.get()
    url = f"/origination/loans/{contract.pk}/"

    # 2. The department's initial review opens the 5-day notice; an objection is recorded.
    dept = p["dept"]
    dept.goto(url)
    act(dept, "dept_review")
    expect(dept.locator("#contract-state")).to_have_text("公示中")
    expect(dept.locator("#notice")).to_contain_text("2025-09-10 至 2025-09-14")
    dept.fill("input[name=raised_by]", "同班同学")
    dept.fill("input[name=content]", "家中新购汽车")
    with dept.expect_navigation():
        dept.get_by_role("button", name="登记公示异议").click()
    expect(dept.locator("#notice")).to_contain_text("未处理")

    # 3. The office cannot review during the notice.
    officer.goto(url)
    act(officer, "office_review")
    expect(officer.locator(".alert-danger")).to_contain_text("公示期满后")

    # 4. After the notice: the open objection blocks, then is resolved; review, stamp and send.
    monkeypatch.setattr("xuedai.businessdate._override", dt.date(2025, 9, 15))
    officer.goto(url)
    act(officer, "office_review")
    expect(officer.locator(".alert-danger")).to_contain_text("异议尚未处理")
    officer.fill("input[name=resolution]", "经核实车辆为亲属所有，异议不成立")
    with officer.expect_navigation():
        officer.get_by_role("button", name="处理异议").click()
    act(officer, "office_review")
    expect(officer.locator("#contract-state")).to_have_text("高校已审核(待报送)")
    act(officer, "office_send")
    expect(officer.locator("#contract-state")).to_have_text("已报省教贷办(待转送)")

    # 5. The province office forwards within 3 working days; the clock shows on the worklist.
    prov = p["prov"]
    monkeypatch.setattr("xuedai.businessdate._override", dt.date(2025, 9, 17))
    prov.goto("/origination/campus/")
    expect(prov.locator("#campus-list")).to_contain_text("省教贷办转送")
    prov.goto(url)
    act(prov, "province_forward")
    expect(prov.locator("#contract-state")).to_have_text("审核中")

    # 6. The bank reviewer checks; the same person may not approve; the approver approves.
    reviewer = p["reviewer"]
    reviewer.goto(url)
    act(reviewer, "bank_check")
    expect(reviewer.locator("#contract-state")).to_have_text("银行已审查(待审批)")
    expect(reviewer.locator("button[data-action=bank_approve]")).to_have_count(0)
    approver = p["approver"]
    approver.goto(url)
    act(approver, "bank_approve")
    expect(approver.locator("#contract-state")).to_have_text("审查合格(待签约)")
    expect(approver.locator("[data-clock]").last).to_contain_text("银行审批")
    expect(approver.locator("#timeline li")).to_have_count(9)
    assert ContractEvent.objects.filter(contract=contract).count() == 9
