"""API v1 for borrowers and contracts: masking, create, audited reveal, POST-only ID search,
the second factor for sessions, and a valid OpenAPI schema (issue 2 §5, §8)."""

import datetime as dt

import pytest
import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests import factories
from tests.web.helpers import login, make_contract
from xuedai.audit.models import AuditEntry
from xuedai.identity.idnumbers import make_id_number
from xuedai.orgs.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(operator):
    return login(APIClient(), operator)


@pytest.fixture
def borrower(county, province):
    univ = province.universities[0]
    return factories.BorrowerFactory(county=county, university=univ, mobile="13812345678",
                                     department=province.departments[univ.pk][0], name="张伟")


def test_list_and_detail_are_masked(api, borrower):
    factories.CoBorrowerFactory(borrower=borrower, mobile="13912345678")
    body = api.get("/api/v1/borrowers/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id_number"] == borrower.masked_id_number and row["mobile"] == "138****5678"
    assert row["county"]["name"] == "三台县学生资助管理中心"
    detail = api.get(f"/api/v1/borrowers/{borrower.pk}/")
    text = detail.content.decode()
    assert borrower.id_number not in text and "13812345678" not in text and "13912345678" not in text
    assert detail.json()["co_borrowers"][0]["mobile"] == "139****5678"
    assert "birth_date" not in text and detail.json()["age"] == 22  # born 2004-03-15, today 2026-11-20


def test_reveal_is_post_only_and_audited(api, borrower, province):
    assert api.get(f"/api/v1/borrowers/{borrower.pk}/reveal/").status_code == 405
    response = api.post(f"/api/v1/borrowers/{borrower.pk}/reveal/")
    assert response.json()["id_number"] == borrower.id_number and response["Cache-Control"] == "no-store"
    entries = AuditEntry.objects.filter(action="borrower_reveal_id_number", object_id=str(borrower.pk))
    assert entries.count() == 1
    staff = factories.make_user(province.departments[province.universities[0].pk][0], Role.DEPARTMENT_STAFF)
    assert login(APIClient(), staff).post(f"/api/v1/borrowers/{borrower.pk}/reveal/").status_code == 403


def test_id_search_is_post_only(api, borrower):
    assert api.get("/api/v1/borrowers/", {"q": borrower.id_number}).status_code == 400
    assert api.get("/api/v1/borrowers/", {"q": "张"}).json()["count"] == 1
    found = api.post("/api/v1/borrowers/search/", {"term": borrower.id_number[-4:]}, format="json").json()
    assert [row["id"] for row in found] == [borrower.pk]


def test_create_by_county_operator_validates_like_the_pages(api, province):
    data = {"name": "赵六", "id_number": make_id_number("510722", dt.date(2005, 8, 8), 515),
            "mobile": "13512345678", "household_region_code": "510722", "address": "三台县",
            "enrolled_year": 2024, "graduation_date": "2028-06-30",
            "university": province.universities[1].pk}
    response = api.post("/api/v1/borrowers/", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id_number"].startswith("5107**") and body["university"]["name"] == "西南石油大学"
    again = api.post("/api/v1/borrowers/", data, format="json")
    assert again.status_code == 400 and "已登记为借款学生" in again.json()["id_number"][0]
    bad = api.post("/api/v1/borrowers/", {**data, "id_number": "123", "mobile": "1"}, format="json")
    assert set(bad.json()) == {"id_number", "mobile"}


def test_create_is_refused_to_other_roles(province):
    client = login(APIClient(), factories.make_user(province.branch, Role.BANK_REVIEWER))
    assert client.post("/api/v1/borrowers/", {}, format="json").status_code == 403


def test_contracts_are_read_only_and_scoped(api, borrower, province):
    contract = make_contract(borrower)
    other = make_contract(factories.BorrowerFactory(county=province.counties[1],
                                                    household_region_code="511321"))
    body = api.get("/api/v1/contracts/").json()
    assert [row["id"] for row in body["results"]] == [contract.pk]
    assert body["results"][0]["borrower"]["id_number"] == borrower.masked_id_number
    assert api.get(f"/api/v1/contracts/{other.pk}/").status_code == 404
    assert api.post("/api/v1/contracts/", {}, format="json").status_code == 405


def test_a_session_without_the_second_factor_is_refused(operator, borrower):
    client = APIClient()
    client.force_login(operator)  # password only: TOTP not yet passed
    assert client.get("/api/v1/borrowers/").status_code == 403


def test_schema_is_valid_and_lists_the_paths(api):
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # OpenAPI 3 JSON-schema check, raises on an invalid document
    for path in ("/api/v1/borrowers/", "/api/v1/borrowers/{id}/", "/api/v1/borrowers/{id}/reveal/",
                 "/api/v1/borrowers/search/", "/api/v1/contracts/", "/api/v1/contracts/{id}/"):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/v1/borrowers/"]
    assert "post" not in schema["paths"]["/api/v1/contracts/"]
