"""Every post-loan document renders: PDFs to non-blank PNGs with their Chinese titles and no missing
glyphs; .xlsx files read back with openpyxl; identity numbers never in full (DOMAIN.md §7; [000])."""

import datetime as dt
import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.helpers import login
from xuedai.documents.checks import assert_no_missing_glyphs, pdf_page_count, pdf_to_png, png_is_blank
from xuedai.origination.models import ContractState
from xuedai.postloan.documents.card import reminder_card_pdf
from xuedai.postloan.documents.letters import letter_summary_pdf, letter_summary_xlsx, repayment_letter_pdf
from xuedai.postloan.services.contacts import contact_record
from xuedai.postloan.services.letters import letter_record

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def assert_renders(pdf: bytes, *expected: str, tmp_path) -> str:
    pages = pdf_to_png(pdf, tmp_path)
    assert pages and not any(png_is_blank(p) for p in pages)
    return assert_no_missing_glyphs(pdf, *expected)


def page_size_mm(pdf: bytes) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(x) for x in line.split()[2:5:2])
    return round(width * 25.4 / 72, 1), round(height * 25.4 / 72, 1)


def test_repayment_letter_lists_contracts_and_the_engines_amounts(world, tmp_path):
    b = world.graduate(contracts=2)
    text = assert_renders(repayment_letter_pdf(b, TODAY), "生源地信用助学贷款还款确认书", b.name,
                          *(c.contract_no for c in b.contracts.all()), "本人承诺", tmp_path=tmp_path)
    flat = "".join(text.split())
    # Two contracts of 6000: 2 × 545.00 principal and 2 × 120.08 interest on 2026-12-20 (core engine).
    assert "2026年12月20日" in flat and "1,090.00" in flat and "240.16" in flat and "1,330.16" in flat
    assert "2026年12月10日" in flat  # deposit ≥ 10 days before [001 附件四]
    assert "壹万贰仟元整" in flat
    assert b.id_number not in flat and b.mobile not in flat
    assert b.masked_id_number in flat


def test_reminder_card_is_card_sized_front_and_back(world, tmp_path):
    b = world.graduate()
    pdf = reminder_card_pdf(b, TODAY)
    assert page_size_mm(pdf) == (85.6, 54.0)
    assert pdf_page_count(pdf) == 2
    text = assert_renders(pdf, "还款提醒卡", "还款须知", b.name, tmp_path=tmp_path)
    flat = "".join(text.split())
    assert "2026年12月20日" in flat and "665.08" in flat  # 545.00 + 120.08
    # 三台县 collects through its agent bank: the money goes to the county centre (loans.channels).
    assert "代理行还款：请将足额款项交至三台县学生资助管理中心，由三台县农村信用联社代为划转" in flat
    assert b.id_number not in flat and b.mobile not in flat


def test_card_names_the_alipay_account_where_there_is_no_agent_bank(world):
    from xuedai.loans.models import LoanAccount

    b = world.graduate(county=world.province.counties[1], household_region_code="511321")
    contract = b.contracts.get()
    LoanAccount.objects.create(contract=contract, opened_on=contract.disbursed_on,
                               channel_account=f"zxdk{b.pk:08d}@alipay.cdb")
    flat = "".join(assert_no_missing_glyphs(reminder_card_pdf(b, TODAY)).split())
    assert f"支付宝账户zxdk****{b.pk % 10000:04d}@alipay.cdb（本人还款账户）" in flat
    assert f"zxdk{b.pk:08d}@alipay.cdb" not in flat  # the account is shown masked


def test_letter_summary_per_department_pdf_and_xlsx(world, tmp_path):
    a1, a2 = world.graduate(world.dept_a), world.graduate(world.dept_a)
    world.graduate(world.dept_b)
    letter_record(actor=world.staff_a, borrower=a1, passed=True)
    from xuedai.postloan.selectors import GraduateFilters, graduating_borrowers

    rows = graduating_borrowers(world.staff_a, GraduateFilters(year=2026, department=world.dept_a.pk))
    pdf = letter_summary_pdf(rows, world.dept_a, 2026, TODAY)
    text = assert_renders(pdf, "还款确认书汇总表", world.dept_a.name, a1.name, a2.name, tmp_path=tmp_path)
    assert a1.id_number not in text
    book = load_workbook(io.BytesIO(letter_summary_xlsx(rows, world.dept_a, 2026, TODAY)))
    sheet = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert "还款确认书汇总表" in sheet[0][0] and sheet[1][:4] == ["序号", "学号", "姓名", "身份证号"]
    by_name = {r[2]: r for r in sheet[2:4]}
    assert by_name[a1.name][3] == a1.masked_id_number and by_name[a1.name][12] == "已交·合格"
    assert by_name[a2.name][12] == "未交" and by_name[a1.name][9] == pytest.approx(665.08)
    assert sheet[4][0] == "合计" and sheet[4][1] == "2人" and sheet[4][6] == pytest.approx(12000)


def test_document_downloads_through_the_pages(world, client, tmp_path):
    b = world.graduate(world.dept_a)
    login(client, world.staff_a)
    for name, title in (("postloan:letter_pdf", "还款确认书"), ("postloan:card_pdf", "还款提醒卡")):
        response = client.get(reverse(name, args=[b.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert b.name not in response["Content-Disposition"]  # the file is named for the document
        assert_no_missing_glyphs(response.content, title)
    for name in ("postloan:letter_summary_pdf", "postloan:letter_summary_xlsx"):
        response = client.get(reverse(name, args=[world.dept_a.pk]) + "?year=2026")
        assert response.status_code == 200, name
    login(client, b.user)
    response = client.get(reverse("postloan:my_card"))
    assert response.status_code == 200
    assert_no_missing_glyphs(response.content, "还款提醒卡", b.name)


def test_overdue_contact_register_xlsx(world, client):
    overdue = world.graduate(state=ContractState.OVERDUE)
    overdue.contracts.update(overdue_since=dt.date(2025, 12, 21))
    silent = world.graduate(state=ContractState.OVERDUE)
    world.graduate()  # repaying normally: not in the overdue ledger
    contact_record(actor=world.staff_a, borrower=overdue, data={
        "contacted_on": dt.date(2026, 11, 3), "channel": "phone", "result": "promised",
        "note": "承诺12月10日前存款", "next_step": "12月11日核对到账",
        "next_contact_on": dt.date(2026, 12, 11)})
    login(client, world.officer)
    response = client.get(reverse("postloan:contact_register") + "?year=2026&month=11")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert "2026年11月 逾期学生联系台账" in sheet[0][0]
    assert sheet[1][:4] == ["序号", "院系", "学号", "姓名"]
    data = [r for r in sheet[2:] if isinstance(r[0], int)]
    assert {r[2] for r in data} == {overdue.student_no, silent.student_no}  # one line each this month
    called = next(r for r in sheet[2:4] if r[2] == overdue.student_no)
    assert called[4] == overdue.masked_id_number and called[10] == "承诺按时还款"
    assert called[11] == "承诺12月10日前存款"
    assert called[6].date() == dt.date(2025, 12, 21)
    not_called = next(r for r in sheet[2:4] if r[2] == silent.student_no)
    assert not_called[10] == "本月未联系"
