"""Organisation pages: the tree within scope, staff lists, administrators creating accounts (issue 2 §8)."""

import re

import pytest

from tests.orgs.helpers import staff_login
from xuedai.orgs.models import Role, SetupToken, User

pytestmark = pytest.mark.django_db


def test_county_user_sees_its_subtree_and_ancestors_only(client, province, make_user):
    staff_login(client, make_user(province.counties[0], Role.SUPERVISOR))
    body = client.get("/orgs/").content.decode()
    assert province.counties[0].name in body and province.centre.name in body  # ancestor for context
    assert province.counties[1].name not in body and province.universities[0].name not in body


def test_foreign_org_is_404_and_ancestor_shows_no_staff(client, province, make_user):
    make_user(province.centre, Role.OPERATOR, username="centrestaff")
    staff_login(client, make_user(province.counties[0], Role.SUPERVISOR))
    assert client.get(f"/orgs/{province.counties[1].pk}/").status_code == 404
    body = client.get(f"/orgs/{province.centre.pk}/").content.decode()
    assert "centrestaff" not in body and "上级机构" in body


def test_staff_list_masks_mobiles(client, province, make_user):
    colleague = make_user(province.counties[0], Role.OPERATOR)
    colleague.mobile = "13812345678"
    colleague.save()
    staff_login(client, make_user(province.counties[0], Role.SUPERVISOR))
    body = client.get(f"/orgs/{province.counties[0].pk}/").content.decode()
    assert "138****5678" in body and "13812345678" not in body


def test_students_get_403(client, make_user):
    student = make_user(None, Role.STUDENT, with_totp=False)
    client.force_login(student)
    assert client.get("/orgs/").status_code == 403


def test_admin_creates_staff_in_subtree_and_gets_a_link(client, province, make_user):
    staff_login(client, make_user(province.centre, Role.ADMIN))
    response = client.post(f"/orgs/{province.counties[1].pk}/users/new/", {
        "username": "zhaoliu", "real_name": "赵六", "mobile": "13911112222", "roles": [Role.OPERATOR],
    })
    body = response.content.decode()
    assert response.status_code == 200 and "一次性设置链接" in body
    link = re.search(r'value="http://testserver(/accounts/setup/[\w-]+/)"', body).group(1)
    user = User.objects.get(username="zhaoliu")
    assert user.organisation == province.counties[1] and not user.has_usable_password()
    client.post("/accounts/logout/")
    assert client.get(link).status_code == 200


def test_create_form_errors_name_the_field(client, province, make_user):
    staff_login(client, make_user(province.centre, Role.ADMIN))
    make_user(province.centre, Role.OPERATOR, username="taken")
    body = client.post(f"/orgs/{province.centre.pk}/users/new/", {
        "username": "taken", "real_name": "某", "roles": [],
    }).content.decode()
    assert "角色：请选择至少一个角色" in body
    body = client.post(f"/orgs/{province.centre.pk}/users/new/", {
        "username": "taken", "real_name": "某", "roles": [Role.OPERATOR],
    }).content.decode()
    assert "用户名：该用户名已被使用" in body


def test_admin_cannot_create_outside_subtree_and_non_admin_cannot_create(client, province, make_user):
    staff_login(client, make_user(province.counties[0], Role.ADMIN))
    data = {"username": "outsider", "real_name": "外", "roles": [Role.OPERATOR]}
    assert client.post(f"/orgs/{province.counties[1].pk}/users/new/", data).status_code == 404
    assert client.post(f"/orgs/{province.centre.pk}/users/new/", data).status_code == 403
    client.post("/accounts/logout/")
    staff_login(client, make_user(province.counties[0], Role.SUPERVISOR))
    assert client.post(f"/orgs/{province.counties[0].pk}/users/new/", data).status_code == 403
    assert not User.objects.filter(username="outsider").exists()


def test_admin_reissues_link_and_unlocks(client, province, make_user):
    target = make_user(province.counties[0], Role.OPERATOR)
    foreign = make_user(province.counties[1], Role.OPERATOR)
    staff_login(client, make_user(province.counties[0], Role.ADMIN))
    assert client.post(f"/orgs/users/{target.pk}/setup-link/").status_code == 200
    assert SetupToken.objects.filter(user=target).count() == 1
    assert client.post(f"/orgs/users/{foreign.pk}/setup-link/").status_code == 404
    assert client.get(f"/orgs/users/{target.pk}/setup-link/").status_code == 405
    User.objects.filter(pk=target.pk).update(failed_logins=2)
    assert client.post(f"/orgs/users/{target.pk}/unlock/").status_code == 302
    target.refresh_from_db()
    assert target.failed_logins == 0
