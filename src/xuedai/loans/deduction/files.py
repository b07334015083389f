"""Deduction files on disk: write a run's lines, read a channel's result back.

xlsx through xlsxwriter in constant_memory mode (rows stream to disk, memory stays flat); past
Excel's 1,048,576 rows (header included) the same columns go to a UTF-8 CSV with a BOM so Excel
opens it in Chinese (ARCHITECTURE "documents"). Reading accepts either, by extension.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from xuedai.core.money import MoneyError, to_money

from .layouts import LAYOUTS, MONEY_KEYS, Layout

EXCEL_MAX_ROWS = 1_048_576


class FileFormatError(ValueError):
    """The file is not in the layout we read; the message names the row and the column."""


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
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    text = workbook.add_format({"num_format": "@"})
    sheet.set_column(0, len(layout.columns) - 1, 14)
    sheet.write_row(0, 0, layout.headers, bold)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, key in enumerate(layout.keys):
            value = _cell(key, row.get(key))
            if key in MONEY_KEYS and value != "":
                sheet.write_number(count, col, value, money)
            elif key in ("id_number", "contract_no", "channel_account"):
                sheet.write_string(count, col, str(value), text)  # never as a number (18 digits)
            else:
                sheet.write(count, col, value)
    workbook.close()
    return count


def _write_csv(path: Path, layout: Layout, rows: Iterable[dict]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(layout.headers)
        for row in rows:
            writer.writerow(["" if row.get(k) is None else row.get(k) for k in layout.keys])
            count += 1
    return count


def _money(value, where: str) -> Decimal:
    if value in (None, ""):
        return Decimal("0.00")
    if isinstance(value, float):
        value = repr(value)  # the shortest decimal that round-trips: 1603.58, not 1603.5799…
    try:
        return to_money(str(value).replace(",", ""), what=where)
    except (MoneyError, InvalidOperation) as error:
        raise FileFormatError(str(error)) from None


def read_rows(path: Path, layout_name: str) -> Iterator[dict]:
    """Rows of a deduction or result file as dicts keyed like the layout, money as Decimal."""
    layout = LAYOUTS[layout_name]
    raw = _read_csv(path) if path.suffix == ".csv" else _read_xlsx(path)
    header = [str(h or "").strip() for h in next(raw, [])]
    missing = [h for h in layout.headers if h not in header]
    if missing:
        raise FileFormatError(f"不是「{layout.name}」格式：缺少列 {'、'.join(missing)}")
    index = {key: header.index(h) for key, h in layout.columns}
    for number, values in enumerate(raw, start=2):
        values = list(values)
        if not any(v not in (None, "") for v in values):
            continue
        row = {key: values[i] if i < len(values) else None for key, i in index.items()}
        for key in MONEY_KEYS:
            row[key] = _money(row[key], f"第{number}行「{dict(layout.columns)[key]}」")
        try:
            row["seq"] = int(str(row["seq"]).split(".")[0])
        except ValueError:
            raise FileFormatError(f"第{number}行「序号」不是整数：{row['seq']!r}") from None
        row.update({k: "" if row[k] is None else str(row[k]).strip()
                    for k in ("contract_no", "result", "reason")})
        row["row_number"] = number
        yield row


def _read_xlsx(path: Path) -> Iterator[list]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def _read_csv(path: Path) -> Iterator[list]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.reader(handle)
