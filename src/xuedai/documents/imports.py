"""Row-by-row .xlsx imports with every error listed in Chinese (DOMAIN.md §7: users live in Excel).

The contract with callers — all or nothing:
    result = read_xlsx(upload, COLUMNS)
    if not result.ok:
        show result.errors  # every bad cell of every bad row: (Excel row number, header, message)
    else:
        save(result.rows_to_save())  # inside one transaction
One bad row rejects the whole file, so a county never has half a batch in the system and the user
fixes the sheet and uploads it again. `rows_to_save()` raises ImportRejected when there are errors,
so a caller that forgets to check `ok` cannot save a partial file.

Reading is bounded and never raises (``tables``: size, rows, broken files, overlong cells).
Headers are matched by name (spaces and a trailing "*" — the template's required mark — ignored), in
any order; extra columns are ignored; empty rows (including the many trailing rows Excel leaves
formatted) are skipped.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from . import parsers, tables
from .parsers import ParseError

__all__ = ["ImportColumn", "ImportRejected", "ImportResult", "ParseError", "RowError", "read_xlsx"]

# The header may sit under a title line or two; look this far down for it.
HEADER_SEARCH_ROWS = 10
# A generous cap: a province's yearly summary is tens of thousands of rows; more is a wrong file.
DEFAULT_MAX_ROWS = 100_000
_PLAIN_TEXT = parsers.text()


@dataclass(frozen=True)
class ImportColumn:
    """One expected column. `parse` turns a cell value into a Python value or raises ParseError."""

    header: str
    key: str
    parse: Callable[[Any], Any] = _PLAIN_TEXT
    required: bool = True
    unique: bool = False  # e.g. the ID number within one file
    help_text: str = ""  # shown on the template's 填写说明 sheet


@dataclass(frozen=True)
class RowError:
    row_number: int  # as Excel shows it, 1-based
    column_header: str  # "" for a whole-row or whole-file problem
    message_zh: str

    def __str__(self) -> str:
        where = f"第{self.row_number}行" + (f"“{self.column_header}”" if self.column_header else "")
        return f"{where}：{self.message_zh}"


@dataclass(frozen=True)
class ParsedRow:
    row_number: int
    values: dict[str, Any]


class ImportRejected(Exception):
    def __init__(self, errors: Sequence[RowError]):
        super().__init__(f"导入文件有 {len(errors)} 处错误，未保存任何数据。")
        self.errors = list(errors)


@dataclass
class ImportResult:
    rows: list[ParsedRow] = field(default_factory=list)  # the rows that parsed, for a preview only
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_row_numbers(self) -> list[int]:
        return sorted({e.row_number for e in self.errors})

    def rows_to_save(self) -> list[ParsedRow]:
        if self.errors:
            raise ImportRejected(self.errors)
        return self.rows


def _norm(header: Any) -> str:
    return "".join(str(header or "").split()).rstrip("*＊")


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_xlsx(file: BinaryIO | str, columns: Sequence[ImportColumn], *, sheet: str | None = None,
              max_rows: int = DEFAULT_MAX_ROWS) -> ImportResult:
    """Parse the first (or named) sheet. Never raises for bad content: everything goes to errors.

    The file is read through :func:`.tables.table_rows`: a file that is too big, not an .xlsx,
    broken inside, or with a cell longer than Excel allows becomes an error, never an exception.
    """
    result = ImportResult()
    try:
        rows = tables.table_rows(file, max_rows=max_rows + HEADER_SEARCH_ROWS, sheet=sheet,
                                 csv_allowed=False)
        header_row, positions = _find_header(rows, columns)
        if header_row is None:
            result.errors.append(RowError(0, "", "未找到表头：请使用下载的导入模板，表头须在前10行内。"))
            return result
        for column in columns:
            # An optional column may be left out of the sheet altogether; a required one may not.
            if column.required and column.header not in positions:
                result.errors.append(RowError(header_row, column.header, f"缺少列“{column.header}”。"))
        if result.errors:
            return result
        _read_rows(rows, header_row, columns, positions, result, max_rows)
    except tables.TableError as error:
        result.errors.append(RowError(0, "", str(error)))
    return result


def _find_header(rows, columns: Sequence[ImportColumn]) -> tuple[int | None, dict[str, int]]:
    wanted = {_norm(c.header): c.header for c in columns}
    for row_number, row in rows:
        if row_number > HEADER_SEARCH_ROWS:
            break
        positions = {wanted[_norm(v)]: i for i, v in enumerate(row) if _norm(v) in wanted}
        if positions:
            return row_number, positions
    return None, {}


def _read_rows(rows, header_row: int, columns, positions, result: ImportResult, max_rows: int) -> None:
    seen: dict[str, dict[Any, int]] = {c.key: {} for c in columns if c.unique}
    count = 0
    for row_number, row in rows:
        cells = {c.key: (row[positions[c.header]] if positions.get(c.header, len(row)) < len(row) else None)
                 for c in columns}
        if all(_is_empty(v) for v in cells.values()):
            continue
        count += 1
        if count > max_rows:
            result.errors.append(RowError(row_number, "", f"行数超过上限 {max_rows}，请分文件导入。"))
            return
        values, row_ok = {}, True
        for column in columns:
            raw = cells[column.key]
            if _is_empty(raw):
                if column.required:
                    result.errors.append(RowError(row_number, column.header, "不能为空。"))
                    row_ok = False
                values[column.key] = None
                continue
            try:
                values[column.key] = column.parse(raw)
            except ParseError as exc:
                result.errors.append(RowError(row_number, column.header, str(exc)))
                row_ok = False
                continue
            if column.key in seen:
                first = seen[column.key].setdefault(values[column.key], row_number)
                if first != row_number:
                    result.errors.append(RowError(row_number, column.header, f"与第{first}行重复。"))
                    row_ok = False
        if row_ok:
            result.rows.append(ParsedRow(row_number, values))
