"""Importing a channel's result file for a deduction run (回盘导入), safely under races and bad files.

DOMAIN.md §4 Channels: Alipay returns the 扣款明细表 after the 20th; an agent-bank county fills the
批量扣款信息表(代理行版) with what each student paid and imports it. What an operator meets, and
what this module does about it:

- **The same file twice** (a double click, a re-sent e-mail, fifty tabs): refused by its SHA-256,
  unique per run in the database, naming when it was imported.
- **Two imports of one run at once**: the run's row is locked for the whole import, so they run
  one after the other; the one that cannot get the lock within :data:`LOCK_WAIT_S` is told so.
- **A correcting file** for a run already imported (the bank re-sends the table with late counter
  payments or corrected rows): each row states the line's final result. What it *adds* to what
  earlier files recorded is posted (a line recorded at 0 and now paid 500 posts 500; recorded at
  300 and now 500 posts 200); a line it does not mention, or repeats unchanged, moves nothing.
  What it would *take away* (a smaller amount, 成功 → 失败) is refused with the row named: the
  ledger is append-only (ARCHITECTURE principle 2), so money the channel took back is a reversal a
  supervisor makes, not something a file may silently undo. An early-repayment line cannot be
  corrected either: its application was settled by the first result (a failed deduction needs a
  new application, §4 Early repayment). A file that changes nothing is refused as such.
- **Bad files**: every row of the file is checked before anything is written and every problem is
  listed, row by row in Chinese; one bad row saves nothing. Header-only files, unknown rows,
  repeated rows, negative / non-finite / absurd amounts, more taken than asked, contradictory
  results are refused; reading itself is bounded (``documents.tables``: size, rows, encodings).

Writes are set-based (one INSERT of the file's rows, one UPDATE of the lines from them), and on
PostgreSQL no statement of the import may run longer than :data:`STATEMENT_TIMEOUT_S`.
Posting the rows is :mod:`.posting`'s job.
"""

from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.core.money import ZERO
from xuedai.documents.tables import MAX_UPLOAD_BYTES, limit_statements

from ..models import (
    OUTSIDE_ENGINE,
    Channel,
    DeductionLine,
    DeductionRun,
    LineResult,
    LoanAccount,
    Posting,
    ResultFile,
    ResultRow,
    RunStatus,
)
from . import files
from .layouts import AGENT_BANK, ALIPAY, FAILURE_WORDS, SUCCESS_WORDS

STATEMENT_TIMEOUT_S = 60
LOCK_WAIT_S = 10
_IN_CHUNK = 5_000


class ImportError_(ValueError):
    """A result file that does not match its run; ``errors`` lists every row's problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors[:5]) + (f"（共{len(errors)}处）" if len(errors) > 5 else ""))
        self.errors = errors


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _lock_run(run: DeductionRun) -> DeductionRun:
    try:
        return DeductionRun.objects.select_for_update().get(pk=run.pk)
    except OperationalError:  # PostgreSQL's lock_timeout: another import of this run holds the lock
        raise ImportError_(["本批扣款正在导入另一份回盘文件，请稍候刷新页面查看结果，"
                            "不要重复上传。"]) from None


def _already_imported(run: DeductionRun, digest: str) -> str | None:
    earlier = run.result_files.filter(sha256=digest).select_related("imported_by").first()
    if earlier is None:
        return None
    by = earlier.imported_by
    who = (getattr(by, "real_name", "") or getattr(by, "username", "")) if by else "系统"
    when = timezone.localtime(earlier.imported_at)
    return (f"该文件已于 {when:%Y-%m-%d %H:%M} 由{who}作为第{earlier.number}份回盘导入，不能重复导入；"
            f"如需更正，请上传更正后的回盘文件。")


def _result_of(row: dict, where: str, errors: list[str]) -> str | None:
    if row["result"] in SUCCESS_WORDS:
        return LineResult.SUCCESS
    if row["result"] in FAILURE_WORDS:
        return LineResult.FAILED
    errors.append(f"{where}：扣款结果应为「成功」或「失败」，而不是「{row['result'][:20]}」")
    return None


def _check_row(row: dict, line: dict, where: str, errors: list[str]) -> tuple[str, Decimal] | None:
    """(result, paid) of a row that agrees with its line, else None with the problems listed."""
    result = _result_of(row, where, errors)
    if result is None:
        return None
    paid = row["paid"]
    if result == LineResult.SUCCESS:
        if paid is None or paid <= 0:
            errors.append(f"{where}：扣款结果为「成功」，实扣金额应大于 0（填写的是 {paid or '空'}）")
            return None
        if paid > line["amount"]:
            errors.append(f"{where}：实扣金额 {paid:,.2f} 多于应扣 {line['amount']:,.2f}")
            return None
    elif paid:
        errors.append(f"{where}：扣款结果为「失败」，实扣金额应为 0 或空，而不是 {paid:,.2f}")
        return None
    paid = paid if result == LineResult.SUCCESS else ZERO
    if line["result"]:  # an earlier file recorded this line: this file may only add to it
        if paid < line["paid"]:
            errors.append(f"{where}：实扣金额 {paid:,.2f} 少于此前回盘已记录的 {line['paid']:,.2f}；已入账的"
                          f"还款不能由回盘文件冲减，请核实后由负责人办理冲正")
            return None
        changed = (result, paid, row["reason"]) != (line["result"], line["paid"], line["reason"])
        if changed and line["early_repayment_id"]:
            errors.append(f"{where}：提前还款的扣款结果已经处理，不能由更正文件改变；扣款失败的，"
                          f"请借款人重新申请提前还款")
            return None
    return result, paid


def _lines(run: DeductionRun) -> dict[int, dict]:
    """The run's lines by 序号, locked in primary-key order (the order every writer locks them in)."""
    fields = ("pk", "seq", "account_id", "account__contract__contract_no", "amount", "result", "paid",
              "reason", "early_repayment_id")
    rows = (DeductionLine.objects.filter(run=run).select_for_update(of=("self",)).order_by("pk")
            .values(*fields))
    return {row["seq"]: row for row in rows.iterator(chunk_size=5000)}


