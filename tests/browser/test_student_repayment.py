"""Issue 5 §8 on a phone: a repaying student sees this year's amount and day, the whole plan, every
posting explained, applies for early repayment and sees the deduction day, and downloads the
已结清凭证 of a settled contract — all within 375 px.

Loans postings are append-only (DB triggers): after a live_server test Django flushes the tables,
which SQLite's DELETE hits and PostgreSQL's TRUNCATE does not — so this runs on PostgreSQL only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from tests import factories
from tests.browser.helpers import log_in
from tests.postloan.conftest import make_contract
from xuedai import businessdate
from xuedai.loans.services import contract_disburse, repayment_post, settlement_post
from xuedai.orgs.models import Role
from xuedai.origination.models import ContractState

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="ledger triggers block SQLite's flush after a live_server test")


def _student():
    province = factories.build_province()
    borrower = factories.BorrowerFactory(county=province.counties[0], university=province.universities[0],
                                         graduation_date=dt.date(2025, 6, 30))
    user = factories.make_user(None, Role.STUDENT, username=f"s{borrower.pk}", with_totp=False)
    borrower.user = user
    borrower.save(update_fields=["user"])
    contract = make_contract(borrower, state=ContractState.APPROVED, disbursed_on=None,
                             self_pay_from=dt.date(2025, 9, 1))
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2022, 10, 15))
    for year in range(2022, 2026):
        settlement_post(actor=None, account=account, on=dt.date(year, 12, 20))
    repayment_post(actor=None, account=account, on=dt.date(2025, 12, 20), amount=Decimal("1000.00"),
                   source="支付宝扣款")
    settled = make_contract(borrower, state=ContractState.SETTLED, academic_year=2021,
                            disbursed_on=dt.date(2021, 10, 15))
    return borrower, contract, settled


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.django_db(transaction=True)
def test_student_repayment_on_a_phone(phone_page):
    page = phone_page
    borrower, contract, settled = _student()
    log_in(page, borrower.id_number)
    assert page.locator("#year-due .due-amount").is_visible()
    assert "2026-12-20" in page.locator("#year-due").inner_text()
    _fits(page)
    page.goto("/postloan/me/loans/")
    assert page.locator("#year-due .due-date").inner_text() == "2026-12-20"
    _fits(page)
    page.goto(f"/postloan/me/contracts/{contract.pk}/")
    page.locator("#whole-plan summary").click()
    assert page.locator("#whole-plan table tbody tr").count() >= 10
    explanations = page.locator("#postings .explanation").all_inner_texts()
    assert any("贴息" in t for t in explanations) and any("先收息、后还本" in t for t in explanations)
    _fits(page)
    # The live server shares this process, so the business date override reaches the page.
    with businessdate.business_date(dt.date(2027, 3, 5)):
        page.fill("input[name=principal]", "1000")
        with page.expect_navigation():
            page.get_by_role("button", name="申请提前还款").click()
        assert "扣款日为 2027年3月20日" in page.locator("main").inner_text()
        assert "2027-03-20" in page.locator(".early-row").first.inner_text()
    _fits(page)
    page.goto(f"/postloan/me/contracts/{settled.pk}/")
    with page.expect_download() as download:
        page.locator("#settlement-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    _fits(page)
