"""Every link in a role's menu opens (no 403): the menu asks each view's own rule (may_open)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from tests import factories
from tests.web.helpers import login
from xuedai.orgs.middleware import SESSION_FLAG
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import allowed_if, may_open, roles_required
from xuedai.web.navigation import nav_items_for

pytestmark = pytest.mark.django_db

# (where the user works, role): the demo's thirteen logins are of these kinds.
PLACES = {
    "county_op": (lambda p: p.counties[0], Role.OPERATOR),
    "county_sup": (lambda p: p.counties[0], Role.SUPERVISOR),
    "province_op": (lambda p: p.centre, Role.OPERATOR),
    "province_sup": (lambda p: p.centre, Role.SUPERVISOR),
    "uni_officer": (lambda p: p.universities[0], Role.UNIVERSITY_OFFICER),
    "uni_sup": (lambda p: p.universities[0], Role.SUPERVISOR),
    "dept_staff": (lambda p: p.departments[p.universities[0].pk][0], Role.DEPARTMENT_STAFF),
    "bank_reviewer": (lambda p: p.branch, Role.BANK_REVIEWER),
    "bank_approver": (lambda p: p.branch, Role.BANK_APPROVER),
    "auditor": (lambda p: p.centre, Role.AUDITOR),
    "admin": (lambda p: p.centre, Role.ADMIN),
}


@pytest.mark.parametrize("who", sorted(PLACES))
def test_every_menu_link_opens_for_the_role(client, province, who):
    where, role = PLACES[who]
    user = factories.make_user(where(province), role)
    login(client, user)
    items = nav_items_for(user, "/")
    assert items, f"{who} has an empty menu"
    refused = {}
    for item in items:
        response = client.get(item["url"], follow=True)
        if response.status_code != 200:
            refused[item["label"]] = response.status_code
    assert refused == {}, f"{who}: links that do not open: {refused}"


def test_uni_supervisor_and_department_staff_have_no_home_county_link(province):
    for who in ("uni_sup", "dept_staff"):
        where, role = PLACES[who]
        user = factories.make_user(where(province), role)
        assert "生源地贷款" not in {item["label"] for item in nav_items_for(user, "/")}
    officer = factories.make_user(province.universities[0], Role.UNIVERSITY_OFFICER)
    assert "生源地贷款" in {item["label"] for item in nav_items_for(officer, "/")}


def test_may_open_follows_the_views_own_rules(province):
    """Roles and an allowed_if rule kept on the view: the link check and the 403 agree."""
    officer = factories.make_user(province.universities[0], Role.UNIVERSITY_OFFICER)
    staff = factories.make_user(province.departments[province.universities[0].pk][0], Role.DEPARTMENT_STAFF)
    roster = "/origination/campus/roster.xlsx"
    assert may_open(officer, roster) and not may_open(staff, roster)
    assert not may_open(officer, "/no/such/page/")

    @roles_required(Role.AUDITOR)
    @allowed_if(lambda user: user.username.startswith("a"), "不行")
    def view(request):
        return "ok"

    auditor = factories.make_user(province.centre, Role.AUDITOR, username="bob")
    assert view.access(auditor) is False
    request = RequestFactory().get("/")
    request.user, request.session = auditor, {SESSION_FLAG: True}
    with pytest.raises(PermissionDenied):
        view(request)


def test_groups_become_drop_downs_and_a_group_of_one_is_its_link(client, province):
    from xuedai.web.navigation import nav_menu

    admin = factories.make_user(province.centre, Role.ADMIN)
    menu = nav_menu(nav_items_for(admin, "/"))
    system = next(entry for entry in menu if entry["label"] == "系统")
    assert {c["label"] for c in system["children"]} >= {"审计日志", "批处理", "后台任务"}
    assert len(menu) <= 6  # one line at 1366 px (the role walk measures the page width)
    dept = factories.make_user(province.departments[province.universities[0].pk][0], Role.DEPARTMENT_STAFF)
    assert all("children" not in entry for entry in nav_menu(nav_items_for(dept, "/")))
    html = login(client, admin).get("/").content.decode()
    assert 'class="dropdown-item" href="/audit/"' in html and 'href="/borrowers/"' in html
