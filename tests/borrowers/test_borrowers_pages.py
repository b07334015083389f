"""Borrower pages: masking, searches that keep ID numbers out of URLs, the audited reveal, forms
that name the field in their errors, and the change history (issue 2 §5)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests import factories
from tests.web.helpers import login, make_contract
from xuedai.audit.models import AuditEntry
from xuedai.borrowers import services
from xuedai.borrowers.models import Borrower
from xuedai.identity.idnumbers import make_id_number
from xuedai.orgs.models import Role

pytestmark = pytest.mark.django_db

_URL_ATTR = re.compile(r'(?:href|action|src|hx-get|hx-post)="([^"]*)"')


def urls_in(html: str) -> list[str]:
    return _URL_ATTR.findall(html)


def assert_no_id_numbers_in_urls(response, borrowers):
    urls = urls_in(response.content.decode())
    for b in borrowers:
        for url in urls:
            assert b.id_number not in url and b.id_number.lower() not in url, url
    assert not any(re.search(r"\d{15,}", url) for url in urls)
    # And the address the browser ends up on carries none either.
    for url, _status in getattr(response, "redirect_chain", []):
        assert not re.search(r"\d{15,}", url)


@pytest.fixture
def people(county, province, operator):
    univ = province.universities[0]
    rows = [factories.BorrowerFactory(county=county, university=univ,
                                      department=province.departments[univ.pk][0],
                                      student_no=f"2024{n:04d}", mobile=f"1381234{n:04d}")
            for n in range(1, 4)]
    return rows


def test_list_shows_masked_id_and_mobile_and_no_id_in_any_url(client, operator, people):
    response = login(client, operator).get(reverse("borrowers:list"))
    html = response.content.decode()
    assert response.status_code == 200
    for b in people:
        assert b.masked_id_number in html and b.masked_mobile in html
        assert b.id_number not in html and b.mobile not in html
    assert_no_id_numbers_in_urls(response, people)


def test_search_form_posts_and_an_id_search_is_answered_without_a_redirect(client, operator, people):
    login(client, operator)
    target = people[1]
    html = client.get(reverse("borrowers:list")).content.decode()
    assert re.search(r'<form method="post" action="/borrowers/"', html)
    for term in (target.id_number, target.id_number[-4:], target.masked_id_number):
        response = client.post(reverse("borrowers:list"), {"term": term})
        assert response.status_code == 200, term
        assert list(response.context["rows"]) == [target]
        assert target.id_number not in response.content.decode()  # the term is not echoed back
        assert_no_id_numbers_in_urls(response, people)


def test_name_search_redirects_to_a_safe_query_string(client, operator, people):
    login(client, operator)
    response = client.post(reverse("borrowers:list"), {"term": people[0].name}, follow=True)
    assert response.redirect_chain[0][0].startswith("/borrowers/?q=")
    assert people[0] in response.context["rows"]
    response = client.post(reverse("borrowers:list"), {"term": people[2].student_no}, follow=True)
    assert list(response.context["rows"]) == [people[2]]


def test_an_id_number_in_the_query_string_is_ignored(client, operator, people):
    response = login(client, operator).get(reverse("borrowers:list"), {"q": people[0].id_number})
    assert "身份证号不会出现在网址中" in response.content.decode()
    assert len(response.context["rows"]) == len(people)


def test_detail_is_masked_and_reveal_is_a_logged_post(client, operator, people):
    b = people[0]
    login(client, operator)
    url = reverse("borrowers:detail", args=[b.pk])
    html = client.get(url).content.decode()
    assert b.masked_id_number in html and b.id_number not in html and "显示完整身份证号" in html
    # The birth date is digits 7–14 of the number: masked pages show the age instead.
    assert "2004-03-15" not in html and "22 周岁" in html
    assert client.get(reverse("borrowers:reveal", args=[b.pk])).status_code == 405
    response = client.post(reverse("borrowers:reveal", args=[b.pk]))
    html = response.content.decode()
    assert b.id_number in html and "no-store" in response["Cache-Control"] and "2004-03-15" in html
    assert_no_id_numbers_in_urls(response, people)  # shown in the page, never in a link
    entry = AuditEntry.objects.get(action="borrower_reveal_id_number")
    assert entry.actor == operator and entry.object_id == str(b.pk)
    # The reveal shows up in the borrower's history, and the next view is masked again.
    html = client.get(url).content.decode()
    assert "查看完整身份证号" in html and b.id_number not in html


def test_roles_without_need_get_no_reveal(client, province, people):
    staff = factories.make_user(province.departments[province.universities[0].pk][0], Role.DEPARTMENT_STAFF)
    login(client, staff)
    html = client.get(reverse("borrowers:detail", args=[people[0].pk])).content.decode()
    assert "显示完整身份证号" not in html
    assert client.post(reverse("borrowers:reveal", args=[people[0].pk])).status_code == 403
    assert not AuditEntry.objects.filter(action="borrower_reveal_id_number").exists()


def form_data(**overrides) -> dict:
    data = {"name": "赵六", "id_number": make_id_number("510722", dt.date(2005, 8, 8), 515),
            "ethnicity": "汉族", "mobile": "13512345678", "household_region_code": "510722",
            "address": "三台县潼川镇", "education_level": "undergraduate", "enrolled_year": "2024",
            "study_years": "4", "graduation_date": "2028-06-30"}
    data.update(overrides)
    return data


def test_create_form_saves_and_errors_name_the_field(client, operator):
    login(client, operator)
    url = reverse("borrowers:create")
    response = client.post(url, form_data(id_number="510722200508085150", mobile="10012345678"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "身份证号校验位不正确" in html and "手机号应为11位手机号码" in html
    response = client.post(url, form_data())
    borrower = Borrower.objects.get(name="赵六")
    assert response.status_code == 302
    assert response["Location"] == reverse("borrowers:detail", args=[borrower.pk])
    assert borrower.birth_date == dt.date(2005, 8, 8) and borrower.gender == "M"
    response = client.post(url, form_data(name="赵七"))
    assert "该身份证号已登记为借款学生：姓名 赵*（所属 三台县学生资助管理中心）" in response.content.decode()


def test_create_is_forbidden_to_roles_that_do_not_create(client, province):
    login(client, factories.make_user(province.centre, Role.SUPERVISOR))
    assert client.get(reverse("borrowers:create")).status_code == 403


def test_edit_form_never_contains_the_full_number_and_history_shows_the_change(client, operator, people):
    b = people[0]
    login(client, operator)
    url = reverse("borrowers:edit", args=[b.pk])
    html = client.get(url).content.decode()
    assert b.id_number not in html and b.masked_id_number in html
    data = form_data(name=b.name, id_number="", mobile="13700007777", graduation_date="2026-06-30",
                     enrolled_year="2022")
    assert client.post(url, data).status_code == 302
    b.refresh_from_db()
    assert b.mobile == "13700007777" and b.id_number.startswith("510722")
    html = client.get(reverse("borrowers:detail", args=[b.pk])).content.decode()
    assert "修改借款学生信息" in html and "手机号：138****0001 → 137****7777" in html
    assert "13700007777" not in html


def test_co_borrower_and_contact_forms(client, operator, people, policies):
    b = people[0]
    login(client, operator)
    url = reverse("borrowers:co_borrower_add", args=[b.pk])
    old = make_id_number("512921", dt.date(1950, 1, 1), 611)
    data = {"name": "张老汉", "id_number": old, "relation": "father", "mobile": "13912340000",
            "household_region_code": "510722", "signed_on": "2015-10-10"}
    html = client.post(url, data).content.decode()
    assert "身份证号：共同借款人在签约日(2015-10-10)须年满25周岁且不超过60周岁" in html
    assert client.post(url, {**data, "signed_on": "2026-11-20"}).status_code == 302
    co = b.co_borrowers.get()
    html = client.get(reverse("borrowers:co_borrower_edit", args=[b.pk, co.pk])).content.decode()
    assert old not in html
    response = client.post(reverse("borrowers:contact_add", args=[b.pk]),
                           {"name": "李四", "relation": "舅舅", "mobile": "13600001111"})
    assert response.status_code == 302
    html = client.get(reverse("borrowers:detail", args=[b.pk])).content.decode()
    assert "登记共同借款人" in html and "登记紧急联系人" in html and "136****1111" in html
    assert old not in html and co.masked_id_number in html


def test_detail_lists_only_contracts_in_scope(client, operator, province, people):
    b = people[0]
    mine = make_contract(b)
    # A later contract signed for the same student by another county (they moved household).
    elsewhere = make_contract(b, county=province.counties[1], university=None, department=None,
                              academic_year=2025)
    html = login(client, operator).get(reverse("borrowers:detail", args=[b.pk])).content.decode()
    assert mine.contract_no in html and elsewhere.contract_no not in html


def test_service_written_history_is_shown(client, operator, people):
    b = people[0]
    services.emergency_contact_add(actor=operator, borrower=b,
                                   data={"name": "王五", "relation": "姑姑", "mobile": "13600002222"})
    html = login(client, operator).get(reverse("borrowers:detail", args=[b.pk])).content.decode()
    assert "变更记录" in html and "登记紧急联系人" in html and "136****2222" in html
