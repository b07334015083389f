"""The demo as its people use it (the README's logins, on `xuedai demo-data`): the student sees the
same amount due and the same day on every page, applies for early repayment and then sees that on
every page; the county operator creates a contract from a borrower's page.

Loans postings are append-only (DB triggers): after a live_server test Django flushes the tables,
which SQLite's DELETE hits and PostgreSQL's TRUNCATE does not — so this runs on PostgreSQL only."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.browser.helpers import log_in
from xuedai.borrowers.models import Borrower
from xuedai.demo.logins import DEMO_PASSWORD, DEMO_STUDENT_ID_NUMBER
from xuedai.loans.models import EarlyRepaymentApplication
from xuedai.orgs.models import User
from xuedai.origination.models import Contract, ContractState

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="ledger triggers block SQLite's flush after a live_server test")
STUDENT_PAGES = {"/": "year-due", "/postloan/me/loans/": "year-due", "/calculator/my/": "plan-due"}


@pytest.fixture
def demo(transactional_db):
    call_command("demo_data", students=400, stdout=StringIO())


def _due(page, block_id: str) -> dict:
    block = page.locator(f"#{block_id}")
    return {name: block.get_attribute(f"data-{name}") for name in ("due-on", "due-total", "deposit-by")}


def _every_student_page_says(page) -> dict:
    said = {}
    for path, block_id in STUDENT_PAGES.items():
        page.goto(path)
        said[path] = _due(page, block_id)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    assert len({tuple(d.values()) for d in said.values()}) == 1, said
    return next(iter(said.values()))


@pytest.mark.django_db(transaction=True)
def test_the_student_sees_one_answer_and_applies_for_early_repayment(demo, phone_page):
    page = phone_page
    log_in(page, DEMO_STUDENT_ID_NUMBER, password=DEMO_PASSWORD)
    before = _every_student_page_says(page)
    assert before["due-on"] and before["due-total"] not in ("", "0.00")
    contract = Contract.objects.filter(borrower__id_number=DEMO_STUDENT_ID_NUMBER,
                                       state=ContractState.DISBURSED).order_by("academic_year").first()
    page.goto(f"/postloan/me/contracts/{contract.pk}/")
    assert page.locator("#postings .posting").count() >= 2  # the demo's ledger: disbursement and 贴息
    page.fill("input[name=principal]", "1000")
    with page.expect_navigation():
        page.get_by_role("button", name="申请提前还款").click()
    message = page.locator(".alert-success").inner_text()
    early = EarlyRepaymentApplication.objects.get(account_id=contract.pk)
    # On 20 Nov the newer rule sends an application to the 20 Dec deduction (DOMAIN.md §1).
    assert f"扣款日为 {early.deduct_on:%Y年%-m月%-d日}" in message
    after = _every_student_page_says(page)
    assert after["due-on"] == early.deduct_on.isoformat() != before["due-on"]
    total = after["due-total"]
    assert f"届时应还 {total} 元" in message and re.search(r"本金 1,000\.00 元", message)
    page.goto(f"/postloan/me/contracts/{contract.pk}/")
    assert _due(page, "contract-due") == after  # the contract's own page: the same amount and day


@pytest.mark.django_db(transaction=True)
def test_the_county_operator_creates_a_contract_from_a_borrower_page(demo, page):
    operator = User.objects.get(username="county_op")
    declined = Borrower.objects.filter(county=operator.organisation, contracts__academic_year=2026,
                                       contracts__state=ContractState.DECLINED).first()
    log_in(page, operator.username, password=DEMO_PASSWORD, totp_user=operator)
    page.goto(f"/borrowers/{declined.pk}/")
    with page.expect_navigation():
        page.locator("#new-contract").click()
    page.fill("input[name=amount]", "8000")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "已新增合同" in page.locator(".alert-success").inner_text()
    created = Contract.objects.get(borrower=declined, academic_year=2026, state=ContractState.APPLIED)
    borrowed = declined.contracts.filter(academic_year__lt=2026, state__in=[
        ContractState.DISBURSED, ContractState.REPAYING, ContractState.OVERDUE, ContractState.SETTLED])
    assert created.created_by == operator and created.is_renewal == borrowed.exists()
    page.goto("/origination/")
    assert created.contract_no in page.locator("main").inner_text()
    # A borrower with this year's contract offers no button, and says why.
    busy = Borrower.objects.filter(county=operator.organisation, contracts__academic_year=2026,
                                   contracts__state=ContractState.SIGNED).first()
    page.goto(f"/borrowers/{busy.pk}/")
    assert page.locator("#new-contract").count() == 0
    assert "已有生源地贷款合同" in page.locator("#new-contract-refusal").inner_text()
