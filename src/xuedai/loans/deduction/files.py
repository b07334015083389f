"""Deduction files on disk: write a run's lines, read a channel's result back.

xlsx through xlsxwriter in constant_memory mode (rows stream to disk, memory stays flat); past
Excel's 1,048,576 rows (header included) the same columns go to a UTF-8 CSV with a BOM so Excel
opens it in Chinese (ARCHITECTURE "documents"). Text is written as text and never as a formula
(``documents.cells``: a borrower named ``=cmd|…`` stays a name in the file sent to the bank).

Reading goes through ``documents.tables`` (size and row limits, any encoding, broken files as
Chinese errors) and checks every cell of every row, so an import can list every bad row at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from xuedai.core.money import MoneyError, to_money
from xuedai.documents.cells import SafeText, escape_csv_text
from xuedai.documents.tables import TableError, table_rows

from .layouts import LAYOUTS, MONEY_KEYS, Layout

EXCEL_MAX_ROWS = 1_048_576
TEXT_KEYS = ("contract_no", "result", "reason")
MAX_TEXT = {"contract_no": 64, "result": 20, "reason": 100}
# Every bad row is listed up to here; past it the count alone is given (the page shows the first 20).
MAX_LISTED_ERRORS = 500


class FileFormatError(ValueError):
    """The file is not in the layout we read; the message names the row and the column."""


def media_dir(run) -> Path:
    """Where a run's files live: under MEDIA_ROOT, served only by the scope-checked download view."""
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / "deductions" / f"{run.business_date:%Y%m%d}"


def output_path(base: Path, rows: int) -> Path:
    """``base`` with .xlsx, or .csv when the rows (plus the header) do not fit a sheet."""
    return base.with_suffix(".csv" if rows + 1 > EXCEL_MAX_ROWS else ".xlsx")


# Below this many rows a sheet is built in memory (no temp files); above it rows stream to disk.
IN_MEMORY_ROWS = 20_000


def write_rows(path: Path, layout: Layout, rows: Iterable[dict], *, count: int | None = None) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        return _write_csv(path, layout, rows)
    small = count is not None and count <= IN_MEMORY_ROWS
    return _write_xlsx(path, layout, rows, {"in_memory": True} if small else {"constant_memory": True})


def _cell(key: str, value):
    if value is None:
        return ""
    if key in MONEY_KEYS and value != "":
        # A number in the sheet (Excel sums it); xlsxwriter takes the Decimal as it is.
        return Decimal(str(value))
    return value


def _write_xlsx(path: Path, layout: Layout, rows: Iterable[dict], options: dict) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), options)
    sheet = workbook.add_worksheet(layout.name[:31])
    safe = SafeText(workbook)
    bold = safe.format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    text = safe.format({"num_format": "@"})
    sheet.set_column(0, len(layout.columns) - 1, 14)
    for col, header in enumerate(layout.headers):
        safe.write(sheet, 0, col, header, bold)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, key in enumerate(layout.keys):
            value = _cell(key, row.get(key))
            if key in MONEY_KEYS and value != "":
                sheet.write_number(count, col, value, money)
            elif key == "seq" and isinstance(value, int):
                sheet.write_number(count, col, value)
            elif value == "":
                sheet.write_blank(count, col, None)
            else:
                # Text as text (documents.cells): an 18-digit ID stays digits, "=…" stays a name.
                safe.write(sheet, count, col, value, text)
    workbook.close()
    return count


