"""The quarter end through the real pages (DOMAIN.md §6; seed [004] 第九条): the university's loan
officer opens the quarter's 资产质量分类认定表 from the home page's work item, explains the overdue and
submits it; the university's 负责人 approves it (审定); the province centre sees it in its summary and
reports the summary to the bank branch (operator, then 负责人); the branch sees it reported.

The ledger is append-only (DB triggers) and SQLite's flush after a live_server test DELETEs: so this
runs on PostgreSQL only, as the other browser tests that post to the ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from tests import factories
from tests.browser.helpers import staff_page
from tests.loans.conftest import make_contract
from xuedai import businessdate
from xuedai.loans.batches import classification_batch, settlement_batch
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.loans.services.tranches import planned_days, tranches_pay_out
from xuedai.orgs.models import Role
from xuedai.origination.models import Contract
from xuedai.reports.quarter.snapshot import quarter_snapshot_take

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ledger triggers block SQLite's flush after a live_server test"
)
Q1 = dt.date(2020, 3, 31)


def campus_quarter():
    province = factories.build_province()
    university = province.universities[0]
    accounts = []
    for _ in range(2):
        contract = make_contract(province, university=university)
        Contract.objects.filter(pk=contract.pk).update(product="campus")
        contract.refresh_from_db()
        accounts.append(contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1)))
    for year in (2018, 2019):
        # Campus living expenses go out monthly (DOMAIN.md §3.2): the daily run's payouts first.
        for day in sorted(planned_days(dt.date(2018, 9, 1), dt.date(year, 12, 20))):
            tranches_pay_out(on=day)
        settlement_batch(on=dt.date(year, 12, 20))
    repayment_post(actor=None, account=accounts[0], on=dt.date(2019, 12, 20), amount=Decimal("1603.58"))
    classification_batch(on=Q1)
    quarter_snapshot_take(actor=None, on=Q1)
    officer = factories.make_user(university, Role.UNIVERSITY_OFFICER, username="uni_officer")
    supervisor = factories.make_user(university, Role.SUPERVISOR, username="uni_sup")
    centre = factories.make_user(province.centre, Role.OPERATOR, username="province_op")
    centre_sup = factories.make_user(province.centre, Role.SUPERVISOR, username="province_sup")
    bank = factories.make_user(province.branch, Role.BANK_REVIEWER, username="bank_reviewer")
    return officer, supervisor, centre, centre_sup, bank


@pytest.mark.django_db(transaction=True)
def test_university_submits_the_quarter_and_the_province_sees_it(browser, live_server):
    with businessdate.business_date(dt.date(2020, 4, 1)):
        officer, supervisor, centre, centre_sup, bank = campus_quarter()

        page = staff_page(browser, live_server, officer)
        page.goto("/")
        assert "季末待提交的认定表" in page.locator("main").inner_text()
        assert "剩余2个工作日" in page.locator("main").inner_text()
        page.get_by_role("button", name="贷后与资金").click()  # the menu's drop-down
        page.get_by_role("link", name="季末分类").first.click()
        page.get_by_role("link", name="认定表").first.click()
        main = page.locator("main").inner_text()
        assert "资产质量分类认定表" in main and "2018年度助学贷款项目" in main
        assert "10,500.00" in main  # A paid 1500 of its 6000 (正常 4500) + B unpaid (次级 6000)
        page.fill("textarea[name=reasons]", "一名毕业生未按期还款，已安排院系联系")
        page.get_by_role("button", name="提交认定表").click()
        page.wait_for_selector("text=已提交第1版")
        assert page.locator("#report-status").inner_text() == "已提交(待审定)"
        page.context.close()

        page = staff_page(browser, live_server, supervisor)
        page.goto("/reports/quarter/")
        page.get_by_role("link", name="认定表").first.click()
        page.get_by_role("button", name="审定通过").click()
        page.wait_for_selector("text=已审定，报送省资助中心")
        page.context.close()

        page = staff_page(browser, live_server, centre)
        page.goto("/")
        assert "季末已报送的认定表" in page.locator("main").inner_text()
        page.goto("/reports/quarter/")
        page.get_by_role("link", name="资产质量分类汇总表").first.click()
        row = page.locator("#summary-table tbody tr").first.inner_text()
        assert "四川大学" in row and "已审定(已报送)" in row
        assert page.locator("#reported").inner_text() == "1"
        page.get_by_role("button", name="报送汇总表").click()
        page.wait_for_selector("text=已报送第1版汇总表")
        page.context.close()

        page = staff_page(browser, live_server, centre_sup)
        page.goto("/reports/quarter/")
        page.get_by_role("link", name="资产质量分类汇总表").first.click()
        page.get_by_role("button", name="审核通过，报送分行").click()
        page.wait_for_selector("text=已审核，汇总表报送分行")
        page.context.close()

        page = staff_page(browser, live_server, bank)
        page.goto("/reports/quarter/")
        page.get_by_role("link", name="资产质量分类汇总表").first.click()
        assert (
            "四川省学生资助管理中心 已审定(已报送)（第1版）" in page.locator("#province-reports").inner_text()
        )
        assert "四川大学" in page.locator("#summary-table").inner_text()
        page.goto("/reports/quarter/dashboard/")  # ECharts from the npm install, no CSP refusal
        page.wait_for_selector("#chart-grade-trend canvas")
        page.locator("#overdue-units").get_by_role("link", name="四川大学").click()  # behind the overdue bar
        assert "共 1 笔" in page.locator("main").inner_text()
        page.context.close()
