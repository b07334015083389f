"""包干到人 [000 一, 三]: assignment, reassignment with history, the department move that keeps owner
and scope in agreement, who may assign, and each staff member's own worklist."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests import factories
from tests.web.helpers import login
from xuedai.audit.models import AuditEntry
from xuedai.audit.services import subject_key
from xuedai.orgs.models import Role
from xuedai.postloan import selectors
from xuedai.postloan.models import Assignment
from xuedai.postloan.services.assignments import assignment_end, assignment_set

pytestmark = pytest.mark.django_db


def test_assign_then_reassign_keeps_history(world):
    b = world.graduate(world.dept_a)
    first = assignment_set(actor=world.officer, borrower=b, staff=world.staff_a, note="四月分解")
    assert assignment_set(actor=world.officer, borrower=b, staff=world.staff_a) == first  # no change
    staff_a2 = factories.make_user(world.dept_a, Role.DEPARTMENT_STAFF)
    second = assignment_set(actor=world.officer, borrower=b, staff=staff_a2, note="原责任人调岗")
    first.refresh_from_db()
    assert first.ended_on is not None and first.ended_by == world.officer
    assert second.is_current and second.assigned_by == world.officer
    assert list(selectors.assignment_history(b)) == [second, first]
    actions = list(AuditEntry.objects.filter(subject_key=subject_key(b)).values_list("action", flat=True))
    assert "postloan_assign" in actions and "postloan_reassign" in actions


def test_one_current_assignment_is_held_by_the_database(world):
    from django.db import IntegrityError, transaction

    b = world.graduate()
    assignment_set(actor=world.officer, borrower=b, staff=world.staff_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(borrower=b, department=world.dept_b, staff=world.staff_b,
                                  assigned_on="2026-04-20")


def test_assigning_to_another_departments_staff_moves_the_borrower(world):
    b = world.graduate(world.dept_a)
    assignment_set(actor=world.officer, borrower=b, staff=world.staff_b)
    b.refresh_from_db()
    assert b.department == world.dept_b
    # ... so the new owner sees the borrower, and the old department no longer does.
    assert b.pk in {x.pk for x in selectors.my_worklist(world.staff_b)}
    assert not selectors.graduating_borrowers(world.staff_a, selectors.GraduateFilters(year=2026)).exists()
    assert AuditEntry.objects.filter(action="borrower_update", subject_key=subject_key(b)).exists()


def test_who_may_assign_and_to_whom(world):
    b = world.graduate()
    with pytest.raises(PermissionDenied):
        assignment_set(actor=world.staff_a, borrower=b, staff=world.staff_a)
    other_staff = factories.make_user(world.province.departments[world.other_university.pk][0],
                                      Role.DEPARTMENT_STAFF)
    with pytest.raises(ValidationError, match="不属于该学生的高校"):
        assignment_set(actor=world.officer, borrower=b, staff=other_staff)
    with pytest.raises(ValidationError, match="院系责任人"):
        assignment_set(actor=world.officer, borrower=b, staff=world.officer)


def test_end_without_successor(world):
    b = world.graduate()
    assignment_set(actor=world.officer, borrower=b, staff=world.staff_a)
    ended = assignment_end(actor=world.officer, borrower=b, note="离职")
    assert ended.ended_on is not None
    assert selectors.current_assignment(b) is None


def test_worklist_is_only_my_current_owing_borrowers(world, client):
    mine = world.graduate(world.dept_a)
    handed_on = world.graduate(world.dept_a)
    colleague = world.graduate(world.dept_a)
    assignment_set(actor=world.officer, borrower=mine, staff=world.staff_a)
    assignment_set(actor=world.officer, borrower=handed_on, staff=world.staff_a)
    staff_a2 = factories.make_user(world.dept_a, Role.DEPARTMENT_STAFF)
    assignment_set(actor=world.officer, borrower=handed_on, staff=staff_a2)
    assignment_set(actor=world.officer, borrower=colleague, staff=staff_a2)
    assert [b.pk for b in selectors.my_worklist(world.staff_a)] == [mine.pk]
    html = login(client, world.staff_a).get(reverse("postloan:worklist")).content.decode()
    assert mine.student_no in html
    assert handed_on.student_no not in html and colleague.student_no not in html


def test_bulk_assignment_from_the_list_page(world, client):
    borrowers = [world.graduate(world.dept_a) for _ in range(3)]
    login(client, world.officer)
    response = client.post(reverse("postloan:graduates"), {
        "borrower": [b.pk for b in borrowers[:2]], "staff": world.staff_a.pk, "note": "四月分解",
        "back": "year=2026"})
    assert response.status_code == 302 and response.url.endswith("?year=2026")
    assigned = {a.borrower_id for a in Assignment.objects.filter(staff=world.staff_a)}
    assert assigned == {b.pk for b in borrowers[:2]}
    html = client.get(reverse("postloan:graduates") + "?year=2026&unassigned=1").content.decode()
    assert borrowers[2].student_no in html and borrowers[0].student_no not in html
    # A department cannot assign.
    login(client, world.staff_a)
    client.post(reverse("postloan:graduates"), {"borrower": [borrowers[2].pk], "staff": world.staff_a.pk})
    assert not Assignment.objects.filter(borrower=borrowers[2]).exists()


def test_reassign_from_the_borrower_page(world, client):
    b = world.graduate(world.dept_a)
    login(client, world.officer)
    client.post(reverse("postloan:assign", args=[b.pk]), {"staff": world.staff_a.pk})
    client.post(reverse("postloan:assign", args=[b.pk]), {"staff": world.staff_b.pk, "note": "转院系"})
    html = client.get(reverse("postloan:borrower", args=[b.pk])).content.decode()
    assert Assignment.objects.filter(borrower=b).count() == 2
    assert world.dept_b.name in html and "至今" in html
