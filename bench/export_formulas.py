"""Formula payloads as borrower names through every xlsx and CSV writer, read back (issue 15 §2).

    .venv/bin/python bench/export_formulas.py                      # SQLite in memory
    XUEDAI_PG_PORT=54331 scripts/with-postgres.sh .venv/bin/python bench/export_formulas.py

Borrowers named =cmd|' /C calc'!A0, +1, -1+1 and @SUM(1) go through the deduction files (both
layouts, .xlsx and CSV), the receipt template, the county summary, the loan ledger and the generic
table writers; on PostgreSQL also the COPY-written deduction CSV of the batch kernel. Each file is
read back (openpyxl and the sheet XML; csv): prints files, cells, formula-like cells, formulas and
unescaped cells; exit code 1 unless the last two are 0.
"""

import sys
from collections import Counter

from harness_db import fresh_database, vendor

from tests import factories
from tests.harness.exports import PAYLOADS, check_exports


def _copy_csv() -> list:
    """The batch kernel's COPY … (FORMAT csv) text columns, on PostgreSQL."""
    from django.db import connection

    from xuedai.batch.deduct_io import _text

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        values = ", ".join(["(%s::text)"] * len(PAYLOADS))
        cursor.execute(f"SELECT {_text('v.name')} FROM (VALUES {values}) AS v(name)", PAYLOADS)
        row = [name for (name,) in cursor.fetchall()]
    return [("batch.deduct COPY csv", "csv", ("借款学生\r\n" + "\r\n".join(row) + "\r\n").encode())]


def main() -> int:
    with fresh_database() as folder:
        counts: Counter = check_exports(factories.build_province(), folder, extra=_copy_csv)
    print(f"database: {vendor()}; payloads: {', '.join(PAYLOADS)}")
    for key in ("files", "cells", "payload_cells", "formulas", "unescaped"):
        print(f"{key}: {counts[key]}")
    return 1 if counts["formulas"] or counts["unescaped"] else 0


if __name__ == "__main__":
    sys.exit(main())
