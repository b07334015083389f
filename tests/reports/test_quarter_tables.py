"""Worked examples of the 认定表, the 逾期情况统计表 and the summary (every cell by hand: conftest)."""

import datetime as dt
import io

import openpyxl
import pytest

from tests.reports.conftest import Q1
from tests.web.helpers import login
from xuedai import businessdate
from xuedai.documents import checks
from xuedai.orgs.models import Role
from xuedai.reports.quarter import exports
from xuedai.reports.quarter.calendar import province_deadline, unit_deadline
from xuedai.reports.quarter.designations import grade_designate
from xuedai.reports.quarter.figures import overdue_statistics, quality_figures
from xuedai.reports.quarter.models import QuarterGrade, ReportStatus
from xuedai.reports.quarter.selectors import summary
from xuedai.reports.quarter.snapshot import quarter_snapshot_take
from xuedai.reports.quarter.submissions import (
    SubmissionError,
    quality_report_get,
    quality_report_review,
    quality_report_submit,
)


@pytest.fixture
def quarter(portfolio):
    return quarter_snapshot_take(actor=None, on=Q1)


def test_quality_table_worked_example(portfolio, quarter):
    figures = quality_figures(quarter, portfolio.county.pk, 2018)
    # A 关注 4500; B, C 次级 6000 each; D 损失 6000; E 正常 (relief hold) 6000.
    assert [(g["grade"], g["borrowers"], g["balance"]) for g in figures["grades"]] == [
        ("正常", 1, "6000.00"),
        ("关注", 1, "4500.00"),
        ("次级", 2, "12000.00"),
        ("可疑", 0, "0.00"),
        ("损失", 1, "6000.00"),
    ]
    assert figures["total"] == {"borrowers": 5, "contracts": 5, "balance": "28500.00"}
    assert figures["non_performing"] == {"borrowers": 3, "contracts": 3, "balance": "18000.00"}
    # B, C, D, E each 1500 principal and 103.58 interest overdue: 4 × 1500, 4 × 103.58.
    assert figures["overdue"] == {
        "borrowers": 4,
        "contracts": 4,
        "principal": "6000.00",
        "interest": "414.32",
    }
    assert figures["adjustments"] == [
        {"reason": "免息延期，不下调", "grade": "正常", "contracts": 1},
        {"reason": "需催收才能按期还款", "grade": "关注", "contracts": 1},
        {"reason": "追偿后仍无法清偿", "grade": "损失", "contracts": 1},
    ]


def test_overdue_statistics_worked_example(portfolio, quarter):
    stats = overdue_statistics(quarter, [portfolio.county.pk], 2018)
    by_band = {r["band"]: r for r in stats["rows"]}
    # 102 days overdue: all four in the 91–180 band; their balances 4 × 6000.
    assert by_band["91–180天"] == {
        "band": "91–180天",
        "borrowers": 4,
        "contracts": 4,
        "principal": "6000.00",
        "interest": "414.32",
        "balance": "24000.00",
    }
    assert all(r["contracts"] == 0 for band, r in by_band.items() if band != "91–180天")
    assert (
        stats["total"]["contracts"] == 4
        and stats["all_borrowers"] == 5
        and stats["all_balance"] == "28500.00"
    )


def test_band_boundaries_fall_on_both_rules_thresholds(portfolio, quarter):
    rows = list(QuarterGrade.objects.filter(snapshot=quarter).order_by("contract_id"))
    for row, days in zip(rows, (90, 91, 270, 271, 361), strict=True):
        QuarterGrade.objects.filter(pk=row.pk).update(days_overdue=days)
    counts = {r["band"]: r["contracts"] for r in overdue_statistics(quarter)["rows"]}
    assert counts == {
        "1–30天": 0,
        "31–90天": 1,
        "91–180天": 1,
        "181–270天": 1,
        "271–360天": 1,
        "360天以上": 1,
    }


