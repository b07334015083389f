"""The campus, commercial and archive pages answer for the roles that use them, show the clocks and
the timeline, refuse with the Chinese message, and serve the documents."""

import datetime as dt

import pytest

from tests.origination.campus_fixtures import DAY
from tests.web.helpers import login
from xuedai import businessdate
from xuedai.origination.models import ContractState as C

pytestmark = pytest.mark.django_db


def test_campus_pages_and_documents(client, campus, campus_walk, student):
    c = campus_walk(student(), C.QUALIFIED)
    login(client, campus["people"]["officer"])
    with businessdate.business_date(dt.date(2025, 9, 22)):
        page = client.get("/origination/campus/").content.decode()
        assert c.contract_no in page and "银行审批" in page
        detail = client.get(f"/origination/loans/{c.pk}/").content.decode()
        assert "审批通过(列入审查合格名册)" in detail and "当面签订借款合同" in detail
        for url in [
            "/origination/campus/roster.xlsx",
            "/origination/campus/roster.pdf",
            "/origination/campus/review-info.xlsx",
            "/origination/campus/ledger.xlsx",
            f"/origination/campus/{c.pk}/approval-form.pdf",
        ]:
            assert client.get(url).status_code == 200, url
        client.post(f"/origination/loans/{c.pk}/act/sign/")
    c.refresh_from_db()
    assert c.state == C.APPROVED
    assert client.get(f"/origination/contracts/{c.pk}/").status_code == 302  # the 生源地 page sends it here


def test_refusal_shown_in_chinese(client, campus, campus_walk, student):
    c = campus_walk(student(), C.IN_NOTICE)
    login(client, campus["people"]["officer"])
    with businessdate.business_date(DAY):
        response = client.post(f"/origination/loans/{c.pk}/act/office_review/", follow=True)
    assert "公示期满后" in response.content.decode()


def test_overdue_clock_highlighted(client, campus, campus_walk, student):
    c = campus_walk(student(), C.OFFICE_SENT)
    login(client, campus["people"]["prov"])
    with businessdate.business_date(dt.date(2025, 9, 30)):
        page = client.get("/origination/campus/").content.decode()
    assert "table-danger" in page and "已超期" in page and c.contract_no in page


def test_archive_page_ticks_and_reports(client, people, walk, make_borrower):
    c = walk(make_borrower(), C.SIGNED)
    login(client, people["operator"])
    year = c.academic_year
    assert c.contract_no in client.get(f"/origination/archives/?year={year}").content.decode()
    client.post(f"/origination/archives/{c.pk}/tick/", {"item": ["申请表", "借款合同"]})
    assert c.archive_items.count() == 2
    assert client.get(f"/origination/archives/missing.xlsx?year={year}").status_code == 200


def test_full_id_rosters_need_a_reveal_role_and_are_audited(client, campus, campus_walk, student):
    from xuedai.audit.models import AuditEntry

    campus_walk(student(), C.QUALIFIED)
    login(client, campus["people"]["dept"])  # department staff may not take full ID numbers
    for url in ["/origination/campus/roster.xlsx", "/origination/campus/review-info.xlsx"]:
        assert client.get(url).status_code == 403, url
    assert not AuditEntry.objects.filter(action__startswith="origination_campus_").exists()
    login(client, campus["people"]["officer"])
    assert client.get("/origination/campus/roster.pdf").status_code == 200
    assert AuditEntry.objects.filter(action="origination_campus_roster_export_pdf",
                                     actor=campus["people"]["officer"]).exists()
