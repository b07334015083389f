"""The portfolio batches as Django jobs: idempotent, resumable, one transaction per chunk.

ARCHITECTURE principle 7. A batch walks contract ids in ranges ``(lo, hi]``; each range is one
chunk of ``jobs.runner.batch_run``, which commits the chunk's COPYs and updates together with its
checkpoint — a killed run resumes at the first uncommitted range and never posts a range twice.
The kernel chunks run on Django's own psycopg connection, inside the chunk's ``atomic`` block.

- :func:`loans_settlement` — what ``loans.fastpath.settlement_kernel`` picks up
  (``xuedai.batch.loans_settlement``): the kernel for plain accounts, the scalar
  ``loans.services.settlement_post`` for the others, same chunk.
- :func:`loans_classification` — quarter-end grades for every live account.
- :func:`loans_deduction_files` — the 扣款明细表 CSVs of a deduction day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from xuedai.batch import exact
from xuedai.batch.classification import classify_chunk
from xuedai.batch.deduct import deduction_files
from xuedai.batch.settlement import Timings, policy_columns, scalar_ids, settle_chunk

DEFAULT_CHUNK = 500_000  # contract ids per chunk: ~0.1 GB of columns, a few seconds of writes


def _connection():
    from django.db import connection

    connection.ensure_connection()
    return connection.connection


def id_ranges(conn, size: int) -> list[tuple[int, int]]:
    with conn.cursor() as cur:
        cur.execute("SELECT MIN(contract_id), MAX(contract_id) FROM loans_loanaccount")
        low, high = cur.fetchone()
    if low is None:
        return []
    return [(lo, min(lo + size, high)) for lo in range(low - 1, high, size)]


def _run(kind: str, business_date: dt.date, work: Callable, *, job_run=None, actor=None, chunk: int,
         out=None) -> Timings:
    from django.db import transaction

    from xuedai.jobs.runner import batch_run, job_run_claim

    conn = _connection()
    ranges = id_ranges(conn, chunk)
    total = Timings()
    job = job_run or job_run_claim(kind=kind, business_date=business_date, actor=actor)

    def make(lo: int, hi: int):
        def run_chunk(checkpoint: dict) -> tuple[int, dict]:
            timings = work(conn, lo, hi, job)
            total.add(timings)
            return timings.rows + timings.scalar_rows, {"last": hi}

        return run_chunk

    chunks = [make(lo, hi) for lo, hi in ranges]
    if job_run is None:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM loans_loanaccount")
            count = cur.fetchone()[0]
        def progress(run) -> None:
            if out:
                out(f"  {kind}: {run.progress_done:,}/{run.progress_total:,}")

        batch_run(kind=kind, business_date=business_date, total=count, chunks=chunks, actor=actor,
                  on_progress=progress)
    else:  # the caller owns the job run (and its bookkeeping); each range still commits on its own
        for run_chunk in chunks:
            with transaction.atomic():
                run_chunk({})
    return total


def loans_settlement(business_date: dt.date, job_run=None, *, actor=None, chunk: int = DEFAULT_CHUNK,
                     out=None) -> Timings:
    """Settle every account for which ``business_date`` is a settlement date (DOMAIN.md §4)."""
    from xuedai.loans.models import LoanAccount
    from xuedai.loans.services import settlement_post
    from xuedai.loans.terms import contract_terms

    on = exact.day(business_date)
    policies = policy_columns(_connection())

    def work(conn, lo: int, hi: int, job) -> Timings:
        timings = settle_chunk(conn, on, lo, hi, job_run_id=job.pk, policies=policies)
        accounts = LoanAccount.objects.filter(pk__in=scalar_ids(conn, on, lo, hi)).select_related(
            "contract__policy_version")
        for account in accounts:
            if business_date in contract_terms(account.contract).settlement_dates():
                settlement_post(actor=actor, account=account, on=business_date, job_run=job)
                timings.scalar_rows += 1
        return timings

    return _run("loans.settlement", business_date, work, job_run=job_run, actor=actor, chunk=chunk, out=out)


def loans_classification(as_of: dt.date, job_run=None, *, actor=None, chunk: int = DEFAULT_CHUNK,
                         out=None) -> Timings:
    """Grade every live account at the quarter end ``as_of`` (DOMAIN.md §6)."""
    on = exact.day(as_of)

    def work(conn, lo: int, hi: int, job) -> Timings:
        return classify_chunk(conn, on, lo, hi, job_run_id=job.pk)

    return _run("loans.classification", as_of, work, job_run=job_run, actor=actor, chunk=chunk, out=out)


def loans_deduction_files(on: dt.date, directory: Path) -> tuple[list[Path], Timings]:
    """The day's 扣款明细表 CSVs (one transaction: the files and the accrued-penalty cache)."""
    from django.db import transaction

    with transaction.atomic():
        return deduction_files(_connection(), exact.day(on), directory)
