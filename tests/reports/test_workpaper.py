"""分类工作底稿: facts, repayment, events, risks, and each grade change with its reason (worked example)."""

import io

import openpyxl

from tests.reports.conftest import Q1, Q2
from tests.web.helpers import login
from xuedai.documents import checks
from xuedai.loans.batches import classification_batch
from xuedai.reports.quarter import exports
from xuedai.reports.quarter.snapshot import quarter_snapshot_take
from xuedai.reports.quarter.workpaper import working_paper


def test_working_paper_of_the_second_quarter(client, portfolio):
    quarter_snapshot_take(actor=None, on=Q1)
    classification_batch(on=Q2)
    snapshot = quarter_snapshot_take(actor=None, on=Q2)
    paper = working_paper(snapshot, portfolio.county.pk, 2018)
    # 5 × 6000 disbursed, A repaid 1500: outstanding 28500; B, C, D, E each owe 1500 + 103.58.
    assert paper["repayment"] == {
        "disbursed": "30000.00",
        "outstanding": "28500.00",
        "repaid": "1500.00",
        "principal_overdue": "6000.00",
        "interest_overdue": "414.32",
    }
    numbers = {portfolio.accounts[n].contract.contract_no for n in "BC"}
    assert {m["contract_no"] for m in paper["moves"]} == numbers
    assert {(m["from"], m["to"], m["reason"], m["actor"]) for m in paper["moves"]} == {
        ("次级", "可疑", "逾期加重", "批处理")
    }
    pdf = exports.workpaper_pdf("三台县学生资助管理中心", paper)
    checks.assert_no_missing_glyphs(pdf, exports.WORKPAPER_TITLE, "本息归还情况", "分类变动及原因")
    text = "".join(checks.pdf_text(pdf).split())
    assert "逾期加重" in text and portfolio.accounts["B"].contract.contract_no in text and "1,500.00" in text
    ws = openpyxl.load_workbook(io.BytesIO(exports.workpaper_xlsx("三台县学生资助管理中心", paper))).active
    lines = [row for row in ws.iter_rows(min_row=3, max_row=4, values_only=True)]
    assert {line[0] for line in lines} == numbers and {line[3] for line in lines} == {"逾期加重"}
    login(client, portfolio.operator)
    base = f"/reports/quarter/{snapshot.pk}/unit/{portfolio.county.pk}/2018/workpaper/"
    assert client.get(base + "pdf/")["Content-Type"] == "application/pdf"
    assert client.get(base + "xlsx/").status_code == 200
