"""专户报告: the basic facts written from the data (worked example), the risks listed, maker-checker,
the PDF (cover and Chinese title) and the xlsx read back."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from tests.reports.conftest import Q1
from tests.web.helpers import login
from xuedai.documents import checks
from xuedai.origination.models import Contract
from xuedai.postloan.models.requests import StatusChange
from xuedai.reports.quarter import exports
from xuedai.reports.quarter.figures import overdue_statistics
from xuedai.reports.quarter.snapshot import quarter_snapshot_take
from xuedai.reports.quarter.special_account import (
    deadlines,
    special_account_facts,
    special_report_get,
    special_report_review,
    special_report_submit,
)
from xuedai.reports.quarter.submissions import SubmissionError


@pytest.fixture
def quarter(portfolio):
    # A's contract as 4000 (tuition 3000, accommodation 800 → living 200): amounts differ by contract.
    Contract.objects.filter(pk=portfolio.accounts["A"].pk).update(
        amount=Decimal("4000"), tuition=Decimal("3000"), accommodation=Decimal("800")
    )
    StatusChange.objects.create(
        contract=portfolio.accounts["D"].contract,
        kind="death",
        handled_on=dt.date(2020, 2, 10),
        status="approved",
        note="家属提交死亡证明",
    )
    StatusChange.objects.create(
        contract=portfolio.accounts["C"].contract,
        kind="abroad",
        handled_on=dt.date(2019, 12, 1),
        status="approved",
    )  # last quarter: not listed
    return quarter_snapshot_take(actor=None, on=Q1)


def test_basic_facts_worked_example(portfolio, quarter):
    f = special_account_facts(quarter, portfolio.county.pk, 2018)
    # 4 × 6000 + 4000; tuition 4 × 4500 + 3000; accommodation 4 × 1200 + 800; living 4 × 300 + 200.
    assert (f["amount"], f["tuition"], f["accommodation"], f["living"]) == (
        "28000.00",
        "21000.00",
        "5600.00",
        "1400.00",
    )
    assert (f["largest"], f["smallest"], f["borrowers"], f["contracts"]) == ("6000.00", "4000.00", 5, 5)
    assert f["by_year"] == [{"year": "四年级", "borrowers": 5}]  # enrolled 2015, project year 2018
    # Self-pay from 1 Sep 2019 for all: none subsidised on 31 Mar 2020; B, C, D, E overdue.
    assert (f["subsidised"], f["self_paying"], f["defaulting"]) == (0, 5, 4)
    assert (f["default_principal"], f["default_interest"], f["default_amount"]) == (
        "6000.00",
        "414.32",
        "6414.32",
    )
    assert [c["kind"] for c in f["status_changes"]] == ["死亡"]
    assert "对5名学生发放助学贷款5笔，合计28000.00元，其中四年级5名" in f["paragraph"]
    assert "违约的学生有4名。违约金额为6414.32元，其中本金6000.00元，利息414.32元" in f["paragraph"]


def test_deadlines_and_maker_checker(portfolio, quarter):
    assert deadlines(Q1) == {
        "unit": dt.date(2020, 4, 15),
        "province": dt.date(2020, 4, 20),
        "bank": dt.date(2020, 4, 25),
    }
    report = special_report_get(quarter, portfolio.county, 2018)
    with pytest.raises(SubmissionError, match="核心内容"):
        special_report_submit(actor=portfolio.operator, report=report, texts={"post_graduation_risk": "x"})
    texts = {"post_graduation_risk": "毕业生就业地分散，联系困难", "measures": "院系包干联系，每季电话回访"}
    report = special_report_submit(actor=portfolio.operator, report=report, texts=texts)
    assert report.version == 1 and report.facts["defaulting"] == 4
    with pytest.raises(SubmissionError, match="已锁定"):
        special_report_submit(actor=portfolio.operator, report=report, texts=texts)
    report = special_report_review(
        actor=portfolio.supervisor, report=report, approve=False, comment="补充代理行情况"
    )
    report = special_report_submit(
        actor=portfolio.operator, report=report, texts={**texts, "agent_bank_issues": "无"}
    )
    report = special_report_review(actor=portfolio.supervisor, report=report, approve=True, comment="")
    assert (report.status, report.version) == ("approved", 2)


def test_special_report_pdf_and_xlsx(portfolio, quarter):
    report = special_report_get(quarter, portfolio.county, 2018)
    report.post_graduation_risk, report.measures = "就业困难", "加强跟踪"
    facts = special_account_facts(quarter, portfolio.county.pk, 2018)
    pdf = exports.special_pdf(
        "三台县学生资助管理中心",
        report,
        facts,
        overdue_statistics(quarter, [portfolio.county.pk], 2018),
        preparer="王经办",
    )
    checks.assert_no_missing_glyphs(
        pdf, exports.SPECIAL_TITLE, "专户报告", "2020年第一季度", exports.OVERDUE_TITLE
    )
    text = "".join(checks.pdf_text(pdf).split())
    assert "违约金额为6414.32元" in text and "死亡" in text and "加强跟踪" in text
    assert checks.pdf_page_count(pdf) >= 2  # the cover on its own page
    ws = openpyxl.load_workbook(
        io.BytesIO(exports.special_xlsx("三台县学生资助管理中心", report, facts))
    ).active
    items = {row[0]: row[1] for row in ws.iter_rows(min_row=3, values_only=True) if row[0]}
    assert items["报告期"] == "2020年第一季度" and items["建议及措施"] == "加强跟踪"
    assert items["借款学生变动：死亡"].startswith(portfolio.accounts["D"].contract.contract_no)


def test_special_report_pages(client, portfolio, quarter):
    url = f"/reports/quarter/{quarter.pk}/unit/{portfolio.county.pk}/2018/special/"
    login(client, portfolio.operator)
    assert "违约金额为6414.32元" in client.get(url).content.decode()
    client.post(url + "submit/", {"post_graduation_risk": "联系困难", "measures": "包干联系"})
    login(client, portfolio.supervisor)
    client.post(url + "review/", {"decision": "approve", "comment": ""})
    login(client, portfolio.province_operator)
    page = client.get(url).content.decode()
    assert "已审定(已报送)" in page and "包干联系" in page
    assert client.get(url + "pdf/")["Content-Type"] == "application/pdf"
    assert client.get(url + "xlsx/").status_code == 200