def _within_grace(run: DeductionRun, accounts: set[int]) -> set[int]:
    """Of ``accounts``, those whose version's transit grace still covers the run's day today."""
    from xuedai import businessdate
    from xuedai.policies.working_days import add_working_days

    if not accounts:
        return set()
    today = businessdate.today()
    graces = LoanAccount.objects.filter(pk__in=accounts).values_list(
        "pk", "contract__policy_version__transit_grace_working_days")
    deadline = {g: add_working_days(run.business_date, g) for g in {g for _, g in graces if g}}
    return {pk for pk, grace in graces if grace and today <= deadline[grace]}


def _back_dated(run: DeductionRun, changes: list[tuple[dict, dict, str, Decimal, Decimal]],
                errors: list[str]) -> None:
    """A row that posts money posts it on the run's day (the day the channel took it): refused
    when the account already has later postings (the engine's penalties after it would be wrong) —
    unless the file arrives within the version's transit grace (DOMAIN.md §4 Channels), when the
    posting applies it as of the run's day, reversing and replaying the later postings
    (``loans.services.transit``)."""
    paying = {line["account_id"]: (row, line) for row, line, _r, _p, amount in changes if amount > 0}
    accounts = list(paying)
    later: set[int] = set()
    for start in range(0, len(accounts), _IN_CHUNK):
        later |= set(Posting.objects.filter(account_id__in=accounts[start:start + _IN_CHUNK],
                                            business_date__gt=run.business_date)
                     .exclude(kind__in=OUTSIDE_ENGINE).values_list("account_id", flat=True).distinct())
    later -= _within_grace(run, later)
    for account_id in sorted(later, key=lambda a: paying[a][0]["row_number"]):
        row, line = paying[account_id]
        errors.append(f"第{row['row_number']}行：合同 {line['account__contract__contract_no']} 在扣款日 "
                      f"{run.business_date:%Y-%m-%d} 之后已有账务，不能再补记该日扣款")


def _validate(run: DeductionRun, path: Path) -> tuple[list, list[str], int, Decimal]:
    """Every row checked against the run; (changes, errors, data rows, Σ 实扣 in the file)."""
    layout = ALIPAY if run.channel == Channel.ALIPAY else AGENT_BANK
    rows, errors = files.read_result(path, layout, max_rows=row_limit(run))
    if not rows and not errors:
        if run.lines_count == 0 and not run.result_files.exists():
            return [], [], 0, ZERO  # a run with no lines: the empty answer is the whole answer
        return [], ["文件只有表头，没有数据行：未导入任何数据。"], 0, ZERO
    lines = _lines(run)
    seen: dict[int, int] = {}
    changes, total = [], ZERO
    for row in rows:
        where = f"第{row['row_number']}行"
        line = lines.get(row["seq"])
        if line is None or line["account__contract__contract_no"] != row["contract_no"]:
            errors.append(f"{where}：序号 {row['seq']} / 合同 {row['contract_no'][:30]} 不在本批扣款中")
            continue
        if row["seq"] in seen:
            errors.append(f"{where}：序号 {row['seq']}（合同 {row['contract_no']}）"
                          f"与第{seen[row['seq']]}行重复")
            continue
        seen[row["seq"]] = row["row_number"]
        checked = _check_row(row, line, where, errors)
        if checked is None:
            continue
        result, paid = checked
        total += paid
        if (result, paid, row["reason"]) != (line["result"], line["paid"], line["reason"]):
            changes.append((row, line, result, paid, paid - (line["paid"] if line["result"] else ZERO)))
    if not errors:
        _back_dated(run, changes, errors)
    if not errors and not changes and rows:
        errors.append("文件与此前导入的回盘内容相同，没有需要更正的内容：未导入。")
    return changes, errors, len(rows), total


