"""征信报送 and 违约名单 through the real pages (DOMAIN.md §6 Default consequences): the bank branch's
reviewer produces December's credit-bureau file from the menu and downloads it; the university's
loan officer prepares the publication list; the university's 负责人 approves it and prints it.

PostgreSQL only, as the other browser tests that post to the ledger (SQLite's flush after a
live_server test DELETEs postings, which the ledger's triggers refuse)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from tests import factories
from tests.browser.helpers import staff_page
from tests.loans.conftest import make_contract
from xuedai import businessdate
from xuedai.loans.batches import settlement_batch
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.orgs.models import Role
from xuedai.reports.bureau.layout import credit_file_read

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ledger triggers block SQLite's flush after a live_server test"
)


def world():
    province = factories.build_province()
    university = province.universities[0]
    accounts = []
    for name in ("甲", "乙"):
        borrower = factories.BorrowerFactory(graduation_date=dt.date(2019, 6, 30), enrolled_year=2015,
                                             university=university, name=f"学生{name}")
        contract = make_contract(province, borrower=borrower, university=university)
        accounts.append(contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1)))
    # 学生甲 repays each year; 学生乙 never does and nobody has reached 乙: over a year by 10 Jan 2021.
    settlement_batch(on=dt.date(2018, 12, 20))
    for year, amount in ((2019, "1603.58"), (2020, "1754.25")):
        settlement_batch(on=dt.date(year, 12, 20))
        repayment_post(actor=None, account=accounts[0], on=dt.date(year, 12, 20), amount=Decimal(amount))
    bank = factories.make_user(province.branch, Role.BANK_REVIEWER, username="bank_bureau")
    officer = factories.make_user(university, Role.UNIVERSITY_OFFICER, username="uni_defaults")
    supervisor = factories.make_user(university, Role.SUPERVISOR, username="uni_defaults_sup")
    return bank, officer, supervisor


@pytest.mark.django_db(transaction=True)
def test_bank_produces_the_bureau_file_and_a_supervisor_approves_a_default_list(browser, live_server):
    with businessdate.business_date(dt.date(2021, 1, 10)):
        bank, officer, supervisor = world()

        page = staff_page(browser, live_server, bank)
        page.goto("/")
        page.get_by_role("button", name="贷后与资金").click()
        page.get_by_role("link", name="征信报送").first.click()
        assert page.locator("#month").input_value() == "2020-12"
        page.get_by_role("button", name="生成征信报送文件").click()
        page.wait_for_selector("text=已开始生成2020年12月征信报送文件")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="下载").first.click()
        data = Path(download_info.value.path()).read_bytes()
        back = credit_file_read(data)
        assert back["header"]["month"] == 202012 and len(back["records"]) == 2
        statuses = sorted(r["status"] for r in back["records"])
        assert statuses == ["7", "N"]  # 乙: 20 Dec 2019 → 31 Dec 2020 is 377 days (181 and more: 7)
        page.context.close()

        page = staff_page(browser, live_server, officer)
        page.goto("/")
        page.get_by_role("button", name="贷后与资金").click()
        page.get_by_role("link", name="违约名单").first.click()
        page.select_option("#purpose", "publication")
        page.get_by_role("button", name="编制名单").click()
        page.wait_for_selector("text=待负责人审批")
        main = page.locator("main").inner_text()
        assert "学生乙" in main and "学生甲" not in main
        page.context.close()

        page = staff_page(browser, live_server, supervisor)
        page.goto("/reports/credit/defaults/")
        page.get_by_role("link", name="违约学生信息公布名单").first.click()
        page.fill("#comment", "核对无误，同意公布")
        page.get_by_role("button", name="审批通过").click()
        page.wait_for_selector("text=已审批通过，可下载名单。")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="打印名单(PDF)").click()
        assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")
        page.context.close()
