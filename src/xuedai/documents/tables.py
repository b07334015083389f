"""Reading an uploaded table (.xlsx or .csv) safely: whatever the file holds, rows or a Chinese error.

Users upload what their bank or their colleague sent (DOMAIN.md §7: users live in Excel; §4
Channels: agent banks fill the 批量扣款信息表 and the county imports it). So this reader expects
the worst and never lets a file stop the site:

- **size first**: a file over ``max_bytes`` is refused before a byte is parsed; an .xlsx whose
  parts would expand past :data:`MAX_XLSX_EXPANDED` (a zip bomb) is refused before openpyxl opens it;
- **streamed**: rows are yielded one at a time (openpyxl read-only mode, csv over a text stream) and
  reading stops at ``max_rows`` non-empty rows, so a 1,000,000-row file costs one row of memory and
  ends at the limit;
- **every encoding a Chinese office produces**: UTF-8 with or without a BOM, UTF-16 (Excel's
  "Unicode text", with a BOM or without), GBK and GB18030 (read as GB18030, its superset — the
  default of Chinese Windows and of most bank systems);
- **bounded cells**: at most :data:`MAX_COLUMNS` columns are read and a cell over
  :data:`MAX_CELL_CHARS` characters (Excel's own limit) is refused, naming the row;
- **every parser failure becomes** :class:`TableError` with a message for the user (BadZipFile,
  KeyError and ParseError from broken xlsx internals, UnicodeDecodeError, csv.Error …).

A CSV cell written by our own exports as ``'=…`` (see :mod:`.cells`, formula injection) is read
back without the apostrophe, so a file we sent comes back with the names we wrote.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .cells import unescape_csv_text

# A deduction result file of a large province's run is tens of MB as CSV; more is not a result file.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
# What the parts of an .xlsx may expand to: a full 1,048,576-row sheet is about 150 MB of XML.
MAX_XLSX_EXPANDED = 512 * 1024 * 1024
MAX_XLSX_PARTS = 2_000
MAX_COLUMNS = 64
MAX_CELL_CHARS = 32_767  # Excel refuses longer cells; a longer one is not a table someone typed
# Excel leaves many formatted empty rows under the data; past this many rows in all, stop.
BLANK_ROW_ALLOWANCE = 100_000
_SNIFF_BYTES = 64 * 1024

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .et) format


class TableError(ValueError):
    """The file cannot be read as a table; the message (Chinese, naming the row) is for the user."""


Source = str | os.PathLike | IO[bytes]


def table_rows(source: Source, *, max_rows: int, max_bytes: int = MAX_UPLOAD_BYTES,
               name: str | None = None, sheet: str | None = None,
               csv_allowed: bool = True) -> Iterator[tuple[int, list[Any]]]:
    """Yield ``(row number as Excel shows it, cell values)`` for every non-empty row.

    ``max_rows`` counts non-empty rows, the header included; one more is a :class:`TableError`.
    .xlsx cells arrive as openpyxl gives them (str, int, float, datetime, bool); CSV cells as str.
    The first sheet is read unless ``sheet`` names another; ``csv_allowed=False`` takes .xlsx only.
    """
    with _opened(source) as handle:
        size = _size(handle)
        if size > max_bytes:
            raise TableError(f"文件大小 {size / 1024 / 1024:,.1f} MB 超过上限 "
                             f"{max_bytes // 1024 // 1024} MB，请分文件导入。")
        head = handle.read(8)
        handle.seek(0)
        label = (name or getattr(handle, "name", "") or "").lower()
        if head.startswith(OLE_MAGIC):
            raise TableError("这是旧版 Excel 97-2003（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV "
                             "后再导入。")
        if head.startswith(XLSX_MAGIC):
            rows = _xlsx_rows(handle, sheet)
        elif label.endswith((".xlsx", ".xlsm")) or not csv_allowed:
            raise TableError("文件不是有效的 .xlsx 工作簿（可能已损坏或下载不完整），请上传 Excel 2007 "
                             "及以上的 .xlsx 文件。")
        elif size == 0:
            raise TableError("文件是空的。")
        else:
            rows = _csv_rows(handle)
        yield from _limited(rows, max_rows)


def _limited(rows: Iterator[list[Any]], max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    filled = 0
    for number, values in enumerate(rows, start=1):
        if number > max_rows + BLANK_ROW_ALLOWANCE:
            raise TableError(f"第{number}行：文件行数（含空行）超过上限，请删除多余的行或分文件导入。")
        values = list(values[:MAX_COLUMNS])
        if all(_is_blank(v) for v in values):
            continue
        filled += 1
        if filled > max_rows:
            raise TableError(f"第{number}行：文件超过 {max_rows - 1:,} 行数据的上限，未导入任何数据，"
                             f"请分文件导入。")
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise TableError(f"第{number}行第{column}列：内容超过 {MAX_CELL_CHARS:,} 个字符，"
                                 f"不是有效的数据。")
        yield number, values


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- opening ---------------------------------------------------------------------------------------


class _opened:
    """A binary handle on ``source``; a path is opened (and closed) here, a caller's file is kept open."""

    def __init__(self, source: Source) -> None:
        self.source, self.owned = source, isinstance(source, str | os.PathLike)

    def __enter__(self) -> IO[bytes]:
        if self.owned:
            try:
                self.handle: IO[bytes] = Path(self.source).open("rb")  # type: ignore[arg-type]
            except OSError:
                raise TableError("无法打开上传的文件。") from None
        else:
            self.handle = self.source  # type: ignore[assignment]
            self.handle.seek(0)
        return self.handle

    def __exit__(self, *exc) -> None:
        if self.owned:
            self.handle.close()


