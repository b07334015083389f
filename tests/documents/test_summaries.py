"""County and province summary tables: xlsx read back with openpyxl (title, headers, rows, totals,
signature lines), and the PDF with its stamp line on every page."""

import io
from decimal import Decimal

import openpyxl
import pytest

from tests.documents.conftest import make_contract
from xuedai.documents import checks, summaries

pytestmark = pytest.mark.django_db


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_county_summary_xlsx_round_trip(batch, province):
    ws = sheet_of(summaries.county_summary_xlsx(batch, province.counties[0], 2024))
    assert ws.title == "借款申请汇总表"
    assert "三台县学生资助管理中心" in ws["A1"].value and summaries.COUNTY_SUMMARY_TITLE in ws["A1"].value
    headers = [c.value for c in ws[2]]
    assert headers == [c.header for c in summaries.COUNTY_COLUMNS]
    first = [c.value for c in ws[3]]
    assert first[1] == batch[0].contract_no
    # the full ID number, as text (never 5.1E+17), because the county stamps this table for the bank
    assert first[3] == batch[0].borrower.id_number and ws.cell(3, 4).data_type == "s"
    assert first[6:10] == [4000, 1000, 1000, 6000]
    assert ws.cell(3, 10).number_format == "#,##0.00"
    assert [c.value for c in ws[4]][14] == "续贷"
    total = [c.value for c in ws[8]]
    assert total[:2] == ["合计", "5人"]
    assert total[6:10] == [20000, 5000, 11000, 34000]
    footer = [ws.cell(r, 1).value for r in range(9, ws.max_row + 1) if ws.cell(r, 1).value]
    assert footer == list(summaries.COUNTY_SIGN_LINES)


def test_county_summary_follows_archive_numbers(batch, province):
    for number, contract in zip([3, 1, 2, 5, 4], batch, strict=True):
        contract.archive_no = number
    rows, _ = summaries.county_summary_rows(reversed(batch))
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0][1] == batch[1].contract_no


def test_county_summary_pdf_has_stamp_line_on_every_page(batch, province, tmp_path):
    pdf = summaries.county_summary_pdf(batch * 10, province.counties[0], 2024)
    text = checks.assert_no_missing_glyphs(pdf, summaries.COUNTY_SUMMARY_TITLE, "340,000.00", "50人")
    pages = checks.pdf_page_count(pdf)
    assert pages >= 2
    assert "".join(text.split()).count("县资助中心（盖章）") == pages
    assert all(not checks.png_is_blank(p) for p in checks.pdf_to_png(pdf, tmp_path))


def test_province_summary_by_county(batch, province, tmp_path):
    other = make_contract(province, county=province.counties[1], amount="7000.00", tuition="5000.00",
                          accommodation="800.00")
    data = summaries.province_summary_xlsx([*batch, other], province.centre, 2024)
    ws = sheet_of(data)
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=5)]
    by_county = {r[1] if r[0] != "合计" else "合计": r for r in rows}
    assert by_county["三台县学生资助管理中心"][2:5] == [5, 4, 1]
    assert by_county["三台县学生资助管理中心"][8] == 34000
    assert by_county["南部县学生资助管理中心"][5:9] == [5000, 800, 1200, 7000]
    assert by_county["合计"][1] == "2个县" and by_county["合计"][8] == 41000
    pdf = summaries.province_summary_pdf([*batch, other], province.centre, 2024)
    checks.assert_no_missing_glyphs(pdf, summaries.PROVINCE_SUMMARY_TITLE, "南部县学生资助管理中心",
                                    "41,000.00")
    assert not checks.png_is_blank(checks.pdf_to_png(pdf, tmp_path)[0])


def test_living_expenses_never_negative(province):
    contract = make_contract(province, amount="3000.00", tuition="4000.00", accommodation="1000.00")
    rows, totals = summaries.county_summary_rows([contract])
    assert rows[0][8] == Decimal("0") and totals["amount"] == Decimal("3000.00")


def test_county_summary_from_a_county_batch(batch, province):
    from xuedai.origination.models import Contract, CountyBatch

    county = province.counties[0]
    county_batch = CountyBatch.objects.create(county=county, academic_year=2024, sequence=2)
    Contract.objects.filter(pk__in=[c.pk for c in batch]).update(batch=county_batch)
    ws = sheet_of(summaries.county_summary_xlsx(county_batch))
    assert "第2批" in ws["A1"].value and ws.max_row >= 8
    with pytest.raises(TypeError):
        summaries.county_summary_xlsx(batch)
