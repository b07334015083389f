"""The 征信报送 file's fast paths against the slow ones they replace (reports.bureau):

- the record lines formatted by PostgreSQL and streamed by COPY are the very bytes of the Python
  formatter (layout.record_line), on the worked portfolio of test_credit_bureau with names that test
  the GB18030 widths: a two-byte name, a four-byte character, a name cut at a whole character;
- a month's records made from the previous month's checkpoint equal the figures read from the whole
  ledger (figures.period_figures), month after month, through a back-dated reversal and a contract
  disbursed in the middle.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from tests.loans.conftest import make_contract
from xuedai.borrowers.models import Borrower
from xuedai.loans.models import Kind, Posting
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.loans.services.ledger import posting_reverse
from xuedai.reports.bureau.checkpoint import previous_checkpoint
from xuedai.reports.bureau.download import credit_file_lines_copy, credit_file_lines_python
from xuedai.reports.bureau.export import month_bounds
from xuedai.reports.bureau.figures import COLUMNS, period_figures
from xuedai.reports.bureau.layout import ENCODING, LayoutError, credit_file_read
from xuedai.reports.bureau.models import CreditCheckpoint, CreditFile, CreditRecord

from .test_credit_bureau import _make, bank_officer, portfolio  # noqa: F401  (fixtures)

D = Decimal
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and convert_to(…, 'GB18030') are PostgreSQL's"
)

NAMES = {
    "A": "欧阳娜娜",  # 8 bytes
    "B": "𠀀家䶮",  # U+20000 takes 4 bytes in GB18030, U+4DAE 2 (Extension A): 8 bytes
    "C": "阿卜杜热合曼·买买提依明·艾合买提江",  # 18 characters, 36 bytes: cut to 15 characters
}


def _rename(accounts) -> None:
    for key, name in NAMES.items():
        Borrower.objects.filter(pk=accounts[key].contract.borrower_id).update(name=name)


@on_postgresql
def test_copy_lines_are_the_python_lines_byte_for_byte(portfolio, bank_officer):  # noqa: F811
    _rename(portfolio)
    december = _make(bank_officer, dt.date(2019, 12, 1), dt.date(2020, 1, 6))
    returned = Posting.objects.get(account=portfolio["A"], kind=Kind.PAY_PRINCIPAL)
    posting_reverse(actor=None, posting=returned, reason="扣款退回", on=dt.date(2020, 1, 10))
    january = _make(bank_officer, dt.date(2020, 1, 1), dt.date(2020, 2, 3))
    for credit_file in (december, january):
        python = b"".join(credit_file_lines_python(credit_file))
        copied = b"".join(credit_file_lines_copy(credit_file))
        assert copied == python
    back = credit_file_read(copied)
    assert [r["record_type"] for r in back["records"]] == ["C", "A", "A", "A"]  # a correction in it
    names = {r["contract_no"]: r["name"] for r in back["records"]}
    assert names["SC2018-B"] == NAMES["B"]
    assert names["SC2018-C"] == NAMES["C"][:15]  # 30 bytes: whole characters only
    line = copied.split(b"\r\n")[1]
    assert line[58:88] == NAMES["A"].encode(ENCODING) + b" " * 22  # positions 59–88, 30 bytes


@on_postgresql
def test_an_amount_past_the_layout_is_refused_by_both_paths(portfolio, bank_officer):  # noqa: F811
    december = _make(bank_officer, dt.date(2019, 12, 1), dt.date(2020, 1, 6))
    CreditRecord.objects.filter(file=december, contract_no="SC2018-B").update(balance=D("-1"))
    with pytest.raises(LayoutError) as python:
        b"".join(credit_file_lines_python(december))
    with pytest.raises(LayoutError) as copied:
        b"".join(credit_file_lines_copy(december))
    assert str(copied.value) == str(python.value) and "balance" in str(python.value)


def _base_figures(credit_file) -> list[tuple]:
    values = COLUMNS[1:]
    return list(
        CreditRecord.objects.filter(file=credit_file, record_type="A")
        .order_by("contract_no")
        .values_list(*values)
    )


def _ledger_figures(province, month) -> list[tuple]:
    start, end = month_bounds(month)
    rows = period_figures(start=start, end=end, path=f"{province.branch.path}")
    return [tuple(row[c] for c in COLUMNS[1:]) for row in rows]


def test_checkpoint_months_equal_the_whole_ledger(portfolio, bank_officer, province):  # noqa: F811
    months = [dt.date(2019, 11, 1), dt.date(2019, 12, 1), dt.date(2020, 1, 1), dt.date(2020, 2, 1)]
    files = []
    for month in months:
        if month == dt.date(2020, 1, 1):
            # After December's file: A's deduction returned back-dated (its December changes), and a
            # new contract disbursed in January (new to the checkpoint).
            returned = Posting.objects.get(account=portfolio["A"], kind=Kind.PAY_PRINCIPAL)
            posting_reverse(actor=None, posting=returned, reason="扣款退回", on=dt.date(2020, 1, 10))
            late = contract_disburse(
                actor=None, contract=make_contract(province, no="SC2020-D"), on=dt.date(2020, 1, 15)
            )
        if month == dt.date(2020, 2, 1):
            repayment_post(actor=None, account=portfolio["B"], on=dt.date(2020, 2, 20), amount=D("500.00"))
        if files:  # this month will start from the month before's checkpoint, the only one kept
            upcoming = CreditFile(organisation=bank_officer.organisation, month=month)
            assert previous_checkpoint(upcoming) == files[-1]
            assert set(CreditCheckpoint.objects.values_list("file_id", flat=True)) == {files[-1].pk}
        _, last = month_bounds(month)
        credit_file = _make(bank_officer, month, last + dt.timedelta(days=5))
        files.append(credit_file)
        expected = _ledger_figures(province, month)
        assert expected, month
        assert _base_figures(credit_file) == [tuple(r) for r in expected], month
    # Only the newest checkpoint is kept, and it holds every account in scope once undated.
    assert set(CreditCheckpoint.objects.values_list("file_id", flat=True)) == {files[-1].pk}
    undated = CreditCheckpoint.objects.filter(file_id=files[-1].pk, due_on__isnull=True)
    assert undated.filter(account_id=late.pk).count() == 1
    assert {r[0] for r in _base_figures(files[-1])} == {"SC2018-A", "SC2018-B", "SC2018-C", "SC2020-D"}
    # February's due rows: A and B owe 20 Dec 2019 amounts still (C too); none for the new contract.
    owing = set(
        CreditCheckpoint.objects.filter(file_id=files[-1].pk, due_on__isnull=False).values_list(
            "account_id", "due_on"
        )
    )
    assert (portfolio["B"].pk, dt.date(2019, 12, 20)) in owing and all(a != late.pk for a, _ in owing)
