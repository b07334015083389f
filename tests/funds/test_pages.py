"""The funds pages for each role, and every document read back (PDF text with its CJK glyphs, xlsx
cells with their number formats)."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.funds.conftest import settle_year
from tests.web.helpers import login
from xuedai import businessdate
from xuedai.documents.checks import assert_no_missing_glyphs
from xuedai.funds.models import Accrual, AccrualStatus, Settlement, SubsidyPayment
from xuedai.loans.models import LoanAccount
from xuedai.orgs.models import Role


@pytest.fixture
def people(province, make_user):
    return {
        "province": make_user(province.centre, Role.OPERATOR),
        "bank": make_user(province.branch, Role.BANK_APPROVER),
        "county": make_user(province.counties[0], Role.OPERATOR),
        "other_county": make_user(province.counties[1], Role.OPERATOR),
        "university": make_user(province.universities[0], Role.UNIVERSITY_OFFICER),
        "auditor": make_user(province.centre, Role.AUDITOR),
        "student_staff": make_user(
            province.departments[province.universities[0].pk][0], Role.DEPARTMENT_STAFF
        ),
    }


def _workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active


def test_the_year_from_request_to_settlement_through_the_pages(client, pair, people, province):
    _contracts, accounts = pair
    with businessdate.business_date(dt.date(2019, 9, 30)):
        login(client, people["province"])
        page = client.get(reverse("funds:riskfund") + "?year=2019")
        assert page.status_code == 200
        html = page.content.decode()
        assert "实际发放汇总表" in html and "12,000.00" in html and "统计并提出2019学年风险补偿金申请" in html
        client.post(reverse("funds:accrual_request"), {"year": "2019"})
        (accrual,) = Accrual.objects.all()
        assert accrual.total == D("1800.00")
        # the province office cannot confirm: that is the bank's
        assert client.post(reverse("funds:accrual_confirm"), {"year": "2019"}).status_code == 403
        pdf = client.get(
            reverse("funds:accrual_document", args=[accrual.account_id, "application"]) + "?year=2019"
        )
        assert_no_missing_glyphs(
            pdf.content, "风险补偿金申请书", "三台县学生资助管理中心", "1,800.00", "壹仟捌佰元整"
        )
    with businessdate.business_date(dt.date(2019, 12, 1)):
        login(client, people["bank"])
        assert "确认到账" in client.get(reverse("funds:riskfund") + "?year=2019").content.decode()
        client.post(reverse("funds:accrual_confirm"), {"year": "2019"})
        accrual.refresh_from_db()
        assert accrual.status == AccrualStatus.CONFIRMED
        pdf = client.get(
            reverse("funds:accrual_document", args=[accrual.account_id, "confirmation"]) + "?year=2019"
        )
        assert_no_missing_glyphs(
            pdf.content, "风险补偿金确认书", "1,800.00", "国家开发银行四川省分行（盖章）"
        )
    settle_year(accounts, 2018)
    settle_year(accounts, 2019)
    with businessdate.business_date(dt.date(2020, 12, 20)):
        login(client, people["bank"])
        client.post(reverse("funds:settlement_run"))
        (s,) = Settlement.objects.all()
        assert s.defaulted == D("3207.16")  # neither borrower paid 2019: 2 × (103.58 + 1500)
        # 26.7 % of 12,000: the fund covers 15 % (1,800), 15–20 % (600) is shared 5 : 4 : 1, the
        # university bears the 807.16 above 20 %; the fund keeps nothing to return.
        assert s.band == "超过20%"
        assert (s.move_from_fund, s.move_university_share, s.move_bank_share, s.move_province_share,
                s.move_above_cap, s.move_reward) == (D("1800.00"), D("300.00"), D("240.00"), D("60.00"),
                                                     D("807.16"), D("0.00"))
        page = client.get(reverse("funds:settlements") + "?on=2020-12-20").content.decode()
        assert "<td>超过20%</td>" in page and "3,207.16" in page and "807.16" in page
        # every part on an account: the county bears 300.00 + 807.16, the branch 240.00, the
        # province centre 60.00 (违约分担账户), the fund paid its 1,800.00 cover
        shares = page[page.index('id="share-accounts"'):]
        assert "1,107.16" in shares and "240.00" in shares and "60.00" in shares
        lines = client.get(reverse("funds:settlement", args=[s.pk])).content.decode()
        lines = lines[lines.index('id="lines"'):]
        for text in ("风险补偿金专户（三台县学生资助管理中心）", "补偿违约本息(付银行)", "-1,800.00",
                     "银行承担（国家开发银行四川省分行）", "省教贷办承担（四川省学生资助管理中心）",
                     "高校承担(20%以上)", "807.16"):
            assert text in lines, text
        login(client, people["university"])  # the university reads, but a county fund is not its own
        assert client.get(reverse("funds:settlement", args=[s.pk])).status_code == 404
        login(client, people["county"])
        detail = client.get(reverse("funds:settlement", args=[s.pk]))
        assert detail.status_code == 200 and "奖励性返还" in detail.content.decode()
        assert client.post(reverse("funds:settlement_run")).status_code == 403
        pdf = client.get(reverse("funds:settlement_document", args=[s.pk]))
        assert_no_missing_glyphs(pdf.content, "风险补偿金结算确认书", "3,207.16", "风险区间超过20%", "807.16",
                                 "结算分录", "银行分担(4)", "240.00")
        sheet = _workbook(client.get(reverse("funds:settlements_export") + "?on=2020-12-20"))
        assert sheet["A1"].value == "风险补偿金结算表（2020年12月20日）"
        assert sheet["B3"].value == "三台县学生资助管理中心" and sheet["E3"].value == 3207.16
        assert sheet["E3"].number_format == "#,##0.00"
        login(client, people["other_county"])
        assert client.get(reverse("funds:settlement", args=[s.pk])).status_code == 404
        assert "3,207.16" not in client.get(reverse("funds:settlements") + "?on=2020-12-20").content.decode()


def test_disbursement_summary_documents(client, pair, people):
    login(client, people["auditor"])
    sheet = _workbook(client.get(reverse("funds:disbursement_export", args=["xlsx"]) + "?year=2019"))
    assert sheet["A1"].value == "国家助学贷款实际发放汇总表（2018年9月1日至2019年8月31日）"
    headers = [c.value for c in sheet[2]]
    assert headers == [
        "序号",
        "高校/县(区)",
        "贷款类型",
        "政策版本",
        "合同数",
        "学费",
        "住宿费",
        "生活费",
        "发放合计",
    ]
    assert [c.value for c in sheet[3]][4:] == [2, 9000, 2400, 600, 12000]
    assert sheet["I4"].value == 12000  # 合计
    pdf = client.get(reverse("funds:disbursement_export", args=["pdf"]) + "?year=2019")
    assert_no_missing_glyphs(pdf.content, "实际发放汇总表", "三台县学生资助管理中心", "12,000.00")
    assert client.get(reverse("funds:disbursement_export", args=["doc"])).status_code == 404


def test_department_staff_do_not_see_the_funds(client, people):
    login(client, people["student_staff"])
    assert client.get(reverse("funds:riskfund")).status_code == 403


def test_subsidy_pages_summary_and_import(client, pair, people):
    contracts, accounts = pair
    settle_year(accounts, 2018)
    login(client, people["auditor"])
    page = client.get(reverse("funds:subsidy") + "?year=2018&quarter=4")
    assert page.status_code == 200 and "173.26" in page.content.decode()
    sheet = _workbook(client.get(reverse("funds:subsidy_export", args=["xlsx"]) + "?year=2018&quarter=4"))
    assert sheet["A1"].value == "国家助学贷款贴息资金汇总表（2018年第4季度）"
    assert sheet["I3"].value == 173.26 and sheet["G3"].number_format == "0.00%"
    pdf = client.get(reverse("funds:subsidy_export", args=["pdf"]) + "?year=2018&quarter=4")
    assert_no_missing_glyphs(pdf.content, "贴息资金汇总表", "173.26")
    # the auditor reads but cannot record
    assert client.post(reverse("funds:subsidy_payment_record"), {}).status_code == 403

    login(client, people["province"])
    with businessdate.business_date(dt.date(2019, 10, 15)):
        pre = _workbook(client.get(reverse("funds:presettlement_export") + "?year=2019"))
    assert [c.value for c in pre[2]][-2:] == ["贴息金额", "到账贴息"]
    assert {pre.cell(row=r, column=10).value for r in (3, 4)} == {240.13}
    # The finance department returns the list with one wrong amount: nothing is saved.
    back = Workbook()
    ws = back.active
    ws.append(["合同编号", "到账贴息"])
    ws.append([contracts[0].contract_no, 103.58])
    ws.append([contracts[1].contract_no, 999])
    buffer = io.BytesIO()
    back.save(buffer)
    form = {"received_on": "2018-12-18", "payer": "四川省财政厅", "reference": "川财教〔2018〕9号"}
    buffer.seek(0)
    buffer.name = "贴息到账.xlsx"
    response = client.post(reverse("funds:subsidy_payment_record"), {**form, "file": buffer})
    assert response.status_code == 422
    assert "第3行“到账贴息”：到账金额 999.00 超过应收贴息余额 103.58。" in response.content.decode()
    assert SubsidyPayment.objects.count() == 0
    response = client.post(
        reverse("funds:subsidy_payment_record"),
        {**form, "lines": f"{contracts[0].contract_no},103.58\n{contracts[1].contract_no},103.58"},
    )
    assert response.status_code == 302
    assert {a.subsidy_receivable for a in LoanAccount.objects.all()} == {D("0.00")}
    html = client.get(reverse("funds:receivable")).content.decode()
    assert "应收贴息已全部到账" in html and "207.16" in html


def test_the_home_pages_show_the_state_money(client, pair, people):
    _contracts, accounts = pair
    settle_year(accounts, 2018)  # 2 × 103.58 receivable
    login(client, people["bank"])
    html = client.get(reverse("home")).content.decode()
    assert "财政资金" in html and "应收贴息余额" in html and "¥207.16" in html
    login(client, people["other_county"])  # a county operator's home has no such section
    assert "应收贴息余额" not in client.get(reverse("home")).content.decode()
    login(client, people["university"])  # the contracts are its students' (make_contract: universities[0])
    html = client.get(reverse("home")).content.decode()
    assert "应收贴息余额" in html and "¥207.16" in html


def test_the_audit_log_names_the_funds_actions_in_chinese(client, pair, people, province, make_user):
    import re

    from xuedai.funds.services import accrual_confirm, accrual_request

    (accrual,) = accrual_request(actor=people["province"], year=2019, on=dt.date(2019, 9, 30))
    accrual_confirm(actor=people["bank"], accruals=[accrual], on=dt.date(2019, 12, 1))
    login(client, make_user(province.branch, Role.AUDITOR))
    html = client.get(reverse("audit:list")).content.decode()
    assert "提出风险补偿金申请" in html and "确认风险补偿金到账" in html and "应计补偿金" in html
    text = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])
    assert not {w for w in ("total", "year", "memo", "funds.") if w in text}


def test_the_dashboards_show_the_money_per_unit_and_drill_down_in_scope(client, pair, people, province):
    """财政资金看板 and the 资产质量看板: receivable and funds per university or county; each bar's
    URL opens the page behind it, which a user outside that unit cannot open."""
    import json

    _contracts, accounts = pair
    settle_year(accounts, 2018)  # 2 × 103.58 receivable, on the county's fund
    login(client, people["bank"])
    for url in (reverse("funds:dashboard"), reverse("quarter:dashboard")):
        html = client.get(url).content.decode()
        start = html.index('id="money-charts"')
        data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
        assert data["receivable"]["labels"] == ["三台县学生资助管理中心"]
        assert data["receivable"]["values"] == [207.16]
        assert "207.16" in html[html.index('id="receivable-units"'):]
    drill = data["receivable"]["urls"][0]
    assert drill == f"{reverse('funds:receivable')}?org={province.counties[0].pk}"
    page = client.get(drill).content.decode()
    assert "三台县学生资助管理中心" in page and "207.16" in page
    login(client, people["other_county"])  # another county: its dashboard is empty, the drilldown a 404
    assert client.get(drill).status_code == 404
    html = client.get(reverse("funds:dashboard")).content.decode()
    assert "三台县" not in html
