"""The portfolio batches as Django jobs: idempotent, resumable, one transaction per chunk.

ARCHITECTURE principle 7. A batch walks contract ids in ranges ``(lo, hi]``; each range is read,
computed and written in one transaction on its own connection. Idempotency lives in the data, not
only in a checkpoint: a range's selection leaves out the accounts it already did (settlement:
``last_settled_on`` ≥ the day; classification: ``graded_on`` = the day), which the same
transaction sets. So a killed run, resumed, redoes nothing that committed — and ranges can run on
several connections at once, which is how PostgreSQL gets both cores (one backend per connection).
The job run row (``jobs.JobRun``, keyed by kind and business date) records progress and status.

- :func:`loans_settlement` — what ``loans.fastpath.settlement_kernel`` picks up
  (``xuedai.batch.loans_settlement``): the kernel for plain accounts; the scalar
  ``loans.services.settlement_post`` for the others, afterwards, account by account.
- :func:`loans_classification` — quarter-end grades for every live account.
- :func:`loans_deduction_files` — the 扣款明细表 CSVs of a deduction day.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from xuedai.batch import exact
from xuedai.batch.classification import classify_chunk
from xuedai.batch.deduct import deduction_files
from xuedai.batch.settlement import Timings, policy_columns, settle_chunk

DEFAULT_CHUNK = 250_000  # contract ids per transaction: ~30 MB of columns, a few seconds of writes
CONNECTIONS = int(os.environ.get("XUEDAI_BATCH_CONNECTIONS", "2"))  # one backend per core


def _django_connection():
    from django.db import connection

    connection.ensure_connection()
    return connection.connection


def _new_connection():
    """A connection of its own (same settings as Django's), for one worker thread."""
    from django.db import connection

    return connection.get_new_connection(connection.get_connection_params())


def _link(job) -> int | None:
    """The job run id to stamp on each bulk row, or None (the default).

    A stamped ``job_run_id`` puts every bulk posting into the ``posting_job_run`` index and through
    the posting trigger's job-run check (loans migration 0004), and every grade record through a
    foreign-key check at commit (a query and a row lock per row): a cost per row for a link the rows
    do not need — they carry the batch's business date, kind and memo, and the job run's ``result``
    keeps the totals by kind to reconcile them. XUEDAI_BATCH_LINK_JOB=1 stamps the id anyway.
    """
    return job.pk if os.environ.get("XUEDAI_BATCH_LINK_JOB") == "1" else None


def id_ranges(conn, size: int) -> list[tuple[int, int]]:
    with conn.cursor() as cur:
        cur.execute("SELECT MIN(contract_id), MAX(contract_id) FROM loans_loanaccount")
        low, high = cur.fetchone()
    if low is None:
        return []
    return [(lo, min(lo + size, high)) for lo in range(low - 1, high, size)]


def _run(kind: str, business_date: dt.date, work: Callable, *, job_run=None, actor=None, chunk: int,
         connections: int = CONNECTIONS, out=None) -> tuple[Timings, object]:
    """Run ``work(conn, lo, hi, job)`` over every id range, ``connections`` ranges at a time."""
    from django.utils import timezone

    from xuedai.jobs.models import JobStatus
    from xuedai.jobs.runner import job_run_claim

    ranges = id_ranges(_django_connection(), chunk)
    total = Timings()
    job = job_run or job_run_claim(kind=kind, business_date=business_date, actor=actor)
    if job.status == JobStatus.DONE:
        return total, job
    job.status, job.error, job.progress_done = JobStatus.RUNNING, "", 0
    job.started_at = job.started_at or timezone.now()
    job.save(update_fields=["status", "error", "progress_done", "started_at"])
    pool = [_new_connection() for _ in range(max(1, min(connections, len(ranges))))]
    free = list(pool)

    def one(lo: int, hi: int) -> Timings:
        conn = free.pop()
        try:
            with conn.transaction():
                conn.execute("SET LOCAL jit = off")  # compiling a plan costs more than it saves here
                timings = work(conn, lo, hi, job)
                committing = time.perf_counter()
            # The commit runs the deferred foreign-key checks of every row written: a write cost.
            timings.write_s += time.perf_counter() - committing
            return timings
        finally:
            free.append(conn)
            from django.db import connections

            connections.close_all()  # this thread's own Django connection (policy look-ups), if any

    try:
        with ThreadPoolExecutor(max_workers=len(pool)) as executor:
            futures = [executor.submit(one, lo, hi) for lo, hi in ranges]
            for future in as_completed(futures):
                timings = future.result()
                total.add(timings)
                job.progress_done += timings.rows
                job.checkpoint = {"ranges_done": job.checkpoint.get("ranges_done", 0) + 1}
                job.save(update_fields=["progress_done", "checkpoint"])
                if out:
                    out(f"  {kind}: {job.progress_done:,}")
    except BaseException as exc:
        job.status, job.error = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        job.save(update_fields=["status", "error"])
        raise
    finally:
        for conn in pool:
            conn.close()
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.progress_total = max(job.progress_total, job.progress_done)
    job.result = {"rows": total.rows, "written": total.postings, "totals": total.totals}
    job.save(update_fields=["status", "finished_at", "progress_total", "result"])
    return total, job


def loans_settlement(business_date: dt.date, job_run=None, *, actor=None, chunk: int = DEFAULT_CHUNK,
                     connections: int = CONNECTIONS, out=None) -> Timings:
    """Settle every account for which ``business_date`` is a settlement date (DOMAIN.md §4)."""
    from xuedai.loans.models import LoanAccount
    from xuedai.loans.services import settlement_post
    from xuedai.loans.terms import contract_terms

    on = exact.day(business_date)
    policies = policy_columns(_django_connection())
    leftovers: list[int] = []

    def work(conn, lo: int, hi: int, job) -> Timings:
        return settle_chunk(conn, on, lo, hi, job_run_id=_link(job), policies=policies, leftovers=leftovers)

    total, job = _run("loans.settlement", business_date, work, job_run=job_run, actor=actor, chunk=chunk,
                      connections=connections, out=out)
    accounts = LoanAccount.objects.filter(pk__in=sorted(leftovers)).select_related("contract__policy_version")
    for account in accounts.order_by("pk"):
        if business_date in contract_terms(account.contract).settlement_dates():
            settlement_post(actor=actor, account=account, on=business_date, job_run=job)
            total.scalar_rows += 1
    return total


def loans_classification(as_of: dt.date, job_run=None, *, actor=None, chunk: int = DEFAULT_CHUNK,
                         connections: int = CONNECTIONS, dense: bool = True, out=None) -> Timings:
    """Grade every live account at the quarter end ``as_of`` (DOMAIN.md §6); see
    :func:`xuedai.batch.classification.classify_chunk` for ``dense``."""
    on = exact.day(as_of)

    def work(conn, lo: int, hi: int, job) -> Timings:
        return classify_chunk(conn, on, lo, hi, job_run_id=_link(job), dense=dense)

    return _run("loans.classification", as_of, work, job_run=job_run, actor=actor, chunk=chunk,
                connections=connections, out=out)[0]


def loans_deduction_files(on: dt.date, directory: Path) -> tuple[list[Path], Timings]:
    """The day's 扣款明细表 CSVs (one transaction: the files and the accrued-penalty cache)."""
    conn = _new_connection()
    try:
        with conn.transaction():
            conn.execute("SET LOCAL jit = off")
            return deduction_files(conn, exact.day(on), directory)
    finally:
        conn.close()
