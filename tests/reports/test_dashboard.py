"""资产质量看板: grade balances and 不良率 over quarters, overdue per unit, and the lists behind them."""

import json

from tests import factories
from tests.reports.conftest import Q1, Q2
from tests.web.helpers import login
from xuedai.loans.batches import classification_batch
from xuedai.orgs.models import Role
from xuedai.reports.quarter.dashboard import grade_trend, overdue_by_unit
from xuedai.reports.quarter.snapshot import quarter_snapshot_take


def test_trend_and_units_worked_example(portfolio):
    q1 = quarter_snapshot_take(actor=None, on=Q1)
    classification_batch(on=Q2)
    q2 = quarter_snapshot_take(actor=None, on=Q2)
    trend = grade_trend(portfolio.province_operator)
    assert trend["labels"] == ["2020-03-31", "2020-06-30"]
    by_grade = {s["name"]: s["values"] for s in trend["series"]}
    # 31 Mar: 次级 B, C 12000; 30 Jun: they are 可疑. 不良 18000 of 28500 both quarters: 63.16 %.
    assert by_grade["次级"] == [12000.0, 0.0] and by_grade["可疑"] == [0.0, 12000.0]
    assert trend["npl_ratio"] == [63.16, 63.16]
    assert trend["series"][2]["urls"][0] == f"/reports/quarter/{q1.pk}/contracts/?rank=2"
    units = overdue_by_unit(portfolio.province_operator, q2)
    assert (
        units["labels"] == ["三台县学生资助管理中心"]
        and units["values"] == [6000.0]
        and units["borrowers"] == [4]
    )
    assert grade_trend(factories.make_user(portfolio.province.counties[1], Role.OPERATOR))["series"][0][
        "values"
    ] == [0.0, 0.0]  # another county sees nothing of this one


def test_dashboard_page_and_drilldown_list(client, portfolio):
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    login(client, portfolio.province_operator)
    page = client.get("/reports/quarter/dashboard/").content.decode()
    assert "资产质量看板" in page and "quarter-charts.js" in page
    charts = json.loads(page.split('id="quarter-charts" type="application/json">')[1].split("</script>")[0])
    url = charts["trend"]["series"][2]["urls"][0]
    listing = client.get(url).content.decode()
    b, c = (portfolio.accounts[n].contract.contract_no for n in "BC")
    assert b in listing and c in listing and portfolio.accounts["A"].contract.contract_no not in listing
    assert "共 2 笔，贷款余额 ¥12,000.00" in listing
    overdue = client.get(charts["units"]["urls"][0]).content.decode()
    assert "共 4 笔" in overdue and "免息延期，不下调" in overdue
    assert "*" in overdue and portfolio.accounts["B"].contract.borrower.name not in overdue  # names masked
    other = factories.make_user(portfolio.province.counties[1], Role.OPERATOR)
    login(client, other)
    assert (
        client.get(f"/reports/quarter/{snapshot.pk}/contracts/?unit={portfolio.county.pk}").status_code == 404
    )
    assert "共 0 笔" in client.get(f"/reports/quarter/{snapshot.pk}/contracts/?rank=2").content.decode()
