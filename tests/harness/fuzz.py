"""Hypothesis fuzzing of every import and of ``xuedai quote`` (tests, bench/fuzz_imports.py).

Each fuzzer runs ``examples`` generated inputs through the real service and counts, never raises:

- ``examples``       inputs tried
- ``accepted`` / ``refused``   imports saved / refused with Chinese messages
- ``crashes``        any exception other than the service's own refusal (a 500 on the page)
- ``partial_saves``  a refused import that changed anything (result files, rows, postings, lines,
                     contracts, events)
- ``inconsistent``   an accepted deduction import whose run's ledger does not match its result files
                     (``reconcile_files``), or an accepted receipt import that did not write its rows

Inputs start from a valid file and are bent: cells replaced by hostile values (negative, NaN,
1e100000, 128 KB strings, formulas, NUL), rows repeated, dropped or invented, headers renamed,
written as .xlsx or as CSV in UTF-8/GBK/GB18030/UTF-16, then perhaps truncated or overwritten with
random bytes. The state carries over from one example to the next (a correcting file follows an
accepted one), as it does for an operator.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import traceback
from collections import Counter
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

HOSTILE = ["", " ", "0", "-0", "-688.12", "1e100000", "-1e100000", "1E-100000", "NaN", "-Infinity",
           "Infinity",
           "0.001", "99999999999999999999", "1,603.58", "１６０３.５８", "成功", "失败", "扣款成功", "部分",
           "=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(1)", "\x00", "\ud7ff", "扣" * 40_000, "9" * 5_000,
           "2019-12-20", "TRUE", "None", "\r\n", '"', "'"]
CELL = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.integers(-10**30, 10**30),
                 st.floats(allow_nan=True, allow_infinity=True), st.none(), st.booleans(),
                 st.decimals(min_value=0, max_value=2000, places=2).map(str))
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"]


def _settings(examples: int):
    return settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                    suppress_health_check=list(HealthCheck))


def _crash(counts: Counter, where: str) -> None:
    counts["crashes"] += 1
    if counts["crashes"] <= 3:
        counts[f"crash: {where}: {traceback.format_exc(limit=-3)[-600:]}"] += 1


# Positions are drawn as plain numbers and taken modulo the size they index: what is drawn never
# depends on the table or the file (whose size an .xlsx timestamp or the database can change), as
# hypothesis requires for replaying an example.
_AT = st.integers(0, 2**20)


@st.composite
def bent_tables(draw, base: list[list]):
    """A table derived from ``base`` (header first) by a few hostile edits."""
    table = copy.deepcopy(base)
    width = len(table[0])
    for _ in range(draw(st.integers(0, 4))):
        what = draw(st.sampled_from(["paid"] * 4 + ["cell"] * 3 + ["dup", "drop", "header", "extra"]))
        row, column, value = draw(_AT), draw(_AT) % width, draw(CELL)
        amount = draw(st.decimals(min_value=0, max_value=1700, places=2).map(str))
        share = draw(st.integers(0, 100))  # of what the line still owes: a plausible correction
        header = draw(st.sampled_from(["", "序号 ", "金额", "=1"]))
        extra = draw(st.lists(CELL, max_size=width + 2))
        data_rows = len(table) - 1
        row = 1 + row % data_rows if data_rows else 0
        if row:
            table[row] += [None] * (width - len(table[row]))  # an invented row may be short
        if what == "cell" and row:
            table[row][column] = value
        elif what == "paid" and row:  # a correction: 成功 with another amount taken (any, or a bit more)
            table[row][width - 3], table[row][width - 2] = "成功", _more(table[row], width, share) or amount
        elif what == "dup" and row:
            table.append(list(table[row]))
        elif what == "drop" and row:
            del table[row]
        elif what == "header":
            table[0][column] = header
        elif what == "extra":
            table.append(extra)
    return table


@st.composite
def files_of(draw, base: list[list], xlsx_only: bool = False):
    """(suffix, bytes): the bent table written as .xlsx or CSV, perhaps damaged afterwards."""
    table = draw(bent_tables(base))
    fmt = "xlsx" if xlsx_only else draw(st.sampled_from(["xlsx", "csv"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    damage = draw(st.sampled_from(["none"] * 6 + ["truncate", "bytes", "random"]))
    at, noise = draw(_AT), draw(st.binary(min_size=1, max_size=3000))
    if fmt == "xlsx":
        book = Workbook()
        for row in table:
            book.active.append([_xlsx_value(v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    else:
        text = io.StringIO()
        csv.writer(text).writerows([["" if v is None else v for v in row] for row in table])
        data = text.getvalue().encode(encoding, errors="replace")
    if damage == "truncate":
        data = data[: at % max(len(data), 1)]
    elif damage == "bytes" and data:
        at %= len(data)
        data = data[:at] + noise[:8] + data[at + 8:]
    elif damage == "random":
        data = noise
    return f".{fmt}", data


def _more(row: list, width: int, share: int) -> str | None:
    """``share`` % more of what the row's line still owes than it has paid; None if not a number."""
    try:
        owed, paid = Decimal(str(row[width - 4])), Decimal(str(row[width - 2] or 0))
    except (ArithmeticError, ValueError, TypeError):
        return None
    if share % 2 or not owed.is_finite() or not paid.is_finite():
        return None  # half the time: any amount (more than owed, less than before …)
    try:
        return str((paid + (owed - paid) * share / 100).quantize(Decimal("0.01")))
    except ArithmeticError:  # too many digits to quantize (1e26): any amount, as above
        return None


