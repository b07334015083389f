"""Posting what result files say was paid (回盘入账): each file row once, whoever runs it, however often.

Every :class:`~xuedai.loans.models.ResultRow` is posted in a chunk transaction that

1. locks the run's row (posting chunks of one run never run side by side) and the chunk's rows
   in primary-key order (the order every writer locks them in, so two posters cannot deadlock),
2. skips rows already posted (``posted_at`` set), then posts the row's ``amount`` through
   ``services.repayment_post`` on the run's day (DOMAIN.md §4 Channels: the channel took the money
   that day) — or, for a failed early-repayment line, records the failure (§4 Early repayment),
3. sets ``posted_at`` by a compare-and-set on the locked row, in the same transaction as the postings.

Each file has its own job row (``result:<id>``), so two files of one run never share a checkpoint;
on PostgreSQL a session advisory lock per run lets one process post a run at a time (a killed
process loses it with its connection), and a poster re-checks for files that arrived while it
held the lock, so none is left behind. Killed midway, the next call resumes where the last
committed chunk ended.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.core.money import ZERO
from xuedai.jobs.models import JobRun, JobStatus
from xuedai.jobs.runner import batch_run, job_run_claim

from ..models import (
    OUTSIDE_ENGINE,
    DeductionLine,
    DeductionRun,
    EarlyRepaymentApplication,
    LineResult,
    ResultFile,
    ResultRow,
    RunStatus,
)
from ..services.ledger import LedgerError
from ..services.servicing import ServicingError, early_repayment_execute, repayment_post
from ..services.transit import transit_payment_apply

CHUNK = 200
KIND = "loans.deduction_post"
# pg_try_advisory_lock(class, id): the class says "a deduction run is being posted".
_LOCK_CLASS = 0x5844_0001


def _try_lock(run_id: int) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: one writer at a time, and the compare-and-set below holds anyway
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, run_id])
        return bool(cursor.fetchone()[0])


def _unlock(run_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, run_id])


def _unposted_files(run: DeductionRun):
    return run.result_files.filter(posted=False).order_by("number")


def deduction_post(*, actor, run: DeductionRun, on_progress=None) -> JobRun | None:
    """Post every result file of ``run`` not yet posted, oldest first; returns the last file's job.

    Returns at once when another process is posting the run (it will post these files too).
    """
    job, tried = None, set()
    while True:
        if not _try_lock(run.pk):
            return job
        try:
            for result_file in _unposted_files(run).exclude(pk__in=tried):
                tried.add(result_file.pk)
                job = _post_file(actor, run, result_file, on_progress)
            _totals(run, job)
        finally:
            _unlock(run.pk)
        # A file imported while we held the lock found it taken: post it too before leaving.
        if not _unposted_files(run).exclude(pk__in=tried).exists():
            return job


def _post_file(actor, run: DeductionRun, result_file: ResultFile, on_progress) -> JobRun:
    from ..batches import keyset_chunks

    scope = f"result:{result_file.pk}"
    rows = (ResultRow.objects.filter(result_file=result_file)
            .select_related("line__account__contract__policy_version")
            .prefetch_related("line__account__reliefs__programme", "line__account__early_repayments"))
    second = f"（第{result_file.number}份回盘）" if result_file.number > 1 else ""

    def process(batch: list[ResultRow], job) -> None:
        DeductionRun.objects.select_for_update().filter(pk=run.pk).values_list("pk", flat=True).get()
        todo = set(ResultRow.objects.select_for_update().filter(pk__in=[r.pk for r in batch],
                                                                posted_at__isnull=True)
                   .order_by("pk").values_list("pk", flat=True))
        for row in batch:
            if row.pk not in todo:
                continue
            try:
                with transaction.atomic():
                    _post_row(actor, run, row, job, second)
            except (ServicingError, LedgerError) as error:
                ResultRow.objects.filter(pk=row.pk).update(problem=str(error)[:200])
                continue
            claimed = ResultRow.objects.filter(pk=row.pk, posted_at__isnull=True) \
                .update(posted_at=timezone.now())
            if claimed != 1:  # cannot happen while we hold the row lock; never post without the claim
                raise RuntimeError(f"回盘明细 {row.pk} 已由其他进程入账")
        unposted = ResultRow.objects.filter(line_id=OuterRef("pk"), posted_at__isnull=True)
        DeductionLine.objects.filter(pk__in=[r.line_id for r in batch]).filter(~Exists(unposted)) \
            .update(posted=True)

    # The file names its job before anything is posted, so reconcile finds every posting it made.
    job = job_run_claim(kind=KIND, business_date=run.business_date, scope_key=scope, actor=actor)
    ResultFile.objects.filter(pk=result_file.pk).update(job_run=job)
    if job.status == JobStatus.DONE:  # rows a finished pass could not post: a new pass retries them
        JobRun.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, checkpoint={}, progress_done=0)
    job = batch_run(kind=KIND, business_date=run.business_date, scope_key=scope, total=result_file.changed,
                    actor=actor, on_progress=on_progress,
                    chunks=keyset_chunks(rows, process, kind=KIND, on=run.business_date, scope_key=scope,
                                         size=CHUNK))
    left = list(result_file.result_rows.filter(posted_at__isnull=True)
                .values_list("row_number", "problem")[:20])
    with transaction.atomic():
        ResultFile.objects.filter(pk=result_file.pk).update(posted=not left)
        audit_record(actor=actor, action="loans.deduction_post", obj=result_file, subject=run,
                     after={"run": run.pk, "file": result_file.number, "rows": job.progress_done,
                            "amount": result_file.amount_to_post, "job": job.pk,
                            "unposted": "；".join(f"第{n}行 {p}" for n, p in left)})
    return job


def _post_row(actor, run: DeductionRun, row: ResultRow, job, second: str) -> None:
    line = row.line
    if row.amount > 0 and _posted_after(line.account, run.business_date):
        # The money was taken on the run's day and arrives after later postings: the transit grace
        # (DOMAIN.md §4 Channels) applies it as of that day, or as of today beyond the grace.
        transit_payment_apply(actor=actor, account=line.account, amount=row.amount,
                              value_date=run.business_date, arrived_on=businessdate.today(),
                              channel=f"{run.layout_name} 第{line.seq}笔{second}", job_run=job)
    elif row.amount > 0:
        repayment_post(actor=actor, account=line.account, on=run.business_date, amount=row.amount,
                       source=f"{run.layout_name} 第{line.seq}笔{second}", job_run=job)
    elif line.early_repayment_id and row.result == LineResult.FAILED:
        early_repayment_execute(actor=actor, account=line.account, on=run.business_date, job_run=job)
        EarlyRepaymentApplication.objects.filter(pk=line.early_repayment_id, status="failed").update(
            reason=f"扣款失败：{row.reason}"[:200])


def _posted_after(account, day) -> bool:
    return account.postings.filter(business_date__gt=day).exclude(kind__in=OUTSIDE_ENGINE).exists()


def _totals(run: DeductionRun, job: JobRun | None) -> None:
    """The run's figures from its lines; 已入账 once no file of it waits to be posted."""
    with transaction.atomic():
        locked = DeductionRun.objects.select_for_update().get(pk=run.pk)
        paid = locked.lines.filter(result=LineResult.SUCCESS).aggregate(total=Sum("paid"))["total"]
        locked.amount_paid = paid or ZERO
        locked.failed_count = locked.lines.filter(result=LineResult.FAILED).count()
        if not locked.result_files.filter(posted=False).exists() and locked.result_files.exists():
            locked.status = RunStatus.POSTED
        locked.job_run = job or locked.job_run
        locked.save(update_fields=["amount_paid", "failed_count", "status", "job_run"])
    run.amount_paid, run.failed_count = locked.amount_paid, locked.failed_count
    run.status, run.job_run = locked.status, locked.job_run
