"""API: token flow (staff need TOTP), organisation and user scope (issue 2 §8)."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD, BorrowerFactory
from tests.orgs.helpers import fresh_code
from xuedai.orgs.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def get_token(api, user, code=None):
    data = {"username": user.username, "password": PASSWORD}
    if code is not None:
        data["totp_code"] = code
    return api.post("/api/v1/auth/token/", data, format="json")


def authed(api, user):
    token = get_token(api, user, fresh_code(user)).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_staff_token_needs_the_totp_code(api, province, make_user):
    user = make_user(province.counties[0], Role.OPERATOR)
    missing = get_token(api, user)
    assert missing.status_code == 400 and "须填写动态口令" in missing.json()["detail"]
    user.refresh_from_db()
    assert user.failed_logins == 0  # asked for, not counted as a wrong code
    assert "不正确" in get_token(api, user, "000000").json()["detail"]
    response = get_token(api, user, fresh_code(user))
    assert response.status_code == 200 and len(response.json()["token"]) == 40


def test_wrong_password_gives_the_generic_message(api, province, make_user):
    user = make_user(province.counties[0], Role.OPERATOR)
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": "x"}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == "账号或密码错误。"


@override_settings(XUEDAI_LOCKOUT_ATTEMPTS=2)
def test_api_failures_count_toward_the_same_lockout(api, client, province, make_user):
    user = make_user(province.counties[0], Role.OPERATOR)
    get_token(api, user, "000000")
    get_token(api, user, "000000")
    body = client.post("/accounts/login/", {"identifier": user.username, "password": PASSWORD})
    assert "已锁定" in body.content.decode()


def test_student_token_by_id_number_without_totp(api, make_user):
    user = make_user(None, Role.STUDENT, with_totp=False)
    borrower = BorrowerFactory(user=user)
    response = api.post("/api/v1/auth/token/", {"username": borrower.id_number, "password": PASSWORD},
                        format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/organisations/").status_code == 403


def test_county_user_sees_only_its_subtree_and_ancestors(api, province, make_user):
    authed(api, make_user(province.counties[0], Role.OPERATOR))
    ids = {o["id"] for o in api.get("/api/v1/organisations/").json()["results"]}
    assert ids == {province.head.pk, province.branch.pk, province.centre.pk, province.counties[0].pk}
    assert api.get(f"/api/v1/organisations/{province.counties[1].pk}/").status_code == 404
    detail = api.get(f"/api/v1/organisations/{province.counties[0].pk}/").json()
    assert detail["kind_label"] == "县(区)资助中心"


def test_university_user_sees_its_departments(api, province, make_user):
    uni = province.universities[0]
    authed(api, make_user(uni, Role.UNIVERSITY_OFFICER))
    ids = {o["id"] for o in api.get("/api/v1/organisations/").json()["results"]}
    assert {d.pk for d in province.departments[uni.pk]} <= ids
    assert province.universities[1].pk not in ids


def test_users_are_scoped_and_carry_no_secrets(api, province, make_user):
    me = make_user(province.centre, Role.SUPERVISOR)
    below = make_user(province.counties[0], Role.OPERATOR)
    below.mobile = "13812345678"
    below.save()
    above = make_user(province.branch, Role.BANK_REVIEWER)
    authed(api, me)
    rows = api.get("/api/v1/users/").json()["results"]
    assert {r["id"] for r in rows} == {me.pk, below.pk}
    row = next(r for r in rows if r["id"] == below.pk)
    assert row["mobile"] == "138****5678" and row["roles"] == ["operator"]
    assert not {"password", "totp_secret", "totp_last_step", "failed_logins"} & row.keys()
    assert api.get(f"/api/v1/users/{above.pk}/").status_code == 404


def test_session_without_totp_cannot_read_the_api(client, province, make_user):
    user = make_user(province.counties[0], Role.OPERATOR)
    client.post("/accounts/login/", {"identifier": user.username, "password": PASSWORD})
    assert client.get("/api/v1/organisations/").status_code == 403
    client.post("/accounts/totp/", {"code": fresh_code(user)})
    assert client.get("/api/v1/organisations/").status_code == 200


def test_schema_is_valid_and_lists_the_endpoints(client, db):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert {"/api/v1/auth/token/", "/api/v1/organisations/", "/api/v1/users/{id}/"} <= schema["paths"].keys()


def test_api_docs_are_served_from_the_install_and_every_endpoint_has_a_response_schema(client, province,
                                                                                        make_user):
    """Swagger UI comes from drf-spectacular-sidecar (no CDN: the docs work offline)."""
    from tests.orgs.helpers import staff_login

    staff_login(client, make_user(province.centre, Role.ADMIN))
    page = client.get("/api/v1/docs/").content.decode()
    assert "cdn" not in page.lower() and "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    bundle = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert client.get(bundle).status_code == 200
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    bare = [f"{method.upper()} {path} {code}" for path, ops in schema["paths"].items()
            for method, op in ops.items() for code, response in op["responses"].items()
            if code != "204" and "content" not in response]
    assert bare == []
