"""The season's plain tables open in Excel as the page shows them: amounts 1,234.50, dates as dates."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl

from xuedai.origination import exports


def test_amounts_and_dates_are_numbers_and_dates_with_their_formats():
    data = exports.xlsx_bytes("学费到账查询", ["合同编号", "贷款金额(元)", "发放日期"],
                              [["SY2026001", Decimal("12200.00"), dt.date(2026, 10, 20)],
                               ["SY2026002", Decimal("5500.5"), None]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    amount, day = sheet["B2"], sheet["C2"]
    assert amount.value == 12200 and amount.number_format == "#,##0.00"
    assert sheet["B3"].value == 5500.5
    # A real date cell (no " 00:00:00" text, no serial number), shown as 2026-10-20.
    assert day.is_date and day.value.date() == dt.date(2026, 10, 20) and day.number_format == "yyyy-mm-dd"
    assert sheet["A2"].data_type == "s" and sheet["C3"].value is None