def _xlsx_value(value):
    if isinstance(value, str):
        # openpyxl refuses control characters; a bank's file can hold them only through CSV
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")[:32_767]
    if isinstance(value, Decimal):
        return float(value)
    return value


# -- deduction result files (both layouts) --------------------------------------------------------


def fuzz_deduction_imports(runs: list, folder: Path, examples: int) -> Counter:
    """``runs``: deduction runs (Alipay and agent bank) whose files were written."""
    from tests.harness.deduction import answered, import_fingerprint
    from xuedai.loans.deduction.services import ImportError_, deduction_import, deduction_post
    from xuedai.loans.reconcile_files import run_differences

    counts: Counter = Counter()

    def current(run) -> list[list]:
        """The run's table as its lines stand: what a bank's next (correcting) file starts from."""
        lines = {line.seq: line for line in run.lines.all()}
        outcomes = {seq: ("成功", line.paid, line.reason) if line.result == "success" else
                    ("失败", "0", line.reason or "余额不足") for seq, line in lines.items()}
        return answered(run, outcomes)

    @_settings(examples)
    @given(st.integers(0, len(runs) - 1), st.data())
    def one(index, data) -> None:
        run = runs[index]
        suffix, content = data.draw(files_of(current(run)))
        counts["examples"] += 1
        path = folder / f"fuzz-{counts['examples']}{suffix}"
        path.write_bytes(content)
        before = import_fingerprint()
        try:
            deduction_import(actor=None, run=run, path=path)
        except ImportError_ as error:
            counts["refused"] += 1
            counts["refused: " + error.errors[0][error.errors[0].find("：") + 1:][:14]] += 1
            if not error.errors or not all(isinstance(e, str) and e for e in error.errors):
                counts["unclear_refusals"] += 1
            if import_fingerprint() != before:
                counts["partial_saves"] += 1
            return
        except Exception:
            _crash(counts, "deduction_import")
            return
        counts["accepted"] += 1
        try:
            deduction_post(actor=None, run=run)
        except Exception:
            _crash(counts, "deduction_post")
            return
        if run_differences(run):
            counts["inconsistent"] += 1

    one()
    return counts


# -- receipts -------------------------------------------------------------------------------------


def fuzz_receipts(officer, signed_contracts, examples: int, make_signed=None) -> Counter:
    """Receipt imports by ``officer``; ``make_signed()`` tops up signed contracts as imports use them."""
    from xuedai.origination.models import Contract, ContractEvent, ContractState
    from xuedai.origination.services.receipts import COLUMNS, receipts_import

    counts: Counter = Counter()
    pool = list(signed_contracts)

    def fingerprint() -> tuple:
        return (tuple(Contract.objects.order_by("pk").values_list("pk", "state", "tuition", "accommodation",
                                                                   "arrears")),
                ContractEvent.objects.count())

    def base() -> list[list]:
        signed = set(Contract.objects.filter(pk__in=[c.pk for c in pool], state=ContractState.SIGNED)
                     .values_list("pk", flat=True))
        pool[:] = [c for c in pool if c.pk in signed]  # receipted ones leave the pool
        while make_signed is not None and len(pool) < 3:
            pool.append(make_signed())
        return [COLUMNS] + [[c.contract_no, c.borrower.name, "4500", "1200.50", "0"] for c in pool[:3]]

    @_settings(examples)
    @given(st.data())
    def one(data) -> None:
        suffix, content = data.draw(files_of(base()))
        counts["examples"] += 1
        upload = io.BytesIO(content)
        upload.name = f"回执{suffix}"
        before = fingerprint()
        try:
            result = receipts_import(actor=officer, file=upload)
        except Exception:
            _crash(counts, "receipts_import")
            return
        if result.ok:
            counts["accepted"] += 1
            if fingerprint() == before or result.rows <= 0:
                counts["inconsistent"] += 1
            return
        counts["refused"] += 1
        if not all(isinstance(e, str) and e for e in result.errors):
            counts["unclear_refusals"] += 1
        if fingerprint() != before:
            counts["partial_saves"] += 1

    one()
    return counts