def test_submit_locks_versions_and_needs_another_reviewer(portfolio, quarter):
    report = quality_report_get(quarter, portfolio.county, 2018)
    assert report.due_on == unit_deadline(Q1) == dt.date(2020, 4, 3)  # Wed 1 Apr … Fri 3 Apr 2020
    assert province_deadline(Q1) == dt.date(2020, 4, 9)  # 4–6 Apr 清明 holidays: Tue 7, Wed 8, Thu 9
    with pytest.raises(SubmissionError, match="请说明逾期原因"):
        quality_report_submit(actor=portfolio.operator, report=report, reasons=" ")
    with pytest.raises(SubmissionError, match="经办人"):
        quality_report_submit(actor=portfolio.supervisor, report=report, reasons="x")
    v1 = quality_report_submit(
        actor=portfolio.operator, report=report, reasons="毕业生就业困难，四人未按期还款"
    )
    assert v1.number == 1 and v1.figures["total"]["balance"] == "28500.00"
    with pytest.raises(SubmissionError, match="已锁定"):
        quality_report_submit(actor=portfolio.operator, report=report, reasons="again")
    # Locked: a designation now counts from the next quarter, this one does not move.
    with businessdate.business_date(dt.date(2020, 4, 1)):
        _, moved = grade_designate(
            actor=portfolio.operator,
            contract=portfolio.accounts["B"].contract,
            rank=4,
            reason="death",
            note="死亡证明已收",
        )
    assert not moved
    assert QuarterGrade.objects.get(snapshot=quarter, contract_id=portfolio.accounts["B"].pk).rank == 2
    with pytest.raises(SubmissionError, match="退回时请写明"):
        quality_report_review(actor=portfolio.supervisor, report=report, approve=False, comment="")
    quality_report_review(
        actor=portfolio.supervisor, report=report, approve=False, comment="请补充D的追偿记录"
    )
    v2 = quality_report_submit(actor=portfolio.operator, report=report, reasons="补充：D追偿未果")
    assert v2.number == 2
    quality_report_review(actor=portfolio.supervisor, report=report, approve=True, comment="")
    assert report.pk is None  # the page's unsaved draft: the row was written by the first submission
    report = quality_report_get(quarter, portfolio.county, 2018)
    assert report.status == ReportStatus.APPROVED and report.versions.count() == 2


def test_the_unit_cannot_review_its_own_submission(portfolio, quarter, make_user):
    both = make_user(portfolio.county, Role.OPERATOR, Role.SUPERVISOR)
    report = quality_report_get(quarter, portfolio.county, 2018)
    quality_report_submit(actor=both, report=report, reasons="原因")
    with pytest.raises(SubmissionError, match="不能是同一人"):
        quality_report_review(actor=both, report=report, approve=True, comment="")


def test_province_summary_shows_each_unit_and_its_status(portfolio, quarter):
    rows = summary(portfolio.province_operator, quarter)
    (row,) = rows
    assert (row["unit_name"], row["project_year"], row["borrowers"], row["balance"], row["npl"]) == (
        "三台县学生资助管理中心",
        2018,
        5,
        "28500.00",
        "18000.00",
    )
    assert row["npl_ratio"] == "0.6316"  # 18000 / 28500
    assert row["status"] == "未填报"
    other_county = portfolio.province.counties[1]
    from tests import factories

    assert summary(factories.make_user(other_county, Role.OPERATOR), quarter) == []  # out of scope


def test_quality_pdf_and_xlsx_read_back(portfolio, quarter):
    figures = quality_figures(quarter, portfolio.county.pk, 2018)
    stats = overdue_statistics(quarter, [portfolio.county.pk], 2018)
    pdf = exports.quality_pdf(
        "三台县学生资助管理中心", figures, stats, reasons="就业困难", preparer="王经办", reviewer="李负责"
    )
    checks.assert_no_missing_glyphs(pdf, exports.QUALITY_TITLE, exports.OVERDUE_TITLE, "2018年度助学贷款项目")
    text = "".join(checks.pdf_text(pdf).split())
    assert "28,500.00" in text and "审定人" in text and "李负责" in text and "414.32" in text
    ws = openpyxl.load_workbook(io.BytesIO(exports.quality_xlsx("三台县学生资助管理中心", figures))).active
    assert exports.QUALITY_TITLE in ws["A1"].value
    lines = {row[0]: row[1:] for row in ws.iter_rows(min_row=3, max_row=11, values_only=True)}
    assert lines["次级类"] == (2, 2, 12000.0) and lines["合计"] == (5, 5, 28500.0)
    assert lines["逾期贷款：逾期利息"] == (4, 4, 414.32)
    assert ws["D3"].number_format == "#,##0.00"
    footer = [c.value for c in ws["A"] if c.value]
    assert any(str(v).startswith("审定人") for v in footer)


def test_summary_documents_read_back(portfolio, quarter):
    rows = summary(portfolio.province_operator, quarter)
    pdf = exports.summary_pdf("四川省 2020年03月31日", rows)
    checks.assert_no_missing_glyphs(pdf, exports.SUMMARY_TITLE, "三台县学生资助管理中心")
    ws = openpyxl.load_workbook(io.BytesIO(exports.summary_xlsx("四川省", rows))).active
    header = [c.value for c in ws[2]]
    assert header[:4] == ["填报单位", "项目年度", "正常人数", "正常余额(元)"]
    line = [c.value for c in ws[3]]
    assert line[0] == "三台县学生资助管理中心" and line[header.index("贷款余额(元)")] == 28500.0
    assert line[header.index("不良率")] == pytest.approx(0.6316)


