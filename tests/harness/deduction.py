"""Deduction runs to import against, and result files as channels send them (tests and bench/).

:func:`settled_accounts` opens accounts of DOMAIN.md §4's example (6000 yuan at 5.65%, self-pay
from 1 Sep 2019): on 20 Dec 2019 each owes 103.58 + 1500 = 1603.58. :func:`result_bytes` writes a
result file for a run in either layout, as .xlsx or as a CSV in any encoding.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from tests import factories
from tests.loans.conftest import make_contract
from xuedai.loans.batches import settlement_batch
from xuedai.loans.deduction import files
from xuedai.loans.deduction.layouts import LAYOUTS
from xuedai.loans.models import (
    DeductionLine,
    DeductionRun,
    LineResult,
    LoanAccount,
    Posting,
    ResultFile,
    ResultRow,
)
from xuedai.loans.services import contract_disburse

DAY = dt.date(2019, 12, 20)
OWED = Decimal("1603.58")


def settled_accounts(province, per_county: int) -> list[LoanAccount]:
    """``per_county`` accounts in each county (三台县: agent bank; 南部县: Alipay), settled to DAY."""
    accounts = []
    for county in province.counties:
        for _ in range(per_county):
            # The factory numbers ID numbers 1–999 per birth date: a new birth date every 900 borrowers.
            born = dt.date(1998, 1, 1) + dt.timedelta(days=len(accounts) // 900)
            borrower = factories.BorrowerFactory(graduation_date=dt.date(2019, 6, 30), enrolled_year=2015,
                                                 birth_date=born)
            contract = make_contract(province, county=county, borrower=borrower)
            accounts.append(contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1)))
    for day in (dt.date(2018, 12, 20), DAY):
        settlement_batch(on=day)
    return accounts


def request_rows(run: DeductionRun) -> list[dict]:
    """The rows of the file sent to the channel, as dicts keyed like the layout."""
    from django.conf import settings

    return list(files.read_rows(Path(settings.MEDIA_ROOT) / run.request_file, run.layout_name))


def answered(run: DeductionRun, outcomes: dict[int, tuple[str, object, str]] | None = None,
             default: tuple[str, object, str] | None = ("成功", None, "")) -> list[list]:
    """The result table (header first) for ``run``: ``outcomes`` by 序号 as (结果, 实扣, 原因);
    a paid of None means the full amount; rows with no outcome and no default are left out."""
    layout = LAYOUTS[run.layout_name]
    table = [layout.headers]
    for row in request_rows(run):
        outcome = (outcomes or {}).get(row["seq"], default)
        if outcome is None:
            continue
        result, paid, reason = outcome
        values = {**row, "result": result, "paid": row["amount"] if paid is None else paid, "reason": reason}
        table.append([values.get(key) for key in layout.keys])
    return table


def table_bytes(table: list[list], fmt: str = "xlsx", encoding: str = "utf-8-sig") -> bytes:
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        for row in table:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    for row in table:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(encoding)


def result_file(run: DeductionRun, path: Path, outcomes=None, *, fmt: str = "xlsx",
                encoding: str = "utf-8-sig", default=("成功", None, "")) -> Path:
    path = Path(path).with_suffix(f".{fmt}")
    path.write_bytes(table_bytes(answered(run, outcomes, default), fmt, encoding))
    return path


def cash_posted(account_id: int, day: dt.date = DAY) -> Decimal:
    """Cash paid in on ``day`` by the ledger's own definition (PAY_* + CREDIT_IN − CREDIT_APPLIED)."""
    from xuedai.loans.services.ledger import ledger_payments

    return sum((p.amount for p in ledger_payments(account_id) if p.on == day), Decimal("0"))


def import_fingerprint() -> tuple:
    """What an import or a posting may change: compared before and after a refused one."""
    return (ResultFile.objects.count(), ResultRow.objects.count(), Posting.objects.count(),
            tuple(DeductionRun.objects.order_by("pk").values_list("pk", "status", "result_file")),
            tuple(LoanAccount.objects.order_by("pk").values_list("pk", "principal_due", "interest_due",
                                                                   "credit")),
            tuple(DeductionLine.objects.exclude(result=LineResult.PENDING).order_by("pk")
                  .values_list("pk", "result", "paid", "posted")))
