"""xlsx_table: types survive a round trip; table_response switches to CSV past the row limit."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl

from xuedai.documents import xlsx
from xuedai.documents.xlsx import Column, csv_table, table_response, xlsx_table

HEADERS = [Column("姓名"), Column("身份证号"), Column("贷款金额", "money"), Column("签订日期", "date"),
           Column("期限(年)", "int"), "备注"]
ROWS = [["张伟", "510722200403150146", Decimal("6000.00"), dt.date(2024, 8, 22), 12, None],
        ["王芳", "51072220040315020X", Decimal("1234.56"), dt.date(2024, 8, 23), 8, "续贷"]]


def test_round_trip_keeps_types():
    data = xlsx_table("测试表", HEADERS, ROWS, title_line="三台县 借款申请汇总表",
                      footer_lines=["经办人（签字）："])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.title == "测试表"
    assert ws["A1"].value == "三台县 借款申请汇总表"
    assert [c.value for c in ws[2]] == ["姓名", "身份证号", "贷款金额", "签订日期", "期限(年)", "备注"]
    assert ws["B3"].value == "510722200403150146"  # text, every digit kept
    assert ws["C4"].value == 1234.56 and ws["C4"].number_format == "#,##0.00"
    assert ws["D3"].value == dt.datetime(2024, 8, 22) and ws["D3"].is_date
    assert ws["E3"].value == 12
    assert ws["A6"].value == "经办人（签字）："
    assert ws.column_dimensions["B"].width >= 12
    assert ws.freeze_panes == "A3"


def test_sheet_title_is_cut_to_excels_limit():
    data = xlsx_table("很" * 40, ["列"], [])
    assert len(openpyxl.load_workbook(io.BytesIO(data)).active.title) == 31


def test_csv_has_bom_and_plain_values():
    body = csv_table(HEADERS, ROWS)
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == "姓名,身份证号,贷款金额,签订日期,期限(年),备注"
    assert lines[1] == "张伟,510722200403150146,6000.00,2024-08-22,12,"


def test_table_response_threshold(monkeypatch):
    monkeypatch.setattr(xlsx, "EXCEL_MAX_DATA_ROWS", 2)
    at_limit = table_response("汇总表", "汇总表", HEADERS, ROWS)
    assert at_limit["Content-Type"] == xlsx.XLSX_TYPE
    assert "filename*=UTF-8''%E6%B1%87%E6%80%BB%E8%A1%A8.xlsx" in at_limit["Content-Disposition"]
    over = table_response("汇总表", "汇总表", HEADERS, [*ROWS, ROWS[0]])
    assert over["Content-Type"] == "text/csv; charset=utf-8"
    assert over["Content-Disposition"].endswith(".csv")
    assert len(b"".join(over.streaming_content).decode("utf-8-sig").splitlines()) == 4
    generated = table_response("汇总表", "汇总表", HEADERS, iter(ROWS * 2), row_count=4)
    assert generated["Content-Type"].startswith("text/csv")


def test_the_real_limit_is_excels():
    assert xlsx.EXCEL_MAX_DATA_ROWS == 1_048_576 - 1