def test_pages_from_the_county_to_the_province(client, portfolio, quarter):
    login(client, portfolio.operator)
    home = client.get("/reports/quarter/")
    assert home.status_code == 200 and "2018年度助学贷款项目" in home.content.decode()
    url = f"/reports/quarter/{quarter.pk}/unit/{portfolio.county.pk}/2018/"
    page = client.get(url).content.decode()
    assert "资产质量分类认定表" in page and "28,500.00" in page
    response = client.post(
        url + "designate/",
        {
            "contract_no": portfolio.accounts["E"].contract.contract_no,
            "rank": "1",
            "reason": "lost_contact",
            "note": "停机",
        },
    )
    assert response.status_code == 302
    assert QuarterGrade.objects.get(snapshot=quarter, contract_id=portfolio.accounts["E"].pk).rank == 1
    bad = client.post(
        url + "designate/",
        {"contract_no": "NOPE", "rank": "1", "reason": "collection", "note": "x"},
        follow=True,
    )
    assert "没有合同“NOPE”" in bad.content.decode()
    client.post(url + "submit/", {"reasons": "就业困难"})
    assert "已提交(待审定)" in client.get(url).content.decode()
    assert client.get(url + "pdf/")["Content-Type"] == "application/pdf"
    assert (
        client.get(url + "xlsx/").status_code == 200 and client.get(url + "overdue.xlsx").status_code == 200
    )
    login(client, portfolio.supervisor)
    client.post(url + "review/", {"decision": "approve", "comment": ""})
    login(client, portfolio.province_operator)
    page = client.get(f"/reports/quarter/{quarter.pk}/summary/").content.decode()
    assert "三台县学生资助管理中心" in page and "已审定(已报送)" in page
    assert client.get(f"/reports/quarter/{quarter.pk}/summary.xlsx").status_code == 200


def test_other_units_get_404_and_students_403(client, portfolio, quarter, make_user):
    other = make_user(portfolio.province.counties[1], Role.OPERATOR)
    login(client, other)
    assert client.get(f"/reports/quarter/{quarter.pk}/unit/{portfolio.county.pk}/2018/").status_code == 404
    login(client, make_user(portfolio.province.universities[0], Role.DEPARTMENT_STAFF))
    assert client.get("/reports/quarter/").status_code == 403


def test_home_page_shows_the_work_item_with_its_clock(client, portfolio, quarter):
    from xuedai.reports.quarter.work import quarter_work_items

    (item,) = quarter_work_items(portfolio.operator, dt.date(2020, 4, 1))
    assert item["value"] == 1 and "剩余2个工作日" in item["hint"]  # due Fri 3 Apr: Thu 2, Fri 3 left
    assert "已超期1个工作日" in quarter_work_items(portfolio.operator, dt.date(2020, 4, 7))[0]["hint"]
    (province_item,) = quarter_work_items(portfolio.province_operator, dt.date(2020, 4, 1))
    assert province_item["value"] == "0/1"
    with businessdate.business_date(dt.date(2020, 4, 1)):
        login(client, portfolio.operator)
        page = client.get("/").content.decode()
    assert "季末待提交的认定表" in page and "剩余2个工作日" in page


def test_every_units_overdue_statistics_in_one_pass_match_the_single_table(portfolio, quarter):
    from xuedai.reports.quarter.figures import overdue_statistics_all

    every = overdue_statistics_all(quarter)
    single = [r for r in overdue_statistics(quarter, [portfolio.county.pk], 2018)["rows"] if r["contracts"]]
    assert every == {(portfolio.county.pk, 2018): single}


def test_opening_the_pages_writes_nothing(client, portfolio, quarter):
    from xuedai.reports.quarter.models import ProvinceSummary, QualityReport, SpecialAccountReport

    login(client, portfolio.operator)
    base = f"/reports/quarter/{quarter.pk}/unit/{portfolio.county.pk}/2018/"
    for url in ("", "pdf/", "xlsx/", "special/", "special/pdf/"):
        assert client.get(base + url).status_code == 200
    login(client, portfolio.province_operator)
    assert client.get(f"/reports/quarter/{quarter.pk}/summary/").status_code == 200
    assert not (
        QualityReport.objects.exists()
        or SpecialAccountReport.objects.exists()
        or ProvinceSummary.objects.exists()
    )