# -- documents.imports.read_xlsx (the generic row-by-row reader) ----------------------------------


def fuzz_read_xlsx(examples: int) -> Counter:
    import datetime as dt

    from xuedai.documents import parsers
    from xuedai.documents.imports import ImportColumn, ImportRejected, read_xlsx

    columns = [ImportColumn("学生姓名", "name", parsers.text(max_length=50)),
               ImportColumn("贷款金额", "amount", parsers.decimal(min_value=Decimal(1000),
                                                                  max_value=Decimal(20000),
                                                                  multiple_of=Decimal(100))),
               ImportColumn("人数", "count", parsers.integer(min_value=0)),
               ImportColumn("签订日期", "signed_on", parsers.date()),
               ImportColumn("贷款类型", "kind", parsers.choice({"新贷": "new", "续贷": "renewal"})),
               ImportColumn("备注", "note", required=False)]
    base = [[c.header for c in columns], ["张伟", "6000", "1", dt.date(2024, 8, 22), "新贷", ""]]
    counts: Counter = Counter()

    @_settings(examples)
    @given(st.data())
    def one(data) -> None:
        _suffix, content = data.draw(files_of(base, xlsx_only=True))
        counts["examples"] += 1
        try:
            result = read_xlsx(io.BytesIO(content), columns)
            if result.ok:
                counts["accepted"] += 1
                result.rows_to_save()
            else:
                counts["refused"] += 1
                try:
                    result.rows_to_save()
                    counts["partial_saves"] += 1  # errors, and still rows to save
                except ImportRejected:
                    pass
        except Exception:
            _crash(counts, "read_xlsx")

    one()
    return counts


# -- xuedai quote ---------------------------------------------------------------------------------


QUOTE_BASE = {"annual_rate": "0.0565", "principal": "6000", "disbursed_on": "2018-09-01",
              "self_pay_from": "2019-09-01", "maturity": "2024-12-20", "principal_from": "2021-12-20",
              "as_of": "2022-12-20"}
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**40), 10**40) | st.floats() | st.text(max_size=12)
    | st.sampled_from(HOSTILE[:25]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["on", "due", "amount", "x", "\ud800"]), children, max_size=3),
    max_leaves=12)


@st.composite
def quote_texts(draw) -> str:
    """A request text: a valid request with fields replaced, or deep nesting, or bent JSON."""
    request = dict(QUOTE_BASE)
    fields = st.sampled_from([*QUOTE_BASE, "basis", "payments", "principal_plan", "settlement_day",
                              "penalty_multiplier", "extra"])
    for field in draw(st.lists(fields, max_size=3)):
        request[field] = draw(_JSON)
    kind = draw(st.sampled_from(["json"] * 5 + ["deep", "huge_number", "long_list", "cut", "bytes"]))
    depth, digits, entries = draw(st.integers(9, 50_000)), draw(st.integers(20, 20_000)), draw(
        st.integers(900, 5000))
    field, at, noise = draw(st.sampled_from(["payments", "principal_plan", "x"])), draw(_AT), draw(
        st.text(max_size=200))
    if kind == "deep":
        return json.dumps(request)[:-1] + f', "{field}": ' + "[" * depth + "]" * depth + "}"
    if kind == "huge_number":
        return json.dumps(request)[:-1] + f', "principal": {"9" * digits}' + "}"
    if kind == "long_list":
        request["payments"] = [{"on": "2019-12-20", "amount": "1"}] * entries
    text = json.dumps(request, default=str)
    if kind == "cut":
        return text[: at % (len(text) + 1)]
    if kind == "bytes":
        return noise
    return text


def fuzz_quote(examples: int) -> Counter:
    from xuedai.core.quote_cli import main

    counts: Counter = Counter()

    @_settings(examples)
    @given(quote_texts())
    def one(text: str) -> None:
        counts["examples"] += 1
        out = io.StringIO()
        try:
            code = main(io.StringIO(text), out)
            answer = json.loads(out.getvalue())
            out.getvalue().encode("utf-8")  # what the terminal must be able to print
        except Exception:
            _crash(counts, "quote")
            return
        if code == 0:
            counts["accepted"] += 1
        else:
            counts["refused"] += 1
            if not (answer.get("error") and answer.get("field")):
                counts["unclear_refusals"] += 1

    one()
    return counts


BAD = ("crashes", "partial_saves", "inconsistent", "unclear_refusals")


def bad_count(counts: Counter) -> int:
    return sum(counts[key] for key in BAD)
