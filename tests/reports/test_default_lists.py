"""违约名单 by hand: who is on it (over one year in arrears, nobody reached in that year), the
supervisor's approval before anything is printed, masking, and the files read back.

Five contracts of the worked example (6000 yuan at 5.65 %, 1500 principal each 20 Dec from 2019);
settled on 20 Dec 2018, 2019 and 2020; the list is drawn on 10 Jan 2021 (one year before: 10 Jan 2020).

- A pays 2019 and 2020: not overdue.
- B pays nothing and nobody reached B: oldest unpaid 20 Dec 2019, 387 days → on the list with
  3000 principal (2019 + 2020) and 103.58 + 254.25 (4500 × 5.65 %) = 357.83 interest.
- D pays nothing but answered a call on 1 Jun 2020: reached within the year → not on the list.
- E pays nothing; the county called on 1 Mar 2020 and nobody answered → on the list, never reached.
- F pays 2019, not 2020: 21 days overdue → not on the list.
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from tests import factories
from tests.loans.conftest import make_contract
from tests.web.helpers import login
from xuedai import businessdate
from xuedai.audit.models import AuditEntry
from xuedai.documents import checks
from xuedai.loans.batches import settlement_batch
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.orgs.models import Role
from xuedai.postloan.models import ContactLog
from xuedai.reports.defaults.models import DefaultList, ListStatus
from xuedai.reports.defaults.services import DefaultListError, default_list_prepare, default_list_review

TODAY = dt.date(2021, 1, 10)


@pytest.fixture
def world(province):
    university = province.universities[0]
    accounts = {}
    for name in "ABDEF":
        borrower = factories.BorrowerFactory(
            graduation_date=dt.date(2019, 6, 30),
            enrolled_year=2015,
            university=university,
            name=f"学生{name}",
        )
        accounts[name] = contract_disburse(
            actor=None,
            contract=make_contract(province, borrower=borrower, no=f"SC-{name}"),
            on=dt.date(2018, 9, 1),
        )
    for year in (2018, 2019, 2020):
        settlement_batch(on=dt.date(year, 12, 20))
        if year >= 2019:
            repayment_post(
                actor=None,
                account=accounts["A"],
                on=dt.date(year, 12, 20),
                amount=Decimal("1603.58") if year == 2019 else Decimal("1754.25"),
            )
        if year == 2019:
            repayment_post(
                actor=None, account=accounts["F"], on=dt.date(2019, 12, 20), amount=Decimal("1603.58")
            )
    ContactLog.objects.create(
        borrower=accounts["D"].contract.borrower,
        contacted_on=dt.date(2020, 6, 1),
        channel="phone",
        result="reached",
    )
    ContactLog.objects.create(
        borrower=accounts["E"].contract.borrower,
        contacted_on=dt.date(2020, 3, 1),
        channel="phone",
        result="no_answer",
    )
    officer = factories.make_user(university, Role.UNIVERSITY_OFFICER)
    supervisor = factories.make_user(university, Role.SUPERVISOR)
    return accounts, officer, supervisor


def _prepare(officer, purpose="publication") -> DefaultList:
    with businessdate.business_date(TODAY):
        return default_list_prepare(actor=officer, purpose=purpose)


def test_who_is_on_the_list_by_hand(world):
    _accounts, officer, _ = world
    default_list = _prepare(officer)
    rows = [
        (
            e.name,
            e.contracts,
            e.overdue_principal,
            e.overdue_interest,
            e.overdue_since,
            e.days_overdue,
            e.last_reached_on,
        )
        for e in default_list.entries.all()
    ]
    assert rows == [
        ("学生B", "SC-B", Decimal("3000.00"), Decimal("357.83"), dt.date(2019, 12, 20), 387, None),
        ("学生E", "SC-E", Decimal("3000.00"), Decimal("357.83"), dt.date(2019, 12, 20), 387, None),
    ]
    assert default_list.status == ListStatus.SUBMITTED and default_list.entries_count == 2
    assert default_list.entries.first().school == "四川大学"
    assert AuditEntry.objects.filter(action="reports.default_list_prepare").count() == 1


def test_one_year_boundary(world):
    """B's oldest unpaid day is 20 Dec 2019: on 20 Dec 2020 exactly one year, not over; on 21 Dec over."""
    _, officer, _ = world
    with (
        businessdate.business_date(dt.date(2020, 12, 20)),
        pytest.raises(DefaultListError, match="没有连续拖欠"),
    ):
        default_list_prepare(actor=officer, purpose="degree")
    with businessdate.business_date(dt.date(2020, 12, 21)):
        assert default_list_prepare(actor=officer, purpose="degree").entries_count == 2


