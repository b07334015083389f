"""The province centre reports its summary to the branch: maker and checker, frozen lines, units not
yet reported named, and the branch sees the status."""

import pytest

from tests import factories
from tests.reports.conftest import Q1
from tests.web.helpers import login
from xuedai.orgs.models import Role
from xuedai.reports.quarter.calendar import province_deadline
from xuedai.reports.quarter.province import (
    province_summary_get,
    province_summary_review,
    province_summary_submit,
)
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


def test_a_unit_not_reported_needs_a_note_and_the_lines_are_frozen(portfolio, quarter):
    centre = portfolio.province.centre
    supervisor = factories.make_user(centre, Role.SUPERVISOR)
    report = province_summary_get(quarter, centre)
    assert report.due_on == province_deadline(Q1)
    with pytest.raises(
        SubmissionError, match="尚有1个年度项目的认定表未审定（三台县学生资助管理中心2018年度）"
    ):
        province_summary_submit(actor=portfolio.province_operator, report=report, note="")
    report = province_summary_submit(
        actor=portfolio.province_operator, report=report, note="三台县系统故障，延迟报送"
    )
    assert (
        report.version == 1
        and report.lines[0]["balance"] == "28500.00"
        and report.lines[0]["status"] == "未填报"
    )
    with pytest.raises(SubmissionError, match="只有省资助中心的负责人"):
        province_summary_review(actor=portfolio.supervisor, report=report, approve=True, comment="")
    province_summary_review(actor=supervisor, report=report, approve=False, comment="等三台县报送后再报")
    unit_report = quality_report_get(quarter, portfolio.county, 2018)
    quality_report_submit(actor=portfolio.operator, report=unit_report, reasons="就业困难")
    quality_report_review(actor=portfolio.supervisor, report=unit_report, approve=True, comment="")
    report = province_summary_submit(actor=portfolio.province_operator, report=report, note="")
    assert report.version == 2 and report.lines[0]["status"] == "已审定(已报送)"
    report = province_summary_review(actor=supervisor, report=report, approve=True, comment="")
    assert report.status == "approved"


def test_the_branch_sees_the_centres_report(client, portfolio, quarter):
    centre = portfolio.province.centre
    report = province_summary_get(quarter, centre)
    province_summary_submit(actor=portfolio.province_operator, report=report, note="三台县未报")
    login(client, portfolio.province_operator)
    page = client.get(f"/reports/quarter/{quarter.pk}/summary/").content.decode()
    assert "已提交(待审定)" in page and "报送分行" in page
    login(client, factories.make_user(portfolio.province.branch, Role.BANK_REVIEWER))
    page = client.get(f"/reports/quarter/{quarter.pk}/summary/").content.decode()
    assert "四川省学生资助管理中心 已提交(待审定)（第1版），说明：三台县未报" in page
    assert "三台县学生资助管理中心" in page
