"""Every page answers for its role, in Chinese; records outside the user's scope are 404s."""

import pytest

from tests.web.helpers import login, make_contract
from xuedai.origination.models import ContractState, CountyBatch

S = ContractState


@pytest.fixture
def season_data(walk, borrower, make_borrower):
    """One contract disbursed through the whole season, and one still waiting for its receipt."""
    done = walk(borrower, S.DISBURSED)
    # The year is locked now; a straggler is made directly (as a late renewal of last year would be).
    waiting = make_contract(make_borrower(), state=S.SIGNED, academic_year=2025)
    return done, waiting


PAGES = {
    "operator": ["/origination/county/", "/origination/batches/", "/origination/arrivals/"],
    "supervisor": ["/origination/county/", "/origination/batches/"],
    "officer": ["/origination/receipts/", "/origination/arrivals/", "/origination/receipts/template.xlsx"],
    "prov_operator": ["/origination/batches/", "/origination/batches/summary.xlsx"],
    "bank": ["/origination/batches/", "/origination/arrivals/?format=xlsx"],
    "student": ["/origination/apply/"],
}


@pytest.mark.parametrize("role", PAGES)
def test_role_pages_answer(client, people, season_data, role):
    login(client, people[role])
    for url in PAGES[role]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert client.get("/origination/").status_code == 302


@pytest.mark.parametrize("role", ["operator", "officer", "prov_operator", "bank", "student"])
def test_contract_batch_and_print_pages_in_scope(client, people, season_data, role):
    done, _ = season_data
    login(client, people[role])
    expected = 302 if role == "student" else 200  # students have no staff pages
    assert client.get(f"/origination/contracts/{done.pk}/").status_code in {expected, 403}
    if role != "student":
        response = client.get(f"/origination/contracts/{done.pk}/")
        assert "流转记录" in response.content.decode()
        # County batches belong to counties: a university does not see them.
        batch_status = 404 if role == "officer" else 200
        assert client.get(f"/origination/batches/{done.batch_id}/").status_code == batch_status
        assert client.get(f"/origination/batches/{done.batch_id}/summary.xlsx").status_code == batch_status


@pytest.mark.parametrize("role", ["other_operator", "other_officer"])
def test_foreign_records_are_404(client, people, season_data, role):
    done, waiting = season_data
    login(client, people[role])
    assert client.get(f"/origination/contracts/{done.pk}/").status_code == 404
    assert client.get(f"/origination/contracts/{waiting.pk}/print/contract/").status_code == 404
    assert client.post(f"/origination/contracts/{waiting.pk}/act/receipt/",
                       {"tuition": "1", "accommodation": "1"}).status_code == 404
    if role == "other_operator":
        assert client.get(f"/origination/batches/{done.batch_id}/").status_code == 404
        assert client.post(f"/origination/batches/{done.batch_id}/act/county_submit/").status_code == 404


def test_other_county_sees_no_batches_or_applications(client, people, season_data):
    login(client, people["other_operator"])
    body = client.get("/origination/batches/").content.decode()
    assert str(CountyBatch.objects.get()) not in body


def test_print_contract_pdf(client, people, season_data):
    _, waiting = season_data
    login(client, people["operator"])
    response = client.get(f"/origination/contracts/{waiting.pk}/print/acceptance/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_contract_page_offers_only_allowed_buttons(client, people, walk, make_borrower):
    contract = walk(make_borrower(), S.APPLIED)
    login(client, people["operator"])
    body = client.get(f"/origination/contracts/{contract.pk}/").content.decode()
    assert 'data-action="check_approve"' not in body  # the maker cannot check
    login(client, people["supervisor"])
    body = client.get(f"/origination/contracts/{contract.pk}/").content.decode()
    assert 'data-action="check_approve"' in body
    response = client.post(f"/origination/contracts/{contract.pk}/act/check_approve/", {"comment": "同意"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == S.SIGNED


def test_summary_exports(client, people, season_data):
    done, _ = season_data
    login(client, people["operator"])
    for suffix, magic in [("summary.xlsx", b"PK"), ("summary.pdf", b"%PDF")]:
        response = client.get(f"/origination/batches/{done.batch_id}/{suffix}")
        assert response.status_code == 200 and response.content[:len(magic)] == magic
    login(client, people["prov_supervisor"])
    response = client.get("/origination/batches/summary.xlsx?year=2026")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    body = client.get("/origination/batches/?year=2026").content.decode()
    assert "三台县学生资助管理中心" in body and "province-summary" in body


def test_bank_returns_on_the_batch_page_and_county_resubmits(client, people, walk, borrower, make_borrower):
    other = walk(make_borrower(), S.RECEIPTED)
    contract = walk(borrower, S.IN_REVIEW)
    login(client, people["bank"])
    body = client.get(f"/origination/batches/{contract.batch_id}/").content.decode()
    assert 'data-action="bank_return"' in body and "check-rest" in body and "approve-rest" not in body
    response = client.post(f"/origination/contracts/{contract.pk}/act/bank_return/",
                           {"comment": "", "next": "batch"})
    assert response.status_code == 302 and response.url == f"/origination/batches/{contract.batch_id}/"
    contract.refresh_from_db()
    assert contract.state == S.IN_REVIEW  # refused: a return needs a reason
    client.post(f"/origination/contracts/{contract.pk}/act/bank_return/", {"comment": "签字不全"})
    client.post(f"/origination/batches/{contract.batch_id}/act/check_rest/")
    other.refresh_from_db()
    assert other.state == S.BANK_CHECKED
    login(client, people["approver"])
    assert "approve-rest" in client.get(f"/origination/batches/{contract.batch_id}/").content.decode()
    client.post(f"/origination/batches/{contract.batch_id}/act/approve_rest/")
    other.refresh_from_db()
    assert other.state == S.APPROVED
    login(client, people["operator"])
    assert "银行退回待修改" in client.get("/origination/county/").content.decode()
    response = client.post(f"/origination/contracts/{contract.pk}/edit/",
                           {"amount": "7000", "term_years": "18", "co_borrower": contract.co_borrower_id})
    assert response.status_code == 302
    client.post(f"/origination/contracts/{contract.pk}/act/resubmit/")
    contract.refresh_from_db()
    assert contract.state == S.IN_REVIEW and contract.amount == 7000 and contract.batch.sequence == 2