def test_maker_checker(world, province):
    _, officer, supervisor = world
    default_list = _prepare(officer)
    both = factories.make_user(province.universities[0], Role.UNIVERSITY_OFFICER, Role.SUPERVISOR)
    mine = _prepare(both)
    with pytest.raises(DefaultListError, match="不能是同一人"):
        default_list_review(actor=both, default_list=mine, approve=True, comment="")
    with pytest.raises(DefaultListError, match="只有编制单位的负责人"):
        default_list_review(actor=officer, default_list=default_list, approve=True, comment="")
    other_unit = factories.make_user(province.universities[1], Role.SUPERVISOR)
    with pytest.raises(DefaultListError, match="只有编制单位的负责人"):
        default_list_review(actor=other_unit, default_list=default_list, approve=True, comment="")
    with pytest.raises(DefaultListError, match="退回时请写明原因"):
        default_list_review(actor=supervisor, default_list=default_list, approve=False, comment=" ")
    default_list_review(actor=supervisor, default_list=default_list, approve=True, comment="同意公布")
    default_list.refresh_from_db()
    assert default_list.status == ListStatus.APPROVED and default_list.reviewed_by == supervisor
    with pytest.raises(DefaultListError, match="已审批"):
        default_list_review(actor=supervisor, default_list=default_list, approve=False, comment="再议")
    assert AuditEntry.objects.filter(action="reports.default_list_approve").count() == 1


def test_pages_files_and_masking(client, world):
    accounts, officer, supervisor = world
    b = accounts["B"].contract.borrower
    login(client, officer)
    with businessdate.business_date(TODAY):
        response = client.post("/reports/credit/defaults/prepare/", {"purpose": "publication"})
    default_list = DefaultList.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/credit/defaults/{default_list.pk}/"
    page = client.get(response.url).content.decode()
    assert b.id_number not in page and b.masked_id_number in page  # masked on the page
    assert client.get(f"/reports/credit/defaults/{default_list.pk}/xlsx/").status_code == 403  # not approved
    login(client, supervisor)
    client.post(f"/reports/credit/defaults/{default_list.pk}/review/", {"decision": "approve", "comment": ""})
    default_list.refresh_from_db()
    assert default_list.status == ListStatus.APPROVED
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/reports/credit/defaults/{default_list.pk}/xlsx/").content)
    ).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0].startswith("违约学生信息公布名单")
    first = next(row for row in values if row[1] == "学生B")
    # The publication list is the legal exception: the full ID number [003 第二十八条].
    assert first[2] == b.id_number and first[7] == 3000 and first[8] == pytest.approx(357.83)
    pdf = client.get(f"/reports/credit/defaults/{default_list.pk}/pdf/").content
    text = checks.assert_no_missing_glyphs(pdf, "违约学生信息公布名单", "学生B")
    assert b.id_number in text
    assert AuditEntry.objects.filter(action="document_export").count() == 2


def test_degree_notice_masks_the_id(client, world):
    accounts, officer, supervisor = world
    b = accounts["B"].contract.borrower
    default_list = _prepare(officer, "degree")
    default_list_review(actor=supervisor, default_list=default_list, approve=True, comment="")
    login(client, officer)
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/reports/credit/defaults/{default_list.pk}/xlsx/").content)
    ).active
    ids = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] in ("学生B", "学生E")]
    assert ids and b.id_number not in ids and b.masked_id_number in ids


def test_scope_another_county_sees_none(world, province):
    """The list reads the preparer's scope: the other county signed none of these contracts."""
    other = factories.make_user(province.counties[1], Role.OPERATOR)
    with businessdate.business_date(TODAY), pytest.raises(DefaultListError, match="没有连续拖欠"):
        default_list_prepare(actor=other, purpose="publication")
    county = factories.make_user(province.counties[0], Role.OPERATOR)
    assert _prepare(county).entries_count == 2


def test_a_list_of_another_unit_is_not_found(client, world, province):
    _, officer, _ = world
    default_list = _prepare(officer)
    login(client, factories.make_user(province.universities[1], Role.SUPERVISOR))
    assert client.get(f"/reports/credit/defaults/{default_list.pk}/").status_code == 404
