"""Changing one's own password (issue 2 §6)."""

import pytest

from tests.factories import PASSWORD, BorrowerFactory
from tests.orgs.helpers import staff_login
from xuedai.orgs.models import Role

pytestmark = pytest.mark.django_db
NEW = "Brand-new-2027x"


def change(client, old=PASSWORD, new=NEW, new2=None):
    return client.post("/accounts/password/", {"old_password": old, "new_password1": new,
                                               "new_password2": new if new2 is None else new2})


def test_anonymous_is_sent_to_login(client, db):
    assert client.get("/accounts/password/").url.startswith("/accounts/login/")


def test_half_logged_in_staff_cannot_change_password(client, province, make_user):
    make_user(province.centre, Role.OPERATOR, username="half")
    client.post("/accounts/login/", {"identifier": "half", "password": PASSWORD})
    assert client.get("/accounts/password/").url == "/accounts/totp/"


def test_staff_changes_password_and_stays_logged_in(client, province, make_user):
    user = make_user(province.centre, Role.OPERATOR)
    staff_login(client, user)
    assert change(client).url == "/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200


def test_wrong_old_password_and_weak_new_password(client, province, make_user):
    user = make_user(province.centre, Role.OPERATOR)
    staff_login(client, user)
    assert "旧密码" in change(client, old="Nope-nope-123").content.decode()
    body = change(client, new="1234567890123").content.decode()
    assert "只包含数字" in body
    body = change(client, new="short1").content.decode()
    assert "密码太短，至少需要 10 个字符" in body
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_student_cannot_use_birth_date(client, make_user):
    user = make_user(None, Role.STUDENT, with_totp=False)
    BorrowerFactory(user=user)
    client.post("/accounts/login/", {"identifier": user.username, "password": PASSWORD})
    assert "出生日期" in change(client, new="abc20040315x").content.decode()
    assert change(client).url == "/"


def test_django_admin_login_goes_through_the_site_login(client, db):
    response = client.post("/django-admin/login/?next=/django-admin/", {"username": "x", "password": "y"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/django-admin/"
