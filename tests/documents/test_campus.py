"""Campus documents: 申请审批表 (PDF), 学生审核信息表, 审查合格名册 (xlsx + PDF), 贷款台账."""

import io

import openpyxl
import pytest

from xuedai.documents import campus, checks, xlsx
from xuedai.origination.models import Contract

pytestmark = pytest.mark.django_db


def rows_of(data: bytes) -> list[list]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_approval_form(contract, tmp_path):
    pdf = campus.approval_form_pdf(contract)
    text = checks.assert_no_missing_glyphs(pdf, campus.APPROVAL_FORM_TITLE, contract.borrower.id_number,
                                           "陆仟元整", "审批人（签字）", "5天")
    assert text
    pages = checks.pdf_to_png(pdf, tmp_path)
    assert len(pages) == 1 and not checks.png_is_blank(pages[0])


def test_review_info_xlsx(batch, province):
    rows = rows_of(campus.review_info_xlsx(batch, province.universities[0], 2024))
    assert campus.REVIEW_INFO_TITLE in rows[0][0]
    assert rows[1] == [c.header for c in campus.REVIEW_INFO_COLUMNS]
    assert rows[2][3] == batch[0].borrower.id_number
    total = rows[7]
    assert total[:2] == ["合计", "5人"] and total[13] == 34000
    assert rows[-1][0] == "日期：　　年　　月　　日"


def test_qualified_roster(batch, province, tmp_path):
    rows = rows_of(campus.qualified_roster_xlsx(batch, province.universities[0], 2024))
    assert rows[2][6:9] == [5000, 1000, 6000]  # fees paid to the university, living, approved
    assert rows[2][10] == pytest.approx(0.0655)
    pdf = campus.qualified_roster_pdf(batch, province.universities[0], 2024)
    checks.assert_no_missing_glyphs(pdf, campus.QUALIFIED_ROSTER_TITLE, "6.55%", "34,000.00",
                                    "经办行（盖章）")
    assert not checks.png_is_blank(checks.pdf_to_png(pdf, tmp_path)[0])


def test_loan_ledger_masks_ids_unless_asked(batch, province):
    university = province.universities[0]
    queryset = Contract.objects.filter(pk__in=[c.pk for c in batch]).order_by("pk")
    rows = rows_of(campus.loan_ledger_xlsx(queryset, university))
    assert rows[1] == [c.header for c in campus.LEDGER_COLUMNS]
    first = rows[2]
    assert first[0] == batch[0].contract_no and "**********" in first[2]
    assert first[10].year == 2024 and first[12].year == 2036  # dates are dates
    full = rows_of(campus.loan_ledger_xlsx(queryset, university, full_id_numbers=True))
    assert full[2][2] == batch[0].borrower.id_number


def test_loan_ledger_falls_back_to_csv_past_the_row_limit(batch, province, monkeypatch):
    queryset = Contract.objects.filter(pk__in=[c.pk for c in batch])
    response = campus.loan_ledger_response(queryset, province.universities[0])
    assert response["Content-Disposition"].endswith(".xlsx")
    monkeypatch.setattr(xlsx, "EXCEL_MAX_DATA_ROWS", 4)
    response = campus.loan_ledger_response(queryset, province.universities[0])
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("合同编号,姓名,身份证号") and len(lines) == 6
