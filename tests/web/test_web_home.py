"""Home pages per role (issue 2 §8): work queues and key numbers from scoped counts, the student's
phone-width page, the contracts-by-state chart, and a query count that does not grow with data."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.web.helpers import login, make_contract
from xuedai.borrowers import services
from xuedai.orgs.models import Role
from xuedai.origination.models import Application, BatchState, CountyBatch
from xuedai.origination.models import ContractState as S

pytestmark = pytest.mark.django_db


def numbers(response) -> dict[str, object]:
    """{label: value} over every section of a staff home page."""
    return {n.label: n.value for section in response.context["sections"] for n in section.numbers}


@pytest.fixture
def loans(province):
    """County A: 2 applied, 1 in review, 1 overdue, 2 online applications, 1 batch to check;
    county B: 1 applied, 2 in review, 1 online application."""
    county_a, county_b = province.counties
    univ_a, univ_b = province.universities
    dept_a1 = province.departments[univ_a.pk][0]

    def loan(county, univ, state, dept=None, graduation=None):
        extra = {"graduation_date": graduation} if graduation else {}
        b = factories.BorrowerFactory(county=county, university=univ, department=dept, **extra)
        return make_contract(b, state=state)

    for state in (S.APPLIED, S.APPLIED, S.IN_REVIEW, S.OVERDUE):
        loan(county_a, univ_a, state, dept_a1)
    for state in (S.APPLIED, S.IN_REVIEW, S.IN_REVIEW):
        loan(county_b, univ_b, state)
    for county in (county_a, county_a, county_b):
        b = factories.BorrowerFactory(county=county)
        Application.objects.create(borrower=b, county=county, academic_year=2026, amount=Decimal("12000"),
                                   term_years=15, submitted_on=dt.date(2026, 9, 5))
    CountyBatch.objects.create(county=county_a, academic_year=2026, state=BatchState.SUMMARISED)
    CountyBatch.objects.create(county=county_b, academic_year=2026, state=BatchState.COUNTY_SUBMITTED)
    return province


ROLE_SECTIONS = [
    (lambda p: p.counties[0], Role.OPERATOR, "县资助中心待办"),
    (lambda p: p.counties[0], Role.SUPERVISOR, "待我审核"),
    (lambda p: p.universities[0], Role.UNIVERSITY_OFFICER, "高校贷款工作"),
    (lambda p: p.departments[p.universities[0].pk][0], Role.DEPARTMENT_STAFF, "本院系借款学生"),
    (lambda p: p.branch, Role.BANK_REVIEWER, "银行审查审批"),
    (lambda p: p.branch, Role.BANK_APPROVER, "银行审查审批"),
    (lambda p: p.centre, Role.OPERATOR, "全省2026学年合同"),
    (lambda p: p.head, Role.AUDITOR, "审计"),
    (lambda p: p.head, Role.ADMIN, "系统管理"),
    (lambda p: p.agent_bank, Role.OPERATOR, "代理行扣款"),
]


@pytest.mark.parametrize(("org_of", "role", "title"), ROLE_SECTIONS)
def test_each_role_gets_its_section(client, loans, org_of, role, title):
    user = factories.make_user(org_of(loans), role)
    response = login(client, user).get(reverse("home"))
    assert response.status_code == 200
    assert title in [s.title for s in response.context["sections"]]
    assert 'href="/borrowers/"' in response.content.decode()  # the navigation entry


def test_county_numbers_are_the_countys_own(client, loans):
    keys = ("待转为合同的在线申请", "待复核合同", "审核中合同", "逾期借款学生", "借款学生")
    a = numbers(login(client, factories.make_user(loans.counties[0], Role.OPERATOR)).get("/"))
    assert tuple(a[k] for k in keys) == (2, 2, 1, 1, 6)
    b = numbers(login(client, factories.make_user(loans.counties[1], Role.OPERATOR)).get("/"))
    assert tuple(b[k] for k in keys) == (1, 1, 2, 0, 4)


def test_supervisors_see_what_waits_for_them(client, loans):
    a = numbers(login(client, factories.make_user(loans.counties[0], Role.SUPERVISOR)).get("/"))
    assert (a["待复核合同"], a["待复核上报的批次"]) == (2, 1)
    b = numbers(login(client, factories.make_user(loans.counties[1], Role.SUPERVISOR)).get("/"))
    assert (b["待复核合同"], b["待复核上报的批次"]) == (1, 0)
    province = numbers(login(client, factories.make_user(loans.centre, Role.OPERATOR)).get("/"))
    assert province["待审核的县批次"] == 1


def test_bank_home_counts_by_county_with_a_chart(client, loans):
    response = login(client, factories.make_user(loans.branch, Role.BANK_REVIEWER)).get("/")
    assert numbers(response)["待审查合同"] == 3
    section = next(s for s in response.context["sections"] if s.title == "银行审查审批")
    assert {row[0]: row[1] for row in section.tables[0].rows} == {
        "三台县学生资助管理中心": 1, "南部县学生资助管理中心": 2}
    html = response.content.decode()
    assert "vendor/echarts/echarts.min.js" in html and 'id="home-charts"' in html


def test_province_home_tables_by_county_and_university(client, loans):
    response = login(client, factories.make_user(loans.centre, Role.OPERATOR)).get("/")
    section = response.context["sections"][0]
    by_university = {row[0]: row[-1] for row in section.tables[1].rows}
    assert by_university == {"四川大学": 3, "西南石油大学": 3}  # the overdue one is not in the columns


def test_auditor_counts_recent_entries_and_reveals(client, loans):
    operator = factories.make_user(loans.counties[0], Role.OPERATOR)
    borrower = loans.counties[0].county_borrowers.first()
    services.borrower_id_numbers_reveal(actor=operator, borrower=borrower)
    head = numbers(login(client, factories.make_user(loans.head, Role.AUDITOR)).get("/"))
    assert head["近7天查看完整身份证号"] == 1 and head["近7天审计日志"] > 1
    other = numbers(login(client, factories.make_user(loans.counties[1], Role.AUDITOR)).get("/"))
    assert other["近7天查看完整身份证号"] == 0  # county B's auditor does not count county A's acts


def test_department_and_university_see_this_years_graduates(client, loans):
    dept = loans.departments[loans.universities[0].pk][0]
    dept_numbers = numbers(login(client, factories.make_user(dept, Role.DEPARTMENT_STAFF)).get("/"))
    assert dept_numbers["2026年毕业的借款学生"] == 4  # factories graduate in June 2026
    univ_numbers = numbers(login(client, factories.make_user(loans.universities[1],
                                                             Role.UNIVERSITY_OFFICER)).get("/"))
    assert univ_numbers["2026学年有贷款的学生"] == 3 and univ_numbers["逾期借款学生"] == 0


def test_student_home_is_a_phone_page_with_only_their_contracts(client, loans):
    student = factories.make_user(None, Role.STUDENT, with_totp=False)
    mine = factories.BorrowerFactory(county=loans.counties[0], user=student)
    live = make_contract(mine, state=S.REPAYING, outstanding="6000", academic_year=2024)
    make_contract(mine, state=S.OVERDUE, outstanding="1500.50", academic_year=2025)
    response = login(client, student).get("/")
    html = response.content.decode()
    assert 'class="container-fluid student-page"' in html
    assert live.contract_no in html and "7,500.50" in html
    assert {c.borrower_id for c in response.context["contracts"]} == {mine.pk}
    assert reverse("borrowers:detail", args=[mine.pk]) in html
    assert not re.search(r"\d{15,}", " ".join(re.findall(r'href="([^"]*)"', html)))


@pytest.mark.parametrize(("org_of", "role"), [(lambda p: p.centre, Role.OPERATOR),
                                              (lambda p: p.counties[0], Role.OPERATOR),
                                              (lambda p: p.branch, Role.BANK_REVIEWER)])
def test_home_query_count_does_not_grow_with_the_portfolio(client, loans, org_of, role):
    user = factories.make_user(org_of(loans), role)
    login(client, user)
    client.get("/")  # warm the session and the content-type caches

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for county in loans.counties:
        for _ in range(5):
            b = factories.BorrowerFactory(county=county, university=loans.universities[0])
            make_contract(b, state=S.IN_REVIEW, amount=str(Decimal("6000")))
    assert count() == before


@pytest.mark.parametrize(("org_of", "role", "title"), ROLE_SECTIONS)
def test_every_count_opens_the_list_behind_it(client, loans, org_of, role, title):
    user = factories.make_user(org_of(loans), role)
    login(client, user)
    shown = [n for section in client.get("/").context["sections"] for n in section.numbers]
    assert shown and all(n.url for n in shown), [n.label for n in shown if not n.url]
    for n in shown:
        assert client.get(n.url).status_code == 200, (n.label, n.url)


def test_a_count_and_its_list_agree(client, loans):
    login(client, factories.make_user(loans.counties[0], Role.OPERATOR))
    counts = {n.label: n for s in client.get("/").context["sections"] for n in s.numbers}
    applied = client.get(counts["待复核合同"].url)
    assert applied.context["page"].paginator.count == counts["待复核合同"].value == 2
    assert {c.state for c in applied.context["page"]} == {S.APPLIED}
    overdue = client.get(counts["逾期借款学生"].url)
    assert len(overdue.context["rows"]) == counts["逾期借款学生"].value == 1
    assert "有逾期合同" in overdue.content.decode()


def test_the_borrower_lists_overdue_code_is_origination_s():
    from xuedai.borrowers.selectors import OVERDUE_STATE

    assert OVERDUE_STATE == S.OVERDUE
