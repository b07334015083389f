"""Reading the finance department's subsidy transfer: an .xlsx with 合同编号 and 到账贴息 (any other
columns, such as those of our own 预结息明细表, are ignored), or lines typed on the page
("合同编号,金额" one per line). Every problem is listed by row; nothing is saved unless all are fine
(``documents.imports``; ``services.subsidy``)."""

from __future__ import annotations

from decimal import Decimal

from xuedai.documents import parsers
from xuedai.documents.imports import ImportColumn, RowError, read_xlsx

from .services.subsidy import AMOUNT_HEADER, CONTRACT_HEADER, PaymentLine

COLUMNS = [
    ImportColumn(CONTRACT_HEADER, "contract_no", parsers.text(max_length=32), unique=True),
    ImportColumn(AMOUNT_HEADER, "amount", parsers.decimal(places=2, min_value=Decimal("0.01"))),
]
MAX_ROWS = 200_000


def lines_from_xlsx(upload) -> tuple[list[PaymentLine], list[RowError]]:
    result = read_xlsx(upload, COLUMNS, max_rows=MAX_ROWS)
    lines = [PaymentLine(r.row_number, r.values["contract_no"], r.values["amount"]) for r in result.rows]
    return lines, result.errors


def lines_from_text(text: str) -> tuple[list[PaymentLine], list[RowError]]:
    lines, errors = [], []
    amount = parsers.decimal(places=2, min_value=Decimal("0.01"))
    for number, raw in enumerate(text.splitlines(), start=1):
        raw = raw.strip()
        if not raw:
            continue
        parts = [p.strip() for p in raw.replace("，", ",").replace("\t", ",").split(",")]
        if len(parts) != 2 or not parts[0]:
            errors.append(RowError(number, "", "每行写“合同编号,到账贴息”。"))
            continue
        try:
            lines.append(PaymentLine(number, parts[0], amount(parts[1])))
        except parsers.ParseError as exc:
            errors.append(RowError(number, AMOUNT_HEADER, str(exc)))
    return lines, errors
