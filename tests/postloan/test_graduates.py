"""学生台账 by graduation year [000 二]: who is on it (owing borrowers only), masking, the audited
full export, and scope (a department sees its own; another university's borrower is a 404)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.helpers import login
from xuedai.audit.models import AuditEntry
from xuedai.origination.models import ContractState
from xuedai.postloan import selectors

pytestmark = pytest.mark.django_db


def _names(user, year=2026, **kw):
    return {b.name + b.student_no for b in selectors.graduating_borrowers(
        user, selectors.GraduateFilters(year=year, **kw))}


def test_list_leaves_out_paid_off_borrowers_and_other_years(world):
    owing = world.graduate()
    paid_off = world.graduate(state=ContractState.SETTLED, contracts=2)
    partly = world.graduate(contracts=2)
    partly.contracts.filter(academic_year=2022).update(state=ContractState.SETTLED)
    next_year = world.graduate(year=2027)
    rows = selectors.graduating_borrowers(world.officer, selectors.GraduateFilters(year=2026))
    ids = {b.pk for b in rows}
    assert owing.pk in ids and partly.pk in ids
    assert paid_off.pk not in ids, "all contracts settled: not on the list (DOMAIN.md §5)"
    assert next_year.pk not in ids
    row = next(b for b in rows if b.pk == partly.pk)
    assert row.contract_count == 1  # only the live contract counts


def test_department_staff_see_only_their_department(world, client):
    mine = world.graduate(world.dept_a)
    theirs = world.graduate(world.dept_b)
    assert {b.pk for b in selectors.graduating_borrowers(
        world.staff_a, selectors.GraduateFilters(year=2026))} == {mine.pk}
    login(client, world.staff_a)
    html = client.get(reverse("postloan:graduates")).content.decode()
    assert mine.name in html and theirs.student_no not in html
    assert client.get(reverse("postloan:borrower", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("postloan:card_pdf", args=[theirs.pk])).status_code == 404


def test_another_universitys_borrower_is_a_404(world, client):
    other_dept = world.province.departments[world.other_university.pk][0]
    stranger = world.graduate(other_dept, university=world.other_university,
                              county=world.province.counties[1], household_region_code="511321")
    login(client, world.officer)
    for name in ("postloan:borrower", "postloan:letter_pdf", "postloan:card_pdf"):
        assert client.get(reverse(name, args=[stranger.pk])).status_code == 404, name
    response = client.get(reverse("postloan:letter_summary_xlsx", args=[other_dept.pk]))
    assert response.status_code == 404


def test_page_masks_identity_numbers_and_mobiles(world, client):
    borrowers = [world.graduate() for _ in range(3)]
    html = login(client, world.officer).get(reverse("postloan:graduates") + "?year=2026").content.decode()
    for b in borrowers:
        assert b.masked_id_number in html and b.id_number not in html
        assert b.masked_mobile in html and b.mobile not in html


def _sheet(content: bytes):
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_register_xlsx_is_masked_by_default(world, client):
    b = world.graduate()
    response = login(client, world.staff_a).get(reverse("postloan:register_xlsx") + "?year=2026")
    assert response.status_code == 200
    rows = _sheet(response.content)
    assert "2026年毕业贷款学生台账" in rows[0][0]
    assert rows[1][:5] == ["序号", "院系", "学号", "姓名", "身份证号"]
    data = rows[2]
    assert data[3] == b.name and data[4] == b.masked_id_number and data[9] == b.masked_mobile
    assert data[15] == "未分配" and data[16] == "未申请"


def test_full_register_is_a_post_for_the_loan_office_and_audited(world, client):
    b = world.graduate()
    login(client, world.staff_a)
    assert client.post(reverse("postloan:register_xlsx") + "?year=2026").status_code == 403
    login(client, world.officer)
    response = client.post(reverse("postloan:register_xlsx") + "?year=2026")
    rows = _sheet(response.content)
    assert rows[2][4] == b.id_number and rows[2][9] == b.mobile
    assert "%E5%90%AB" in response["Content-Disposition"]  # "含完整身份证号", percent-encoded
    entry = AuditEntry.objects.get(action="postloan_register_export_full")
    assert entry.actor == world.officer and entry.after["人数"] == "1"


def test_student_cannot_open_staff_pages(world, client):
    b = world.graduate()
    login(client, b.user)
    assert client.get(reverse("postloan:graduates")).status_code == 404
    assert client.get(reverse("postloan:borrower", args=[b.pk])).status_code == 404
    assert client.get(reverse("postloan:home")).url == reverse("postloan:my_confirmation")


def test_navigation_offers_postloan_to_the_roles_that_work_it(world, client):
    login(client, world.staff_a)
    assert "贷后管理" in client.get(reverse("home")).content.decode()
    b = world.graduate()
    login(client, b.user)
    assert "毕业确认" in client.get(reverse("home")).content.decode()
