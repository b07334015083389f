"""Every xlsx and CSV writer fed borrowers named like formulas, each file read back (tests, bench/).

The payloads are the classic formula / DDE injections. A file passes when no cell of it is a formula
(no ``<f>`` element in any sheet's XML, no cell openpyxl reads as a formula), every .xlsx text cell
that starts like a formula carries the quote prefix, and every such CSV cell starts with ``'``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook

from xuedai.documents.cells import looks_like_formula
from xuedai.documents.tables import sniff_encoding

PAYLOADS = ["=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(1)"]
_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _is_number(text: str) -> bool:
    try:
        return Decimal(text.replace(",", "")).is_finite()
    except InvalidOperation:
        return False


def inspect_xlsx(data: bytes, counts: Counter) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                counts["formulas"] += len(_FORMULA_ELEMENT.findall(archive.read(name)))
    book = load_workbook(io.BytesIO(data))  # not read-only: styles (quote prefix) are read too
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                counts["cells"] += 1
                if cell.data_type == "f":
                    counts["formulas"] += 1
                if isinstance(cell.value, str) and looks_like_formula(cell.value):
                    counts["payload_cells"] += 1
                    if not cell.quotePrefix:
                        counts["unescaped"] += 1
    counts["files"] += 1


def inspect_csv(data: bytes, counts: Counter) -> None:
    text = data.decode(sniff_encoding(data[:65536]))
    for row in csv.reader(io.StringIO(text, newline="")):
        for value in row:
            if not value:
                continue
            counts["cells"] += 1
            if value.startswith("'") and looks_like_formula(value[1:]):
                counts["payload_cells"] += 1
            elif looks_like_formula(value) and not _is_number(value):
                counts["unescaped"] += 1
    counts["files"] += 1


def _documents_tables(names: list[str]) -> list[tuple[str, str, bytes]]:
    from xuedai.documents.xlsx import Column, csv_table, xlsx_table

    columns = [Column("借款学生"), Column("贷款金额", "money"), Column("备注")]
    rows = [[name, Decimal("-1.00"), name] for name in names]
    return [("documents.xlsx_table", "xlsx", xlsx_table("名册", columns, rows, title_line=names[0],
                                                           footer_lines=[names[1]])),
            ("documents.csv_table", "csv", csv_table(columns, rows))]


def export_files(province, folder: Path) -> list[tuple[str, str, bytes]]:
    """(writer, "xlsx" | "csv", bytes) from every writer, for borrowers named like :data:`PAYLOADS`."""
    from tests import factories
    from tests.harness.deduction import DAY
    from tests.loans.conftest import make_contract
    from xuedai.documents import campus, summaries
    from xuedai.loans.batches import settlement_batch
    from xuedai.loans.deduction import files
    from xuedai.loans.deduction.layouts import LAYOUTS
    from xuedai.loans.deduction.services import deduction_prepare, line_row
    from xuedai.loans.services import contract_disburse
    from xuedai.origination import exports
    from xuedai.origination.services.receipts import COLUMNS

    contracts = []
    for county in province.counties:
        for name in PAYLOADS:
            borrower = factories.BorrowerFactory(name=name, graduation_date=dt.date(2019, 6, 30),
                                                 enrolled_year=2015)
            contracts.append(make_contract(province, county=county, borrower=borrower))
    out: list[tuple[str, str, bytes]] = []
    out.append(("origination.xlsx_bytes (电子回执模板)", "xlsx", exports.xlsx_bytes(
        "电子回执", COLUMNS, [[c.contract_no, c.borrower.name, None, None, None] for c in contracts])))
    out.append(("documents.county_summary_xlsx", "xlsx",
                summaries.county_summary_xlsx(contracts[:4], province.counties[0], 2018)))
    out.append(("documents.loan_ledger_xlsx", "xlsx",
                campus.loan_ledger_xlsx(contracts, province.universities[0])))
    out += _documents_tables(PAYLOADS)
    for contract in contracts:
        contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    for day in (dt.date(2018, 12, 20), DAY):
        settlement_batch(on=day)
    from django.conf import settings

    for run in deduction_prepare(on=DAY):
        out.append((f"deduction {run.layout_name} (.xlsx)", "xlsx",
                    (Path(settings.MEDIA_ROOT) / run.request_file).read_bytes()))
        lines = run.lines.select_related("account__contract__borrower", "county")
        rows = [line_row(line, run) for line in lines]
        path = folder / f"{run.pk}.csv"
        files.write_rows(path, LAYOUTS[run.layout_name], rows, count=len(rows))
        out.append((f"deduction {run.layout_name} (.csv)", "csv", path.read_bytes()))
    return out


def check_exports(province, folder: Path, extra: Callable[[], list] | None = None) -> Counter:
    counts: Counter = Counter()
    for _writer, kind, data in export_files(province, folder) + (extra() if extra else []):
        (inspect_xlsx if kind == "xlsx" else inspect_csv)(data, counts)
    return counts
