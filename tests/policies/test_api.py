"""The read-only API: versions, one version, resolve, LPRs."""

import pytest
from rest_framework.test import APIClient

from tests import factories
from xuedai.orgs.models import Role

from .conftest import version

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(operator):
    client = APIClient()
    client.force_authenticate(operator)
    return client


def test_lists_versions_and_filters(api):
    data = api.get("/api/v1/policy-versions/").json()
    assert data["count"] == 14
    data = api.get("/api/v1/policy-versions/", {"product": "home_county", "region_code": "51"}).json()
    assert [row["name"] for row in data["results"]] == ["四川省生源地信用助学贷款（2012年业务指南）"]
    assert data["results"][0]["region_label"] == "四川省"
    assert data["results"][0]["fixed_rate"] == "0.06550"


def test_one_version(api):
    jilin = version("campus", "22", "2007-09-01")
    data = api.get(f"/api/v1/policy-versions/{jilin.pk}/").json()
    assert data["amount_max_undergraduate"] == "4500.00" and data["product_label"] == "校园地国家助学贷款"


def test_resolve(api):
    data = api.get("/api/v1/policy-versions/resolve/",
                   {"product": "home_county", "region_code": "510722", "on": "2015-10-10"}).json()
    assert data["name"] == "四川省生源地信用助学贷款（2012年业务指南）"
    response = api.get("/api/v1/policy-versions/resolve/",
                       {"product": "home_county", "region_code": "410102", "on": "2015-10-10"})
    assert response.status_code == 404 and "没有适用于" in response.json()["detail"]
    bad_date = api.get("/api/v1/policy-versions/resolve/", {"product": "home_county", "on": "x"})
    assert bad_date.status_code == 400


def test_read_only_and_staff_only(api, province):
    assert api.post("/api/v1/policy-versions/", {}).status_code == 405
    jilin = version("campus", "22", "2007-09-01")
    assert api.patch(f"/api/v1/policy-versions/{jilin.pk}/", {"name": "x"}).status_code == 405
    student = APIClient()
    student.force_authenticate(factories.make_user(None, Role.STUDENT, with_totp=False))
    assert student.get("/api/v1/policy-versions/").status_code == 403
    assert APIClient().get("/api/v1/policy-versions/").status_code in (401, 403)


def test_lpr_rates(api):
    data = api.get("/api/v1/lpr-rates/").json()
    assert data["results"][0] == {"effective_from": "2025-05-20", "one_year": "0.0300",
                                  "five_year_plus": "0.0350"}
