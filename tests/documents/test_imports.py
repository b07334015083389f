"""The import framework: every bad row listed with its Excel row number and header, nothing to save
when any row is bad; headers by name; trailing empty rows ignored; the template reads back."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from xuedai.documents import parsers
from xuedai.documents.import_templates import import_template_xlsx
from xuedai.documents.imports import ImportColumn, ImportRejected, RowError, read_xlsx
from xuedai.identity.idnumbers import make_id_number

COLUMNS = [
    ImportColumn("学生姓名", "name", parsers.text(max_length=50)),
    ImportColumn("身份证号", "id_number", parsers.id_number(), unique=True),
    ImportColumn("贷款金额", "amount", parsers.decimal(min_value=Decimal(1000), max_value=Decimal(20000),
                                                    multiple_of=Decimal(100))),
    ImportColumn("签订日期", "signed_on", parsers.date()),
    ImportColumn("贷款类型", "kind", parsers.choice({"新贷": "new", "续贷": "renewal"})),
    ImportColumn("备注", "note", required=False),
]
ID1 = make_id_number("510722", dt.date(2004, 3, 15), 11)
ID2 = make_id_number("510722", dt.date(2004, 5, 1), 12)
ID3 = make_id_number("510722", dt.date(2003, 1, 9), 13)
ID4 = make_id_number("510722", dt.date(2005, 7, 7), 14)
ID5 = make_id_number("510722", dt.date(2005, 2, 2), 15)


def workbook(rows, headers=None, title=None, trailing_blank=0) -> io.BytesIO:
    book = openpyxl.Workbook()
    ws = book.active
    if title:
        ws.append([title])
    ws.append(headers or ["备注", "学生姓名", "身份证号", "贷款金额", "签订日期", "贷款类型"])
    for row in rows:
        ws.append(row)
    for _ in range(trailing_blank):
        ws.append([None, "", "  ", None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = [
    [None, "张伟", ID1, 6000, dt.datetime(2024, 8, 22), "新贷"],
    ["", "王芳", ID2, "8,000.00", "2024-08-23", "续贷"],
    [None, "李娜", ID3, 12000.0, "2024年8月24日", "renewal"],
    ["转学", "刘洋", ID4, Decimal("3000"), "2024/08/25", "新贷"],
]


def test_a_clean_file_parses_every_row():
    result = read_xlsx(workbook(GOOD, title="导入模板", trailing_blank=30), COLUMNS)
    assert result.ok and result.errors == []
    saved = result.rows_to_save()
    assert [r.row_number for r in saved] == [3, 4, 5, 6]
    first = saved[0].values
    assert first == {"name": "张伟", "id_number": ID1, "amount": Decimal("6000.00"),
                     "signed_on": dt.date(2024, 8, 22), "kind": "new", "note": None}
    assert saved[1].values["amount"] == Decimal("8000.00") and saved[2].values["kind"] == "renewal"
    assert saved[3].values["signed_on"] == dt.date(2024, 8, 25)


def test_two_bad_rows_of_five_reject_the_file_and_are_both_listed():
    bad_id = ID2[:-1] + ("0" if ID2[-1] != "0" else "1")
    rows = [GOOD[0],
            [None, "王芳", bad_id, 6000, "2024-08-23", "新贷"],  # row 3: checksum
            GOOD[2],
            [None, "", ID5, 6050, "2024-13-01", "新贷"],  # row 5: name, amount and date all wrong
            GOOD[3]]
    result = read_xlsx(workbook(rows), COLUMNS)
    assert not result.ok
    assert result.bad_row_numbers == [3, 5]
    assert RowError(3, "身份证号", "身份证号校验位不正确，请核对。") in result.errors
    by_cell = {(e.row_number, e.column_header): e.message_zh for e in result.errors}
    assert by_cell[(5, "学生姓名")] == "不能为空。"
    assert by_cell[(5, "贷款金额")] == "须为100的整数倍。"
    assert "日期格式不正确" in by_cell[(5, "签订日期")]
    assert str(result.errors[0]) == "第3行“身份证号”：身份证号校验位不正确，请核对。"
    with pytest.raises(ImportRejected) as rejected:
        result.rows_to_save()
    assert len(rejected.value.errors) == 4


def test_missing_header_is_named():
    headers = ["学生姓名", "身份证号", "签订日期", "贷款类型"]
    result = read_xlsx(workbook([["张伟", ID1, "2024-08-22", "新贷"]], headers=headers), COLUMNS)
    assert [(e.column_header, e.message_zh) for e in result.errors] == [("贷款金额", "缺少列“贷款金额”。")]
    assert result.rows == []


def test_duplicates_and_numeric_id_numbers():
    rows = [GOOD[0], [None, "张伟", ID1, 6000, "2024-08-22", "新贷"],
            [None, "王芳", int(ID2[:-1] + "0") if ID2[-1] == "X" else int(ID2), 6000, "2024-08-22", "新贷"]]
    by_row = {e.row_number: e.message_zh for e in read_xlsx(workbook(rows), COLUMNS).errors}
    assert by_row[3] == "与第2行重复。"
    assert "文本格式" in by_row[4]


def test_not_an_xlsx():
    result = read_xlsx(io.BytesIO(b"name,id\n"), COLUMNS)
    assert not result.ok and "xlsx" in result.errors[0].message_zh


@pytest.mark.parametrize(("parser", "raw", "message"), [
    (parsers.decimal(), "12.345", "最多2位小数。"),
    (parsers.decimal(), "abc", "须为数字。"),
    (parsers.integer(min_value=5), "3", "不能小于5。"),
    (parsers.choice({"男": "M"}), "X", "应为以下之一：男。"),
    (parsers.text(max_length=2), "三个字", "不能超过2个字符。"),
])
def test_parser_messages(parser, raw, message):
    with pytest.raises(parsers.ParseError, match=message):
        parser(raw)


def test_date_serials_and_phone_digits():
    assert parsers.date()(45526) == dt.date(2024, 8, 22)
    assert parsers.text()(13812345678.0) == "13812345678"


def test_the_template_reads_back_empty_and_marks_required():
    data = import_template_xlsx(COLUMNS, choices={"kind": ["新贷", "续贷"]})
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers == ["学生姓名*", "身份证号*", "贷款金额*", "签订日期*", "贷款类型*", "备注"]
    # openpyxl files equal neighbouring columns under the first one's letter: find column B's entry
    id_col = next(d for d in ws.column_dimensions.values() if d.min <= 2 <= d.max)
    assert id_col.width >= 22
    assert book.worksheets[1].title == "填写说明"
    assert ws.data_validations.dataValidation[0].formula1 == '"新贷,续贷"'
    result = read_xlsx(io.BytesIO(data), COLUMNS)
    assert result.ok and result.rows == []
    # a user fills the template in: the "*" marks do not stop the headers matching
    ws.append(["张伟", ID1, 6000, "2024-08-22", "新贷", None])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert read_xlsx(buffer, COLUMNS).rows_to_save()[0].values["id_number"] == ID1
