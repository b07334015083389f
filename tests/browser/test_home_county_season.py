"""The whole 生源地 season in a browser (DOMAIN.md §3.1): the student applies; the county operator
turns the application into a contract and the supervisor checks it; the university enters the
receipt; the county summarises and reports; the province audits and reviews; the bank approves and
disburses; the county sees the money arrive. Each person logs in through the real login page."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import staff_page
from tests.web.helpers import make_policy_version
from xuedai.orgs.models import Role
from xuedai.origination.models import Contract, ContractState
from xuedai.policies.models import PolicyVersion


@pytest.fixture
def cast(transactional_db):
    shipped = PolicyVersion.objects.filter(product="home_county", effective_from__lte=dt.date(2026, 11, 20))
    if not shipped.exists():
        make_policy_version(  # the 2024 national notice, if the migration's rows were flushed
            effective_from=dt.date(2024, 9, 1), name="国家助学贷款政策（2024年秋季学期起）",
            amount_max_undergraduate=Decimal("20000"), amount_max_graduate=Decimal("25000"),
            term_rule="study_plus", term_min_years=0, term_max_years=22, term_years_after_study=15,
            co_borrower_age_applies_to_parents=False, co_borrower_no_unpaid_loan=True)
    p = factories.build_province()
    county, uni = p.counties[0], p.universities[0]
    make = factories.make_user
    people = {"operator": make(county, Role.OPERATOR), "supervisor": make(county, Role.SUPERVISOR),
              "officer": make(uni, Role.UNIVERSITY_OFFICER), "prov_operator": make(p.centre, Role.OPERATOR),
              "prov_supervisor": make(p.centre, Role.SUPERVISOR), "bank": make(p.branch, Role.BANK_REVIEWER),
              "approver": make(p.branch, Role.BANK_APPROVER),
              "student": make(None, Role.STUDENT, with_totp=False)}
    borrower = factories.BorrowerFactory(county=county, university=uni, enrolled_year=2025,
                                         graduation_date=dt.date(2029, 6, 30), user=people["student"])
    factories.CoBorrowerFactory(borrower=borrower)
    return people


def test_home_county_season(page, browser, live_server, cast):
    # The disbursement posts to the real ledger (append-only); the flush after a live-server test
    # empties it with TRUNCATE, which its row triggers do not refuse.
    p = {name: staff_page(browser, live_server, user) for name, user in cast.items() if name != "student"}

    # 1. The student applies online and sees the printable form.
    student = staff_page(browser, live_server, cast["student"])
    student.goto("/origination/apply/")
    student.fill("input[name=amount]", "8000")
    student.fill("input[name=term_years]", "18")
    student.click("button:has-text('提交申请')")
    expect(student.locator("#application-state")).to_have_text("已提交(待县资助中心受理)")
    assert student.request.get(student.locator("a:has-text('打印申请表')").get_attribute("href")).ok

    # 2. The county operator turns it into a contract (新增合同); the supervisor checks it.
    op = p["operator"]
    op.goto("/origination/county/")
    op.check("input[name=ids]")
    op.click("#accept")
    expect(op.locator(".alert-success")).to_contain_text("已新增1份合同")
    contract = Contract.objects.get()
    sup = p["supervisor"]
    sup.goto("/origination/county/")
    sup.check(f"input[value='{contract.pk}']")
    sup.click("#check-many")
    expect(sup.locator(".alert-success")).to_contain_text("已复核通过1份合同")
    op.goto(f"/origination/contracts/{contract.pk}/")
    expect(op.locator("#contract-state")).to_have_text("已签订(待回执)")
    for kind in ("contract", "acceptance", "notice"):
        response = op.request.get(f"/origination/contracts/{contract.pk}/print/{kind}/")
        assert response.ok and response.body()[:4] == b"%PDF"

    # 3. The university enters the receipt.
    uni = p["officer"]
    uni.goto("/origination/receipts/")
    uni.click(f"a:has-text('{contract.contract_no}')")
    uni.fill("input[name=tuition]", "4500")
    uni.fill("input[name=accommodation]", "1200")
    uni.click("#receipt-save")
    expect(uni.locator("#contract-state")).to_have_text("已回执(待汇总)")

    # 4. The county summarises; the supervisor reports (the year locks).
    op.goto("/origination/county/")
    op.click("#summarise")
    expect(op.locator("#batch-state")).to_have_text("已汇总(待县负责人复核)")
    batch_url = op.url
    sup.goto(batch_url)
    sup.click("button[data-action=county_submit]")
    expect(sup.locator("#batch-state")).to_have_text("县已上报(待省经办人审核)")

    # 5. The province audits, the province supervisor reviews and sends it to the bank.
    for who, action, state in [("prov_operator", "province_audit", "省已审核(待省负责人复核)"),
                               ("prov_supervisor", "province_submit", "已报分行(待银行审查)")]:
        page_ = p[who]
        page_.goto("/origination/batches/")
        expect(page_.locator("#province-summary")).to_contain_text("三台县")
        page_.goto(batch_url)
        page_.click(f"button[data-action={action}]")
        expect(page_.locator("#batch-state")).to_have_text(state)

    # 6. The bank's reviewer reviews the batch, its approver approves it (maker ≠ checker) and pays out.
    bank = p["bank"]
    bank.goto(batch_url)
    expect(bank.locator("#approve-rest")).to_have_count(0)
    bank.click("#check-rest")
    expect(bank.locator(".alert-success")).to_contain_text("已审查通过1份合同")
    bank = p["approver"]
    bank.goto(batch_url)
    bank.click("#approve-rest")
    expect(bank.locator("#batch-state")).to_have_text("银行已审查")
    bank.click("#disburse")
    expect(bank.locator(".alert-success")).to_contain_text("已发放1份合同")

    # 7. 学费到账查询 for the county and the university; the timeline on the contract page.
    for who in ("operator", "officer"):
        p[who].goto("/origination/arrivals/")
        expect(p[who].locator("#arrivals")).to_contain_text("5,700.00")
    op.goto(f"/origination/contracts/{contract.pk}/")
    # 7 contract events (create … bank_check, bank_approve, disburse) and 5 of its batch
    # (submit … bank review closed)
    expect(op.locator("#timeline li")).to_have_count(12)
    expect(op.locator("#timeline")).to_contain_text("发放贷款")
    contract.refresh_from_db()
    assert contract.state == ContractState.DISBURSED
    page.goto("/healthz")
