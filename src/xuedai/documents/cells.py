"""Text cells that stay text in every file we write: no formula injection (CSV/DDE injection).

A borrower may be registered as ``=cmd|' /C calc'!A0``; the 扣款明细表 goes to the bank and the
county opens it in Excel or WPS. A spreadsheet runs a cell that *starts* with ``=``, ``+``, ``-`` or
``@`` (and, after a tab or carriage return, the same) as a formula. So:

- **.xlsx**: text is written with ``write_string`` (a string cell is never a formula, whatever it
  starts with; xlsxwriter's ``write()`` would turn ``=…`` into one), and a cell that starts like a
  formula also gets the *quote prefix* style — what Excel itself stores when a user types ``'=…``:
  shown as typed, kept as text when someone edits the cell. The value stays the exact name, so the
  bank's system and our own imports read back what we wrote.
- **CSV** has no cell types: such a cell is written with a leading apostrophe (``'=cmd…``), the
  usual escape that Excel and WPS show as text; :func:`unescape_csv_text` drops it again when one of
  our CSVs comes back (:mod:`.tables`).

Numbers (money, counts) and dates are not text and are written as numbers and dates.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def looks_like_formula(text: str) -> bool:
    """>>> looks_like_formula("=cmd|' /C calc'!A0"), looks_like_formula("张三")
    (True, False)
    """
    return text.startswith(FORMULA_STARTS)


def escape_csv_text(value: Any) -> str:
    """The CSV text of a text cell: ``'`` in front of anything a spreadsheet would run.

    >>> escape_csv_text("-1+1"), escape_csv_text("王五")
    ("'-1+1", '王五')
    """
    text = str(value)
    return QUOTE + text if looks_like_formula(text) else text


def unescape_csv_text(value: str) -> str:
    """Undo :func:`escape_csv_text` (only an apostrophe followed by a formula start is ours).

    >>> unescape_csv_text("'=SUM(1)"), unescape_csv_text("'t Hooft")
    ('=SUM(1)', "'t Hooft")
    """
    if value.startswith(QUOTE) and looks_like_formula(value[1:]):
        return value[1:]
    return value


class SafeText:
    """Writes text cells of one xlsxwriter workbook: ``write_string``, quote-prefixed when needed.

    Text formats are made through :meth:`format`, which keeps their properties: the quote-prefixed
    twin of each is made once, from them (an xlsxwriter format cannot be changed once cells use it).
    """

    def __init__(self, book) -> None:
        self.book = book
        self.quoted: dict[int, Any] = {}
        self.properties: dict[int, dict] = {}

    def format(self, properties: dict | None = None):
        """A format for text cells built from ``properties``; remembers them for its quoted twin."""
        fmt = self.book.add_format(properties or {})
        self.properties[id(fmt)] = dict(properties or {})
        return fmt

    def _quoted(self, fmt) -> Any:
        key = id(fmt)
        if key not in self.quoted:
            # A format made elsewhere has no known properties: a programming error, not user input.
            base = {} if fmt is None else self.properties[key]
            self.quoted[key] = self.book.add_format({**base, "quote_prefix": True})
        return self.quoted[key]

    def write(self, sheet, row: int, col: int, text: Any, fmt=None) -> None:
        text = str(text)
        if looks_like_formula(text):
            sheet.write_string(row, col, text, self._quoted(fmt))
        elif fmt is None:
            sheet.write_string(row, col, text)
        else:
            sheet.write_string(row, col, text, fmt)

    def write_value(self, sheet, row: int, col: int, value: Any, fmt=None) -> None:
        """Any cell value: text through :meth:`write`, everything else (numbers, dates, blanks) as is."""
        if isinstance(value, str):
            self.write(sheet, row, col, value, fmt)
        elif fmt is None:
            sheet.write(row, col, value)
        else:
            sheet.write(row, col, value, fmt)