def _size(handle: IO[bytes]) -> int:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


# -- xlsx ------------------------------------------------------------------------------------------


def _xlsx_rows(handle: IO[bytes], sheet_name: str | None) -> Iterator[list[Any]]:
    broken = "文件不是有效的 .xlsx 工作簿（可能已损坏或下载不完整），请重新导出后再导入。"
    try:
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_XLSX_PARTS or sum(p.file_size for p in parts) > MAX_XLSX_EXPANDED:
                raise TableError("工作簿解压后过大，不像是正常的导入文件，请另存为 CSV 或分文件导入。")
        handle.seek(0)
        from openpyxl import load_workbook

        # read_only streams rows from the sheet's XML; data_only gives cached values, never formulas.
        book = load_workbook(handle, read_only=True, data_only=True)
    except TableError:
        raise
    except Exception:  # BadZipFile, KeyError, ParseError, InvalidFileException, ValueError …
        raise TableError(broken) from None
    try:
        if not book.worksheets:
            raise TableError("工作簿中没有工作表。")
        if sheet_name is not None and sheet_name not in book.sheetnames:
            raise TableError(f"工作簿中没有名为「{sheet_name}」的工作表。")
        sheet = book[sheet_name] if sheet_name is not None else book.worksheets[0]
        # The sheet's declared size can lie (A1:XFD1048576 would pad every row to 16,384 cells and
        # yield a million empty rows): ignore it and read at most MAX_COLUMNS columns.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # a broken sheet XML shows up only when its rows are read
                raise TableError(f"第{number + 1}行附近：{broken}") from None
            number += 1
            yield list(row)
    finally:
        book.close()


# -- csv -------------------------------------------------------------------------------------------


ENCODING_LABELS = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
                   "utf-16-be": "UTF-16", "gb18030": "GBK/GB18030"}


def sniff_encoding(prefix: bytes) -> str:
    """The encoding of a CSV from its first bytes: a BOM if there is one, else UTF-16 when NUL
    bytes occur (byte order from where they sit), else UTF-8 if the bytes decode, else GB18030.

    >>> sniff_encoding("序号,合同编号".encode("gbk"))
    'gb18030'
    >>> sniff_encoding("序号".encode("utf-8-sig"))
    'utf-8-sig'
    """
    if prefix.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = prefix[:4096]
    if 0 in sample:  # text in UTF-8 or GBK never holds a NUL byte; UTF-16 does in every ASCII char
        return "utf-16-be" if sample[0::2].count(0) > sample[1::2].count(0) else "utf-16-le"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(prefix, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TableError("无法识别文件的文字编码：请在 Excel 中另存为「CSV UTF-8（逗号分隔）」或 .xlsx "
                     "后再导入。")


class _Unclosed(io.RawIOBase):
    """The caller's binary file seen through a TextIOWrapper that must not close it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.handle.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _csv_rows(handle: IO[bytes]) -> Iterator[list[Any]]:
    encoding = sniff_encoding(handle.read(_SNIFF_BYTES))
    handle.seek(0)
    text = io.TextIOWrapper(io.BufferedReader(_Unclosed(handle)), encoding=encoding, newline="")
    reader = csv.reader(text)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            label = ENCODING_LABELS[encoding]
            raise TableError(f"第{number + 1}行附近：文字编码与文件开头不一致（按 {label} 读取失败），"
                             f"请另存为「CSV UTF-8」后再导入。") from None
        except csv.Error as error:
            detail = "单元格过长" if "field larger" in str(error) else \
                "含有空字符（NUL），可能不是文本文件" if "NUL" in str(error) else "格式不正确"
            raise TableError(f"第{number + 1}行：CSV {detail}，无法读取。") from None
        number += 1
        yield [unescape_csv_text(value) for value in row]


# -- the database side of an import ---------------------------------------------------------------


def limit_statements(*, statement_s: int, lock_s: int) -> None:
    """Inside an import's transaction on PostgreSQL: no statement may run longer than ``statement_s``
    nor wait for a row lock longer than ``lock_s`` (``SET LOCAL``: the transaction's end undoes it).

    An import holds row locks until it commits; bounded statements mean a bad file cannot keep
    pages that need those rows (or the connection pool) waiting for minutes. SQLite, the embedded
    default, has one writer at a time and no such settings: nothing to do there.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true), "
                       "set_config('lock_timeout', %s, true)", [f"{int(statement_s)}s", f"{int(lock_s)}s"])
