"""The archive checklist: seed order for new loans and renewals, date logic, PDF and xlsx."""

import datetime as dt
import io

import openpyxl
import pytest

from xuedai.documents import archive, checks

pytestmark = pytest.mark.django_db


def test_new_loan_and_renewal_orders_follow_the_seed(batch):
    new = [name for name, _ in archive.archive_items(batch[0])]
    assert new == ["申请表", "借款合同", "借款学生身份证", "学生证或高校录取通知书", "共同借款人身份证",
                   "户口簿", "其他相关重要材料"]
    renewal = [name for name, _ in archive.archive_items(batch[1])]
    assert renewal == ["申请表", "借款合同", "学生证或高校录取通知书", "去年贷款合同复印件",
                       "其他相关重要材料"]


def test_date_order_problems(contract):
    assert archive.date_order_problems(contract) == []
    contract.signed_on = dt.date(2024, 8, 1)
    assert archive.date_order_problems(contract) == ["签订日期早于申请日期"]


def test_checklist_pdf(batch, tmp_path):
    batch[0].archive_no = 17
    pdf = archive.archive_checklist_pdf(batch[0])
    checks.assert_no_missing_glyphs(pdf, archive.TITLE, "档案序号17", "户口簿", "共同借款人身份证")
    assert not checks.png_is_blank(checks.pdf_to_png(pdf, tmp_path)[0])
    many = archive.archive_checklists_pdf(batch)
    assert checks.pdf_page_count(many) == 5
    assert "第1页共1页" in "".join(checks.pdf_text(many).split())  # each sheet numbered on its own
    assert "去年贷款合同复印件" in "".join(checks.pdf_text(many).split())


def test_checklist_xlsx(batch, province):
    batch[2].signed_on = dt.date(2024, 1, 1)
    data = archive.archive_checklist_xlsx(batch, province.counties[0], 2024)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    headers = [c.value for c in ws[2]]
    assert headers[:5] == ["档案序号", "合同编号", "学生姓名", "贷款类型", "申请表"]
    renewal = [c.value for c in ws[4]]
    assert renewal[3] == "续贷" and renewal[headers.index("户口簿")] == "—"
    assert renewal[headers.index("去年贷款合同复印件")] is None
    assert [c.value for c in ws[5]][headers.index("日期逻辑")] == "签订日期早于申请日期"
