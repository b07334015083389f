"""The empty import template users download: the same headers read_xlsx expects, required columns
marked with "*" (read_xlsx ignores the mark), ID-number columns preformatted as text, and a
填写说明 sheet. Small files, so no constant_memory here (it would forbid the data validations)."""

import io
from collections.abc import Sequence

import xlsxwriter

from .imports import ImportColumn

TEMPLATE_ROWS = 1000  # rows that get text format and drop-downs


def import_template_xlsx(columns: Sequence[ImportColumn], *, sheet_title: str = "导入数据",
                         choices: dict[str, Sequence[str]] | None = None,
                         notes: Sequence[str] = ()) -> bytes:
    """`choices` maps a column key to its labels, offered as an in-cell drop-down."""
    choices = choices or {}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet(sheet_title[:31])
    base = {"font_name": "宋体", "font_size": 10}
    header = book.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2", "align": "center"})
    required = book.add_format({**base, "bold": True, "border": 1, "bg_color": "#FCE4D6",
                                "align": "center", "font_color": "#C00000"})
    as_text = book.add_format({**base, "num_format": "@"})
    for index, column in enumerate(columns):
        label = column.header + ("*" if column.required else "")
        sheet.write_string(0, index, label, required if column.required else header)
        width = max(12, len(label) * 2 + 2)
        is_text = getattr(column.parse, "excel_text", False)
        # Text format on ID and code columns stops Excel turning 18 digits into 5.10722E+17.
        sheet.set_column(index, index, max(width, 22) if is_text else width, as_text if is_text else None)
        if column.key in choices:
            sheet.data_validation(1, index, TEMPLATE_ROWS, index,
                                  {"validate": "list", "source": list(choices[column.key])})
    sheet.freeze_panes(1, 0)
    help_sheet = book.add_worksheet("填写说明")
    help_sheet.set_column(0, 0, 18)
    help_sheet.set_column(1, 1, 8)
    help_sheet.set_column(2, 2, 60)
    for index, text in enumerate(("列名", "必填", "说明")):
        help_sheet.write_string(0, index, text, header)
    for row, column in enumerate(columns, start=1):
        help_sheet.write_string(row, 0, column.header)
        help_sheet.write_string(row, 1, "是" if column.required else "否")
        help_sheet.write_string(row, 2, column.help_text)
    start = len(columns) + 2
    for offset, note in enumerate(("整个文件中任何一行有误，将不导入任何数据，并列出全部错误行。", *notes)):
        help_sheet.write_string(start + offset, 0, note)
    book.close()
    return buffer.getvalue()
