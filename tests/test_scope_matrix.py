"""The scope matrix (issue 2 §3; DOMAIN.md §2; ARCHITECTURE principle 4).

One small world — a province with two counties, two universities and their departments, an agent
bank, plus a second province — and a user for every role. For each user, every list (pages and
API) must hold exactly the expected records, and every record outside it must be a 404 on its
detail page, its API detail, its reveal and its edit pages. The cross case that matters most: a
student of county A studying at university B is seen by both A and B, and by neither county B nor
university A.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tests.web.helpers import login, make_contract
from xuedai.audit.models import AuditEntry
from xuedai.borrowers.models import Borrower
from xuedai.orgs.models import OrgKind, Role, User
from xuedai.origination.models import Contract

ALL_IN_PROVINCE = {"a1", "a2", "a_at_b", "b_at_a", "b2", "campus_a"}

# role key → (the borrowers it sees). Contracts are filed under the same organisations as their
# borrower here, so the expected contract set is the same keys.
EXPECTED = {
    "county_a_operator": {"a1", "a2", "a_at_b"},
    "county_b_operator": {"b_at_a", "b2"},
    "univ_a_officer": {"a1", "a2", "b_at_a", "campus_a"},
    "univ_b_officer": {"a_at_b", "b2"},
    "dept_a1_staff": {"a1", "b_at_a"},
    "province_operator": ALL_IN_PROVINCE,
    "branch_reviewer": ALL_IN_PROVINCE,
    "head_office_auditor": ALL_IN_PROVINCE | {"other_province"},
    "agent_bank_user": {"a1", "a2", "a_at_b"},  # the agent bank collects for county A only
    "student": {"a1"},
    "no_organisation": set(),
}
ROLES = sorted(EXPECTED)


@dataclass
class World:
    users: dict[str, User]
    borrowers: dict[str, Borrower]
    contracts: dict[str, Contract]

    def keys_of(self, pks) -> set[str]:
        by_pk = {b.pk: key for key, b in self.borrowers.items()}
        return {by_pk[pk] for pk in pks}

    def contract_keys_of(self, pks) -> set[str]:
        by_pk = {c.pk: key for key, c in self.contracts.items()}
        return {by_pk[pk] for pk in pks}


@pytest.fixture
def world(db) -> World:
    p = factories.build_province()
    county_a, county_b = p.counties
    univ_a, univ_b = p.universities
    (dept_a1, dept_a2), (dept_b1, dept_b2) = p.departments[univ_a.pk], p.departments[univ_b.pk]
    branch2 = factories.org("国家开发银行广东省分行", OrgKind.BANK_BRANCH, p.head, "440000")
    centre2 = factories.org("广东省学生资助管理中心", OrgKind.PROVINCE_CENTRE, branch2, "440000")
    county_c = factories.org("连平县学生资助管理中心", OrgKind.COUNTY_CENTRE, centre2, "441623")

    def borrower(county, univ, dept, region="510722"):
        return factories.BorrowerFactory(county=county, university=univ, department=dept,
                                         household_region_code=region)

    borrowers = {
        "a1": borrower(county_a, univ_a, dept_a1),
        "a2": borrower(county_a, univ_a, dept_a2),
        "a_at_b": borrower(county_a, univ_b, dept_b1),
        "b_at_a": borrower(county_b, univ_a, dept_a1, "511321"),
        "b2": borrower(county_b, univ_b, dept_b2, "511321"),
        "campus_a": borrower(None, univ_a, dept_a2, "510107"),
        "other_province": borrower(county_c, None, None, "441623"),
    }
    contracts = {key: make_contract(b) for key, b in borrowers.items()}
    student = factories.make_user(None, Role.STUDENT, with_totp=False)
    borrowers["a1"].user = student
    borrowers["a1"].save(update_fields=["user"])
    users = {
        "county_a_operator": factories.make_user(county_a, Role.OPERATOR),
        "county_b_operator": factories.make_user(county_b, Role.OPERATOR),
        "univ_a_officer": factories.make_user(univ_a, Role.UNIVERSITY_OFFICER),
        "univ_b_officer": factories.make_user(univ_b, Role.UNIVERSITY_OFFICER),
        "dept_a1_staff": factories.make_user(dept_a1, Role.DEPARTMENT_STAFF),
        "province_operator": factories.make_user(p.centre, Role.OPERATOR),
        "branch_reviewer": factories.make_user(p.branch, Role.BANK_REVIEWER),
        "head_office_auditor": factories.make_user(p.head, Role.AUDITOR),
        "agent_bank_user": factories.make_user(p.agent_bank, Role.OPERATOR),
        "student": student,
        "no_organisation": factories.make_user(None, Role.OPERATOR),
    }
    return World(users, borrowers, contracts)


def page_client(client, world, role):
    return login(client, world.users[role])


def api_client(world, role):
    return login(APIClient(), world.users[role])


@pytest.mark.parametrize("role", ROLES)
def test_borrower_list_page_shows_exactly_the_subtree(client, world, role):
    response = page_client(client, world, role).get(reverse("borrowers:list"))
    assert response.status_code == 200
    assert world.keys_of(b.pk for b in response.context["rows"]) == EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_borrower_list_api_shows_exactly_the_subtree(world, role):
    body = api_client(world, role).get("/api/v1/borrowers/").json()
    assert world.keys_of(row["id"] for row in body["results"]) == EXPECTED[role]
    assert body["count"] == len(EXPECTED[role])


@pytest.mark.parametrize("role", ROLES)
def test_contract_list_api_shows_exactly_the_subtree(world, role):
    body = api_client(world, role).get("/api/v1/contracts/").json()
    assert world.contract_keys_of(row["id"] for row in body["results"]) == EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_detail_pages_are_404_outside_the_subtree(client, world, role):
    page_client(client, world, role)
    for key, b in world.borrowers.items():
        status = client.get(reverse("borrowers:detail", args=[b.pk])).status_code
        assert status == (200 if key in EXPECTED[role] else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_api_details_are_404_outside_the_subtree(world, role):
    api = api_client(world, role)
    for key, b in world.borrowers.items():
        expected = 200 if key in EXPECTED[role] else 404
        assert api.get(f"/api/v1/borrowers/{b.pk}/").status_code == expected, (role, key)
        contract = world.contracts[key]
        assert api.get(f"/api/v1/contracts/{contract.pk}/").status_code == expected, (role, key)


@pytest.mark.parametrize("role", ["county_a_operator", "univ_a_officer", "branch_reviewer"])
def test_writes_and_reveals_outside_the_subtree_are_404_and_leave_no_trace(client, world, role):
    page_client(client, world, role)
    api = api_client(world, role)
    outside = [b for key, b in world.borrowers.items() if key not in EXPECTED[role]]
    assert outside
    for b in outside:
        assert client.post(reverse("borrowers:reveal", args=[b.pk])).status_code == 404
        assert api.post(f"/api/v1/borrowers/{b.pk}/reveal/").status_code == 404
        for name in ("borrowers:edit", "borrowers:co_borrower_add", "borrowers:contact_add"):
            assert client.get(reverse(name, args=[b.pk])).status_code == 404, name
    assert not AuditEntry.objects.filter(action="borrower_reveal_id_number").exists()


@pytest.mark.parametrize("role", ["county_a_operator", "county_b_operator", "univ_b_officer"])
def test_id_search_stays_in_scope(client, world, role):
    """Searching another county's student by full ID number finds nothing (not a hint either)."""
    page_client(client, world, role)
    for key, b in world.borrowers.items():
        rows = client.post(reverse("borrowers:list"), {"term": b.id_number}).context["rows"]
        assert [r.pk for r in rows] == ([b.pk] if key in EXPECTED[role] else []), (role, key)


def test_a_county_reads_its_contracts_by_the_county_column_alone(world):
    """A county centre's subtree holds no university or department, so its contract scope is one
    ``county_id IN (…)`` — the newest-first index answers 合同查询's first page without sorting
    every contract of the county (bench/load_web.py); the lists above hold the same rows."""
    from xuedai.origination.selectors import contract_list

    sql = str(contract_list(world.users["county_a_operator"]).query)
    where = sql.split(" WHERE ")[1].split(" ORDER BY ")[0]
    assert "county_id" in where and "university_id" not in where and "department_id" not in where
    sql = str(contract_list(world.users["univ_a_officer"]).query)
    assert "county_id" not in sql.split(" WHERE ")[1].split(" ORDER BY ")[0]