def row_limit(run: DeductionRun) -> int:
    """Data rows a result file of ``run`` may have: one per line, with room for repeated rows to be
    reported as repeated; a 1,000,000-row file against a run of 1,137 lines stops at row 2,376."""
    return min(run.lines_count * 2 + 100, files.EXCEL_MAX_ROWS)


def _store(run: DeductionRun, path: Path, number: int) -> str:
    target = files.media_dir(run) / f"{run.pk:06d}-结果-{number}{Path(path).suffix.lower()}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if Path(path).resolve() != target.resolve():
        shutil.copyfile(path, target)
    return str(target.relative_to(settings.MEDIA_ROOT))


def deduction_import(*, actor, run: DeductionRun, path: Path, original_name: str = "") -> ResultFile:
    """Record a channel's result file for ``run`` (see the module docstring); post with
    :func:`.posting.deduction_post`. Raises :class:`ImportError_` listing every problem."""
    try:
        return _import(actor=actor, run=run, path=Path(path), original_name=original_name)
    except OperationalError:  # a statement past its timeout, a lock not granted: all rolled back
        raise ImportError_([f"数据库繁忙或导入超时（单条语句超过 {STATEMENT_TIMEOUT_S} 秒），未导入任何数据；"
                            f"请稍后重试，或分文件导入。"]) from None


@transaction.atomic(durable=True)
def _import(*, actor, run: DeductionRun, path: Path, original_name: str) -> ResultFile:
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:  # before hashing: a 2 GB file is refused without reading it
        limit = MAX_UPLOAD_BYTES // 1024 // 1024
        raise ImportError_([f"文件大小 {size / 1024 / 1024:,.1f} MB 超过上限 {limit} MB，请分文件导入。"])
    digest = file_sha256(path)
    limit_statements(statement_s=STATEMENT_TIMEOUT_S, lock_s=LOCK_WAIT_S)
    run = _lock_run(run)
    if problem := _already_imported(run, digest):
        raise ImportError_([problem])
    changes, errors, rows, total = _validate(run, path)
    if errors:
        raise ImportError_(errors)
    number = (run.result_files.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    stored = _store(run, path, number)
    result_file = ResultFile.objects.create(
        run=run, number=number, sha256=digest, original_name=(original_name or path.name)[:200],
        stored_file=stored, rows=rows, changed=len(changes), amount_paid=total,
        amount_to_post=sum((amount for *_rest, amount in changes), ZERO),
        imported_by=actor if getattr(actor, "pk", None) else None)
    ResultRow.objects.bulk_create(
        [ResultRow(result_file=result_file, line_id=line["pk"], row_number=row["row_number"], result=result,
                   paid=paid, amount=amount, reason=row["reason"])
         for row, line, result, paid, amount in changes], batch_size=2000)
    _lines_from_rows(result_file)
    run.result_file, run.status = stored, RunStatus.IMPORTED
    run.save(update_fields=["result_file", "status"])
    audit_record(actor=actor, action="loans.deduction_import", obj=result_file, subject=run,
                 after={"run": run.pk, "file": number, "sha256": digest[:16], "rows": rows,
                        "changed": len(changes), "amount_paid": total,
                        "amount_to_post": result_file.amount_to_post, "stored": stored})
    return result_file


def _lines_from_rows(result_file: ResultFile) -> None:
    """One UPDATE … FROM of the lines the file changed (PostgreSQL and SQLite ≥ 3.33 alike)."""
    line, row = DeductionLine._meta.db_table, ResultRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {line} SET result = r.result, paid = r.paid, reason = r.reason, posted = %s "
            f"FROM {row} r WHERE r.line_id = {line}.id AND r.result_file_id = %s", [False, result_file.pk])