def _write_csv(path: Path, layout: Layout, rows: Iterable[dict]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(layout.headers)
        for row in rows:
            writer.writerow([_csv_value(key, row.get(key)) for key in layout.keys])
            count += 1
    return count


def _csv_value(key: str, value) -> str:
    if value is None:
        return ""
    if key in MONEY_KEYS or key == "seq" or not isinstance(value, str):
        return str(value)
    return escape_csv_text(value)


# -- reading ---------------------------------------------------------------------------------------


_INTEGER = re.compile(r"\d{1,9}(\.0*)?")


def _seq(value, where: str) -> int:
    if isinstance(value, bool):
        raise FileFormatError(f"{where}「序号」应为正整数：{value!r}")
    if isinstance(value, int) and 0 < value < 10**9:
        return value
    if isinstance(value, float) and value.is_integer() and 0 < value < 10**9:
        return int(value)
    text = str(value).strip() if isinstance(value, str) else ""
    if _INTEGER.fullmatch(text) and int(text.split(".")[0]) > 0:
        return int(text.split(".")[0])
    shown = value if len(str(value)) <= 20 else f"{str(value)[:20]}…"
    raise FileFormatError(f"{where}「序号」应为正整数：{shown!r}")


def _money(value, where: str) -> Decimal | None:
    """An amount cell: None when blank; negative, non-finite, absurd or sub-fen amounts refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, dt.date):
        raise FileFormatError(f"{where}应为金额数字，填写的是「{value}」")
    if isinstance(value, float):
        value = repr(value)  # the shortest decimal that round-trips: 1603.58, not 1603.5799…
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        amount = to_money(text, what=where)
    except MoneyError as error:
        raise FileFormatError(error.message_zh[:120]) from None
    if amount < 0:
        raise FileFormatError(f"{where}不能为负数：{text[:20]}")
    return amount


def _text(value, key: str, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a contract number typed as a number
    text = str(value).strip()
    if len(text) > MAX_TEXT[key]:
        raise FileFormatError(f"{where}超过 {MAX_TEXT[key]} 个字符")
    return text


def _parse(layout: Layout, index: dict[str, int], number: int, values: list) -> tuple[dict, list[str]]:
    headers = dict(layout.columns)
    row: dict = {"row_number": number}
    problems = []
    for key, position in index.items():
        raw = values[position] if position < len(values) else None
        where = f"第{number}行「{headers[key]}」"
        try:
            if key == "seq":
                row[key] = _seq(raw, f"第{number}行")
            elif key in MONEY_KEYS:
                row[key] = _money(raw, where)
            elif key in TEXT_KEYS:
                row[key] = _text(raw, key, where)
            else:
                row[key] = "" if raw is None else str(raw)
        except FileFormatError as error:
            problems.append(str(error))
    return row, problems


def read_result(path: Path, layout_name: str, *, max_rows: int) -> tuple[list[dict], list[str]]:
    """Every row of a deduction or result file, and every problem found (file-level or per cell).

    ``max_rows`` data rows at most (the caller derives it from the run's lines): reading stops at
    the first row past it. Rows with problems are left out of the returned rows; a file that
    cannot be read to its end returns no rows at all.
    """
    layout = LAYOUTS[layout_name]
    rows: list[dict] = []
    errors: list[str] = []
    hidden = 0
    try:
        source = table_rows(path, max_rows=max_rows + 1)
        first = next(source, None)
        if first is None:
            raise FileFormatError("文件中没有任何内容（连表头也没有）。")
        header_number, header_values = first
        header = [str(h if h is not None else "").strip() for h in header_values]
        missing = [h for h in layout.headers if h not in header]
        if missing:
            raise FileFormatError(f"第{header_number}行（表头）不是「{layout.name}」格式："
                                  f"缺少列 {'、'.join(missing)}")
        index = {key: header.index(h) for key, h in layout.columns}
        for number, values in source:
            row, problems = _parse(layout, index, number, values)
            if problems:
                if len(errors) < MAX_LISTED_ERRORS:
                    errors.extend(problems)
                else:
                    hidden += len(problems)
            else:
                rows.append(row)
    except (TableError, FileFormatError) as error:
        # The file cannot be read to its end: that is the problem to report, not its rows.
        return [], [str(error), *errors][:MAX_LISTED_ERRORS]
    if hidden:
        errors.append(f"另有 {hidden:,} 处错误未列出。")
    return rows, errors


def read_rows(path: Path, layout_name: str, *, max_rows: int = EXCEL_MAX_ROWS) -> Iterator[dict]:
    """Rows of a file we wrote (or a channel answered), strictly: the first problem raises."""
    rows, errors = read_result(path, layout_name, max_rows=max_rows)
    if errors:
        raise FileFormatError(errors[0])
    yield from rows
