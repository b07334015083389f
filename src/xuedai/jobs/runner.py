"""Idempotent, resumable batch runs (ARCHITECTURE principle 7).

A batch is identified by (kind, business date, scope). `batch_run` finds or creates its JobRun:
a finished run is returned as it is (idempotent); an interrupted one resumes from its checkpoint.
Each chunk's writes and the checkpoint that records them commit in one transaction, so a run
killed at any moment never posts a chunk twice.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobRun, JobStatus

# A chunk function receives the checkpoint it starts from and returns (items done, new checkpoint).
Chunk = Callable[[dict], tuple[int, dict]]


def job_run_claim(*, kind: str, business_date: dt.date, scope_key: str = "all", actor=None) -> JobRun:
    try:
        with transaction.atomic():
            return JobRun.objects.create(kind=kind, business_date=business_date, scope_key=scope_key,
                                         created_by=actor)
    except IntegrityError:
        return JobRun.objects.get(kind=kind, business_date=business_date, scope_key=scope_key)


def batch_run(
    *, kind: str, business_date: dt.date, scope_key: str = "all", total: int,
    chunks: Iterable[Chunk], actor=None, on_progress: Callable[[JobRun], Any] | None = None,
) -> JobRun:
    """Run `chunks` in order, skipping those a previous attempt already committed."""
    run = job_run_claim(kind=kind, business_date=business_date, scope_key=scope_key, actor=actor)
    if run.status == JobStatus.DONE:
        return run
    run.status, run.progress_total, run.error = JobStatus.RUNNING, total, ""
    run.started_at = run.started_at or timezone.now()
    run.save(update_fields=["status", "progress_total", "error", "started_at"])
    chunk_no = run.checkpoint.get("chunk", 0)
    try:
        for index, chunk in enumerate(chunks):
            if index < chunk_no:
                continue
            with transaction.atomic():
                done, checkpoint = chunk(run.checkpoint)
                run.progress_done += done
                run.checkpoint = {**checkpoint, "chunk": index + 1}
                run.save(update_fields=["progress_done", "checkpoint"])
            if on_progress:
                on_progress(run)
    except BaseException as exc:
        run.status, run.error = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        run.save(update_fields=["status", "error"])
        raise
    run.status, run.finished_at = JobStatus.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run
