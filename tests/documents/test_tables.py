"""documents.tables: any file an office sends is rows or a Chinese error, never an exception."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from xuedai.documents import tables
from xuedai.documents.tables import TableError, sniff_encoding, table_rows

ROWS = [["序号", "合同编号", "借款学生", "备注"], ["1", "C0001", "张伟", "部分还款，差3.20元"],
        ["2", "C0002", "=cmd|' /C calc'!A0", ""]]


def _csv(rows, encoding) -> bytes:
    return "".join(",".join(r) + "\r\n" for r in rows).encode(encoding)


def _xlsx(rows=ROWS) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read(data: bytes, name: str | None = None, **kw):
    return [values for _n, values in table_rows(io.BytesIO(data), max_rows=kw.pop("max_rows", 100),
                                                name=name, **kw)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le",
                                      "utf-16-be"])
def test_every_encoding_a_chinese_office_produces(encoding):
    assert _read(_csv(ROWS, encoding)) == ROWS


def test_gb18030_beyond_gbk_and_the_formula_escape_read_back():
    rows = [["姓名"], ["𠀀䶮"], ["'=SUM(1)"], ["'t Hooft"]]  # 𠀀 is outside GBK
    assert sniff_encoding(_csv(rows, "gb18030")) == "gb18030"
    assert _read(_csv(rows, "gb18030")) == [["姓名"], ["𠀀䶮"], ["=SUM(1)"], ["'t Hooft"]]


def test_xlsx_rows_with_row_numbers_and_blank_rows_skipped():
    data = _xlsx([ROWS[0], [None, None], ROWS[1]])
    numbered = list(table_rows(io.BytesIO(data), max_rows=10))
    assert [n for n, _ in numbered] == [1, 3] and numbered[1][1][:3] == ["1", "C0001", "张伟"]


def _broken_xlsx(kind: str) -> bytes:
    data = _xlsx()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if kind == "no-workbook" and item.filename == "xl/workbook.xml":
                continue  # KeyError inside openpyxl
            if kind == "bad-xml" and item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]  # ParseError when the rows are read
            if kind == "bad-workbook-xml" and item.filename == "xl/workbook.xml":
                body = body[: len(body) // 3]  # ParseError while opening
            target.writestr(item, body)
    return out.getvalue()


@pytest.mark.parametrize("data", [
    _xlsx()[:700],  # truncated download: BadZipFile
    b"PK\x03\x04" + bytes(range(256)) * 20,  # random bytes behind a zip signature
    _broken_xlsx("no-workbook"),
    _broken_xlsx("bad-xml"),
    _broken_xlsx("bad-workbook-xml"),
], ids=["truncated", "random", "no-workbook", "bad-sheet-xml", "bad-workbook-xml"])
def test_broken_xlsx_is_a_chinese_error(data):
    with pytest.raises(TableError, match=r"不是有效的 \.xlsx 工作簿"):
        _read(data, "回盘.xlsx")


@pytest.mark.parametrize("data", [bytes([0x81, 0x30, 0xFF, 0xFE]) * 3 + b"\xff\x00" * 5000,
                                  bytes(range(128, 256)) * 50, b"\x80\xff" * 3000])
def test_random_bytes_named_csv_are_refused_in_chinese(tmp_path, data):
    from xuedai.loans.deduction.files import read_result

    path = tmp_path / "x.csv"
    path.write_bytes(data)
    rows, errors = read_result(path, "扣款明细表", max_rows=10)
    assert rows == [] and len(errors) == 1
    assert any(word in errors[0] for word in ("编码", "CSV", "表头", "上限")), errors


def test_old_xls_and_empty_files():
    with pytest.raises(TableError, match="另存为"):
        _read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "回盘.xls")
    with pytest.raises(TableError, match="空"):
        _read(b"", "回盘.csv")


def test_a_field_over_128_kb_names_its_row():
    big = "扣" * (130 * 1024)
    with pytest.raises(TableError, match="第2行"):
        _read(_csv([["a", "b"], ["1", big]], "utf-8"))
    with pytest.raises(TableError, match="第2行第2列"):
        _read(_csv([["a", "b"], ["1", "x" * 40_000]], "utf-8"))  # csv reads it; Excel's limit refuses it
    data = _xlsx([["a", "b"], ["1", "y" * 32_767]])  # openpyxl itself stops at Excel's limit …
    with pytest.raises(TableError, match="第2行第2列"):
        _read(_rewritten(data, b"y" * 32_767, b"y" * 40_000))  # … a hand-made file need not


def test_a_nul_byte_in_a_utf8_file_and_an_encoding_change_midway():
    with pytest.raises(TableError):
        _read("序号\r\n".encode() + "张伟\r\n".encode("gbk") * 40_000)


def test_row_and_size_limits_stop_reading_early(monkeypatch):
    rows = [["序号"]] + [[str(n)] for n in range(50_000)]
    with pytest.raises(TableError, match="第11行：文件超过 9 行数据的上限"):
        _read(_csv(rows, "utf-8"), max_rows=10)
    with pytest.raises(TableError, match="文件大小"):
        _read(_csv(rows, "utf-8"), max_bytes=1000)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    monkeypatch.setattr(tables, "MAX_XLSX_EXPANDED", 2_000)
    with pytest.raises(TableError, match="解压后过大"):
        _read(_xlsx([ROWS[0]] + [["x" * 50]] * 100))


def _rewritten(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with ``old`` replaced by ``new`` in its sheet's XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in body
                body = body.replace(old, new)
            target.writestr(item, body)
    return out.getvalue()


def test_a_sheet_that_lies_about_its_size_is_read_as_it_is():
    data = _rewritten(_xlsx(), b'<dimension ref="A1:D3" />', b'<dimension ref="A1:XFD1048576" />')
    rows = _read(data)
    assert len(rows) == 3 and len(rows[0]) <= tables.MAX_COLUMNS
