"""三年预测表: roll rates from the history, repayments falling due, the worked example of the module."""

import io
from decimal import Decimal

import openpyxl

from tests.reports.conftest import Q1, Q2
from tests.web.helpers import login
from xuedai.documents import checks
from xuedai.loans.batches import classification_batch
from xuedai.reports.quarter import exports
from xuedai.reports.quarter.forecast import roll_rates, three_year_forecast
from xuedai.reports.quarter.snapshot import quarter_snapshot_take


def test_no_history_means_grades_unchanged(portfolio):
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    matrix, pairs = roll_rates(snapshot, portfolio.county.pk, 2018)
    assert pairs == 0 and all(matrix[i][i] == 1 for i in range(5))
    assert "按当前分类不变预测" in three_year_forecast(snapshot, portfolio.county.pk, 2018)["method"]


def test_forecast_worked_example(client, portfolio):
    quarter_snapshot_take(actor=None, on=Q1)
    classification_batch(on=Q2)
    snapshot = quarter_snapshot_take(actor=None, on=Q2)
    matrix, pairs = roll_rates(snapshot, portfolio.county.pk, 2018)
    assert pairs == 1 and matrix[2] == [0, 0, 0, 1, 0]  # both 次级 contracts rolled to 可疑
    forecast = three_year_forecast(snapshot, portfolio.county.pk, 2018)
    got = [(line["label"], line["balances"], line["npl"]) for line in forecast["lines"]]
    # 正常 E 6000 and 关注 A 4500 repay a third a year (settlements 2020, 2021, 2022 to maturity);
    # 可疑 B, C 12000 and 损失 D 6000 repay nothing and stay.
    assert got == [
        ("2020年06月30日（当前）", ["6000.00", "4500.00", "0.00", "12000.00", "6000.00"], "18000.00"),
        ("2021年06月30日", ["4000.00", "3000.00", "0.00", "12000.00", "6000.00"], "18000.00"),
        ("2022年06月30日", ["2000.00", "1500.00", "0.00", "12000.00", "6000.00"], "18000.00"),
        ("2023年06月30日", ["0.00", "0.00", "0.00", "12000.00", "6000.00"], "18000.00"),
    ]
    assert forecast["lines"][-1]["npl_ratio"] == "1.0000"
    pdf = exports.forecast_pdf("三台县学生资助管理中心", "2018年度助学贷款项目", forecast)
    checks.assert_no_missing_glyphs(pdf, exports.FORECAST_TITLE, "年度迁徙率", "预测方法")
    ws = openpyxl.load_workbook(io.BytesIO(exports.forecast_xlsx("三台县", "2018年度", forecast))).active
    assert [c.value for c in ws[4]][:3] == ["2021年06月30日", 4000.0, 3000.0]
    assert Decimal(str(ws[6][8].value)) == 1
    login(client, portfolio.operator)
    base = f"/reports/quarter/{snapshot.pk}/unit/{portfolio.county.pk}/2018/forecast/"
    assert client.get(base + "pdf/").status_code == 200 and client.get(base + "xlsx/").status_code == 200
