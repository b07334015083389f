"""The kill harness's world (``bench/kill_batches.py``): the portfolio, the batch steps, databases,
snapshots and their comparison.

The portfolio: ``xuedai.batch.portfolio`` contracts (borrowers enrolled 2012–2023, some a year or
two in arrears) with every ledger opened by ``loans.services.account_take_on`` as of 30 Nov 2026, so
ledger, cache and the core engine agree (``reconcile`` 0 before any batch); then, so that every
kernel leaves work to the scalar services: a relief programme for 2026 on every 17th graduated
account (1 Dec), waiting credit on every 13th account with nothing due (19 Dec), a confirmed death
on every 29th. For the deduction run of 20 Jan 2027, early-repayment applications on 5 Jan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path

DEBUG = os.environ.get("XUEDAI_KILL_DEBUG") == "1"
SETTLE_DAY = dt.date(2026, 12, 20)
QUARTER_END = dt.date(2026, 12, 31)
TAKE_ON = dt.date(2026, 11, 30)
RELIEF_DAY = dt.date(2026, 12, 1)
CREDIT_DAY = dt.date(2026, 12, 19)
EARLY_APPLIED, EARLY_DAY = dt.date(2027, 1, 5), dt.date(2027, 1, 20)


def warm() -> None:
    """Import, once in the parent, everything a worker runs: a forked worker then starts at once
    (instead of importing the loans app, NumPy and openpyxl again in every worker)."""
    import openpyxl  # noqa: F401
    import xlsxwriter  # noqa: F401

    from xuedai.batch import runs  # noqa: F401
    from xuedai.daily import calendar  # noqa: F401
    from xuedai.loans import batches, reconcile  # noqa: F401
    from xuedai.loans.deduction import services  # noqa: F401
    from xuedai.loans.services import servicing  # noqa: F401


def small_chunks() -> None:
    """Chunk sizes that cut the portfolio into about ten chunks per phase, hence many boundaries
    (the kernel's id ranges, the scalar leftovers, the keyset chunks of the scalar batches)."""
    from xuedai.batch import runs
    from xuedai.loans import batches
    from xuedai.loans.deduction import services
    from xuedai.loans.models import LoanAccount

    accounts = LoanAccount.objects.count()
    runs.DEFAULT_CHUNK, runs.LEFTOVER_CHUNK = max(8, accounts // 10), max(2, accounts // 100)
    batches.CHUNK = batches.CLASSIFY_CHUNK = services.CHUNK = max(8, accounts // 10)


# -- databases ----------------------------------------------------------------------------------------


def admin():
    import psycopg
    from django.db import connections

    s = connections["default"].settings_dict
    return psycopg.connect(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"],
                           password=s["PASSWORD"] or None, dbname="postgres", autocommit=True)


def create_database(name: str, template: str) -> None:
    from django.db import connections

    connections.close_all()  # a template must have no sessions
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')


def drop_database(name: str) -> None:
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the portfolio and the steps ---------------------------------------------------------------------------


def build(accounts: int, places=None) -> dict:
    from django.db import connection

    from xuedai.batch import portfolio
    from xuedai.loans.models import LoanAccount, ReliefProgramme, TermsChangeKind
    from xuedai.loans.services import account_take_on, relief_apply, repayment_post, terms_change_record
    from xuedai.origination.models import Contract

    connection.ensure_connection()
    portfolio.build(connection.connection, accounts, chunk=4000, ledger=False, places=places)
    for contract in Contract.objects.filter(contract_no__startswith=portfolio.PREFIX).order_by("pk") \
            .select_related("policy_version"):
        account_take_on(actor=None, contract=contract, as_of=TAKE_ON)
    live = list(LoanAccount.objects.order_by("pk").select_related("contract__policy_version",
                                                                    "contract__borrower"))
    programme = ReliefProgramme.objects.create(name="2026年免息（压力测试）", year=2026)
    relieved = [a for a in live[::17] if a.contract.borrower.graduation_date < RELIEF_DAY]
    for account in relieved:
        relief_apply(actor=None, programme=programme, account=account, on=RELIEF_DAY)
    credited = 0
    for account in live[5::13]:
        account.refresh_from_db()
        if account.principal_due + account.interest_due + account.penalty_due == 0:
            repayment_post(actor=None, account=account, on=CREDIT_DAY, amount=Decimal("300.00"))
            credited += 1
    dead = [a.contract for a in live[3::29]]
    for contract in dead:  # what post-loan records when it confirms a death
        terms_change_record(actor=None, contract=contract, kind=TermsChangeKind.DEATH, starts_on=RELIEF_DAY,
                            source="压力测试")
    return {"accounts": len(live), "relief": len(relieved), "credit": credited, "deaths": len(dead)}


def _early_apply(day: dt.date, out) -> dict:
    from xuedai.loans.models import LoanAccount
    from xuedai.loans.services import early_repayment_apply
    from xuedai.loans.services.servicing import ServicingError
    from xuedai.origination.models import LIVE_STATES

    applied = 0
    for account in LoanAccount.objects.filter(contract__state__in=LIVE_STATES).order_by("pk")[::11]:
        try:
            early_repayment_apply(actor=None, account=account, applied_on=day)
            applied += 1
        except ServicingError:  # outside its contract's window: the borrower could not apply
            pass
    return {"applied": applied}


def _files(day: dt.date, out) -> dict:
    from django.conf import settings

    from xuedai.batch.runs import loans_deduction_files
    from xuedai.loans.fastpath import kernel_layouts

    paths, timings = loans_deduction_files(day, Path(settings.MEDIA_ROOT) / "kernel-files",
                                           layouts=kernel_layouts(), out=out)
    return {"files": len(paths), "lines": timings.rows}


def _batch(name: str):
    def step(day: dt.date, out) -> dict:
        from xuedai.loans import batches
        from xuedai.loans.deduction.services import deduction_prepare

        if name == "prepare":
            return {"runs": len(deduction_prepare(on=day, out=out))}
        run = getattr(batches, f"{name}_batch")(on=day, out=out)
        return {"rows": run.progress_done}

    return step


STEPS = {"settle": _batch("settlement"), "penalty": _batch("penalty"), "classify": _batch("classification"),
         "prepare": _batch("prepare"), "early_apply": _early_apply, "files": _files}


# -- snapshots ----------------------------------------------------------------------------------------------

MULTISETS = {
    "postings": "SELECT account_id, business_date, kind, amount, due_on, memo FROM loans_posting",
    "grades": "SELECT account_id, as_of, rule, grade, oldest_unpaid_due, days_overdue, principal_outstanding "
              "FROM loans_graderecord",
    "deduction_lines": """SELECT r.business_date, r.channel, r.agent_bank_id, l.seq, l.account_id, l.kind,
                                 l.principal, l.interest, l.penalty, l.amount, l.early_repayment_id
                            FROM loans_deductionline l JOIN loans_deductionrun r ON r.id = l.run_id""",
}
# Keyed rows (the key is the first column): ids of rows made before the batch, or natural keys.
ROWS = {
    "accounts": """SELECT contract_id, principal_outstanding, principal_due, interest_due, penalty_due,
                          credit, subsidy_receivable, penalty_accrued, penalty_accrued_on, last_settled_on,
                          oldest_unpaid_due, grade, graded_on FROM loans_loanaccount""",
    "contracts": "SELECT id, state, outstanding_principal, overdue_since FROM origination_contract",
    "deduction_runs": """SELECT business_date::text || channel || COALESCE(agent_bank_id, 0)::text, status,
                                lines_count, amount_requested FROM loans_deductionrun""",
    "early_repayments": "SELECT id, status, reason FROM loans_earlyrepaymentapplication",
    "jobs": "SELECT kind || business_date::text || scope_key, status, progress_done FROM jobs_jobrun",
    "audit": """SELECT action, count(*) FROM audit_auditentry WHERE action LIKE '%%\\_batch'
                 GROUP BY action""",
}


def snapshot(db: str, media: Path) -> dict:
    import psycopg
    from django.db import connections

    s = connections["default"].settings_dict
    snap: dict = {}
    with psycopg.connect(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"],
                         password=s["PASSWORD"] or None, dbname=db) as conn:
        for name, sql in MULTISETS.items():
            snap[name] = Counter(conn.execute(sql).fetchall())
        for name, sql in ROWS.items():
            snap[name] = {row[0]: row[1:] for row in conn.execute(sql).fetchall()}
        files = conn.execute("SELECT business_date::text || channel || COALESCE(agent_bank_id, 0)::text, "
                             "request_file FROM loans_deductionrun").fetchall()
    snap["files"] = {key: _cells(media / path) if path else None for key, path in files}
    kernel = media / "kernel-files"
    snap["kernel_files"] = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                            for p in sorted(kernel.glob("*"))} if kernel.exists() else {}
    snap["partial_files"] = sorted(str(p) for p in media.rglob("*.part*"))
    return snap


def _cells(path: Path):
    """A deduction file's cell values (an .xlsx differs byte for byte by its creation time)."""
    if not path.exists():
        return "missing"
    if path.suffix == ".csv":
        return hashlib.sha256(path.read_bytes()).hexdigest()
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def compare(reference: dict, got: dict) -> Counter:
    """Bad counts of a killed-then-completed run against the uninterrupted one."""
    bad: Counter = Counter()
    for name in MULTISETS:
        want, have = reference[name], got[name]
        bad["duplicate"] += sum((have - want).values())
        bad["missing"] += sum((want - have).values())
    for name in ROWS:
        want, have = reference[name], got[name]
        keys = set(want) | set(have)
        differing = sum(1 for k in keys if want.get(k) != have.get(k))
        if differing and DEBUG:
            print(name, [(k, want.get(k), have.get(k)) for k in keys if want.get(k) != have.get(k)][:3])
        if name == "audit":
            bad["audit"] += differing
        elif name == "jobs":
            bad["not_done"] += sum(1 for status, _ in have.values() if status != "done")
            bad["mismatched"] += differing
        else:
            bad["mismatched"] += differing
    bad["files"] += sum(1 for k in set(reference["files"]) | set(got["files"])
                        if reference["files"].get(k) != got["files"].get(k))
    bad["files"] += 0 if reference["kernel_files"] == got["kernel_files"] else 1
    bad["files"] += len(got["partial_files"])
    return bad


def reconcile_count(db: str, media: Path, as_of: dt.date, capture) -> int:
    """``xuedai reconcile --as-of`` on the database, in a worker: the number of differences."""

    def work(out) -> int:
        from xuedai.loans.reconcile import reconcile

        return sum(1 for _ in reconcile(as_of=as_of))

    outcome, report = capture(db, media, work)
    if outcome != "ok":
        raise RuntimeError(f"reconcile failed on {db}")
    return int(report["result"])
