"""Excel tables written with xlsxwriter in constant_memory mode, and a CSV fallback past Excel's limit.

constant_memory flushes each row as it is written, so a 500,000-row 台账 costs a few MB of memory,
not an object per cell. The price: rows must be written in order, top to bottom — which is why the
title line, header, data, totals and footers are written in exactly that sequence below.
"""

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.http import StreamingHttpResponse

from .cells import SafeText, escape_csv_text
from .pdf import content_disposition, file_response

# Excel's sheet holds 1,048,576 rows; one goes to the header. Tests monkeypatch this to a small number.
EXCEL_MAX_DATA_ROWS = 1_048_575

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """A header with its kind: "text" (default), "money" (2 decimals), "int", "date", "rate"."""

    header: str
    kind: str = "text"
    width: float | None = None


def as_column(spec: "Column | str") -> Column:
    return spec if isinstance(spec, Column) else Column(str(spec))


def _display_width(text: str) -> float:
    # A CJK character is about two Latin characters wide in Excel's default font.
    return sum(2.1 if ord(ch) > 0x2E80 else 1.1 for ch in str(text))


_DEFAULT_WIDTH = {"money": 13, "date": 12, "int": 8, "rate": 9, "text": 12}


def xlsx_table(sheet_title: str, headers: Sequence["Column | str"], rows: Iterable[Sequence], *,
               title_line: str | None = None, footer_lines: Sequence[str] = ()) -> bytes:
    """One sheet: optional merged title line, Chinese headers, rows, then footer lines (签字/盖章).

    Money cells are numbers (so Excel can sum them) shown with 2 decimals; dates are real dates.
    A Decimal is written as a float only at this last step, which is safe for 2-decimal amounts
    under 10^13 — Excel itself stores doubles.
    """
    columns = [as_column(h) for h in headers]
    with tempfile.TemporaryDirectory() as tmp:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "tmpdir": tmp,
                                            "default_date_format": "yyyy-mm-dd"})
        sheet = book.add_worksheet(sheet_title[:31])  # Excel caps sheet names at 31 characters.
        cjk = {"font_name": "宋体", "font_size": 10}
        safe = SafeText(book)  # text cells: never a formula (documents.cells)
        fmt = {
            "safe": safe,
            "title": safe.format({**cjk, "bold": True, "font_size": 14, "align": "center"}),
            "header": safe.format({**cjk, "bold": True, "border": 1, "align": "center",
                                   "valign": "vcenter", "text_wrap": True, "bg_color": "#F2F2F2"}),
            "text": safe.format({**cjk, "border": 1}),
            "money": book.add_format({**cjk, "border": 1, "num_format": "#,##0.00"}),
            "int": book.add_format({**cjk, "border": 1, "num_format": "0"}),
            "rate": book.add_format({**cjk, "border": 1, "num_format": "0.00%"}),
            "date": book.add_format({**cjk, "border": 1, "num_format": "yyyy-mm-dd"}),
            "footer": safe.format(cjk),
        }
        for index, column in enumerate(columns):
            default = _DEFAULT_WIDTH.get(column.kind, 12)
            width = column.width or max(default, _display_width(column.header) + 2)
            sheet.set_column(index, index, width)
        row_no = 0
        if title_line:
            sheet.merge_range(0, 0, 0, max(len(columns) - 1, 0), "", fmt["title"])
            safe.write(sheet, 0, 0, title_line, fmt["title"])  # merge_range's own write() would not be safe
            sheet.set_row(0, 24)
            row_no = 1
        for index, column in enumerate(columns):
            safe.write(sheet, row_no, index, column.header, fmt["header"])
        sheet.freeze_panes(row_no + 1, 0)
        row_no += 1
        for row in rows:
            for index, value in enumerate(row):
                kind = columns[index].kind if index < len(columns) else "text"
                _write_cell(sheet, row_no, index, value, kind, fmt)
            row_no += 1
        for line in footer_lines:
            row_no += 1  # a blank row before each footer line leaves room for a signature
            safe.write(sheet, row_no, 0, line, fmt["footer"])
        sheet.set_paper(9)  # A4
        if len(columns) > 8:  # wide tables print across the page, as the counties file them
            sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(1 if title_line else 0, 1 if title_line else 0)
        book.close()
        return buffer.getvalue()


def _write_cell(sheet, row: int, col: int, value, kind: str, fmt: dict) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt["text"])
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), fmt["date"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt["date"])
    elif isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        sheet.write_number(row, col, float(value), fmt[kind if kind in ("money", "int", "rate") else "text"])
    else:
        # write_string, never write(): an ID number like 510722200403150011 must stay text, not 5.1E+17,
        # and a name like "=cmd|…" must stay a name, not a formula (documents.cells).
        fmt["safe"].write(sheet, row, col, str(value), fmt["text"])


def csv_lines(headers: Sequence["Column | str"], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """UTF-8 CSV, one encoded line at a time, starting with a BOM so Excel reads the Chinese right.

    Excel shows long digit strings (ID numbers) in scientific notation when it opens a CSV; that is
    Excel's reading, the file keeps every digit (banks load these files with their own tools).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue().encode("utf-8")

    yield "\ufeff".encode()
    yield line([as_column(h).header for h in headers])
    for row in rows:
        yield line(["" if v is None else _csv_value(v) for v in row])


def csv_table(headers: Sequence["Column | str"], rows: Iterable[Sequence]) -> bytes:
    return b"".join(csv_lines(headers, rows))


def _csv_value(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return escape_csv_text(value)  # "=cmd|…" → "'=cmd|…": text, not a formula (documents.cells)


def table_response(filename_stem: str, sheet_title: str, headers: Sequence["Column | str"],
                   rows: Iterable[Sequence], *, row_count: int | None = None, title_line: str | None = None,
                   footer_lines: Sequence[str] = ()):
    """An .xlsx download, or a streamed .csv when the rows would not fit one Excel sheet.

    Give `row_count` when `rows` is a generator (e.g. queryset.count()); otherwise rows need len().
    `filename_stem` names the table, never a person: "借款申请汇总表-三台县-2024".
    """
    count = len(rows) if row_count is None else row_count  # type: ignore[arg-type]
    if count > EXCEL_MAX_DATA_ROWS:
        response = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition(f"{filename_stem}.csv")
        response["Cache-Control"] = "private, no-store"
        return response
    data = xlsx_table(sheet_title, headers, rows, title_line=title_line, footer_lines=footer_lines)
    return file_response(data, f"{filename_stem}.xlsx", XLSX_TYPE)
