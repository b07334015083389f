"""The one lifecycle of a batch run: claim → running → progress and checkpoints → failed | done
(ARCHITECTURE principle 7).

A batch is identified by (kind, business date, scope): :meth:`Job.claim` finds or creates its
``JobRun``. A run's work is a list of *phases* (:func:`job_execute`); each phase walks its own
chunks and records each chunk with :meth:`Job.progress` **inside that chunk's transaction**, so the
chunk's writes and the checkpoint that records them commit together or not at all. A run killed at
any moment therefore resumes where its last committed chunk ended and never repeats one; a phase
also keeps its writes idempotent in the data (a settled account leaves the settlement's selection),
so a phase that is redone finds nothing left to do.

The run says done only after every phase has finished, in the same transaction as the batch's one
audit entry (who started it, the business date, rows, postings by kind): a run that says done has
done its whole scope. While a run works it holds a PostgreSQL advisory lock on its id, so a second
process (a double click, a cron overlap) is refused instead of working the same chunks at once.

- :class:`Job` — claim, start, progress / checkpoint, report, fail, finish.
- :func:`job_execute` — a run's phases in order, each skipped once recorded as done.
- :func:`batch_run` — the one-phase form: a list of chunk functions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import JobRun, JobStatus

# A chunk function receives the checkpoint it starts from and returns (items done, new checkpoint).
Chunk = Callable[[dict], tuple[int, dict]]
# A phase does its chunks, each with Job.progress in its transaction; it must be idempotent.
Phase = Callable[["Job"], None]

_LOCK_SPACE = 7_001  # advisory-lock namespace of job runs (the second key is the run's id)


class JobBusy(RuntimeError):
    """The run is being worked by another process right now."""


def job_run_claim(*, kind: str, business_date: dt.date, scope_key: str = "all", actor=None) -> JobRun:
    try:
        with transaction.atomic():
            return JobRun.objects.create(kind=kind, business_date=business_date, scope_key=scope_key,
                                         created_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:
        return JobRun.objects.get(kind=kind, business_date=business_date, scope_key=scope_key)


def _merged(old: dict, new: dict) -> dict:
    """``old`` updated by ``new``, dict values merged one level deep (a phase's own section)."""
    out = dict(old)
    for key, value in new.items():
        out[key] = {**out[key], **value} if isinstance(value, dict) and isinstance(out.get(key), dict) \
            else value
    return out


def job_progress_on(conn, run_id: int, done: int, checkpoint: dict) -> None:
    """:meth:`Job.progress` on a psycopg connection of its own (a kernel's, a distributed worker's,
    which has the run's id but no :class:`Job`): one UPDATE, the sections merged one level deep."""
    pairs, params = [], []
    for key, value in checkpoint.items():
        if isinstance(value, dict):  # the section merged one level deep, as _merged does
            pairs.append("%s::text, COALESCE(checkpoint -> %s, '{}'::jsonb) || %s::jsonb")
            params += [key, key, json.dumps(value)]
        else:
            pairs.append("%s::text, %s::jsonb")
            params += [key, json.dumps(value)]
    merged = f"checkpoint || jsonb_build_object({', '.join(pairs)})" if pairs else "checkpoint"
    with conn.cursor() as cur:
        cur.execute(f"UPDATE jobs_jobrun SET progress_done = progress_done + %s, checkpoint = {merged} "
                    "WHERE id = %s", [done, *params, run_id])


class Job:
    """A claimed run and the calls that move it through its lifecycle.

    ``out`` (optional) receives a line after each step that committed — the run started, a chunk,
    a phase, the run done — which is where a command prints its progress.
    """

    def __init__(self, run: JobRun, *, actor=None, out: Callable[[str], Any] | None = None) -> None:
        self.run, self.actor, self.out = run, actor, out
        self._locked = False

    @classmethod
    def claim(cls, *, kind: str, business_date: dt.date, scope_key: str = "all", actor=None,
              out: Callable[[str], Any] | None = None) -> Job:
        run = job_run_claim(kind=kind, business_date=business_date, scope_key=scope_key, actor=actor)
        return cls(run, actor=actor, out=out)

    @property
    def done(self) -> bool:
        return self.run.status == JobStatus.DONE

    @property
    def checkpoint(self) -> dict:
        return self.run.checkpoint

    def section(self, name: str) -> dict:
        """The checkpoint section a phase keeps its own place in."""
        value = self.run.checkpoint.get(name)
        return value if isinstance(value, dict) else {}

    def report(self, text: str) -> None:
        if self.out:
            self.out(text)

    # -- running ------------------------------------------------------------------------------------

    def start(self, *, total: int | None = None) -> bool:
        """Mark the run running (resuming it if it was interrupted); False when it is already done.

        Raises :class:`JobBusy` when another process works the run now (PostgreSQL)."""
        self.run.refresh_from_db()
        if self.done:
            return False
        self._lock()
        self.run.refresh_from_db()  # the process that held the lock may have finished it
        if self.done:
            self._unlock()
            return False
        self.run.status, self.run.error = JobStatus.RUNNING, ""
        self.run.started_at = self.run.started_at or timezone.now()
        if total is not None:
            self.run.progress_total = total
        self.run.save(update_fields=["status", "error", "started_at", "progress_total"])
        self.report(f"  {self.run.kind} {self.run.business_date}: 开始（已完成 {self.run.progress_done:,}）")
        return True

    def progress(self, done: int = 0, checkpoint: dict | None = None, *, conn=None) -> None:
        """Record a chunk: ``done`` more items and its checkpoint, merged into the run's.

        Call it inside the chunk's transaction, as its last statement: on Django's connection by
        default, or on ``conn`` (a psycopg connection of its own, as the kernels use) — then the
        in-memory run is refreshed only by :meth:`refresh`.
        """
        checkpoint = checkpoint or {}
        if conn is None:
            with transaction.atomic():  # the row as it stands (chunks on other connections move it too)
                fresh = JobRun.objects.select_for_update().only("progress_done", "checkpoint") \
                    .get(pk=self.run.pk)
                self.run.progress_done = fresh.progress_done + done
                self.run.checkpoint = _merged(fresh.checkpoint, checkpoint)
                self.run.save(update_fields=["progress_done", "checkpoint"])
            return
        job_progress_on(conn, self.run.pk, done, checkpoint)

    def refresh(self) -> None:
        self.run.refresh_from_db(fields=["progress_done", "progress_total", "checkpoint"])

    def fail(self, exc: BaseException) -> None:
        try:
            self.run.status, self.run.error = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
            self.run.save(update_fields=["status", "error"])
        finally:
            self._unlock()

    def finish(self, *, action: str | None, result: dict | None = None, after: dict | None = None) -> JobRun:
        """Done, with its result and (``action``) the batch's one audit entry, in one transaction."""
        from xuedai.audit.services import audit_record

        try:
            with transaction.atomic():
                self.run.status, self.run.finished_at = JobStatus.DONE, timezone.now()
                self.run.progress_total = max(self.run.progress_total, self.run.progress_done)
                if result is not None:
                    self.run.result = result
                self.run.save(update_fields=["status", "finished_at", "progress_total", "result"])
                if action:
                    audit_record(actor=self.actor or self.run.created_by, action=action, obj=self.run,
                                 after={"business_date": self.run.business_date, "scope": self.run.scope_key,
                                        "rows": self.run.progress_done, **(after or {})})
        finally:
            self._unlock()
        self.report(f"  {self.run.kind} {self.run.business_date}: 完成 {self.run.progress_done:,}")
        return self.run

    # -- the advisory lock -----------------------------------------------------------------------------

    def _lock(self) -> None:
        if connection.vendor != "postgresql" or self._locked:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_SPACE, self.run.pk])
            if not cursor.fetchone()[0]:
                raise JobBusy(f"后台任务「{self.run.kind} {self.run.business_date}」"
                              "正在另一进程中运行，请稍后再试")
        self._locked = True

    def _unlock(self) -> None:
        if not self._locked:
            return
        self._locked = False
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_SPACE, self.run.pk])


def job_execute(job: Job, phases: Sequence[tuple[str, Phase]], *, total: int | None = None,
                action: str | None = None,
                summary: Callable[[Job], tuple[dict, dict]] | None = None) -> JobRun:
    """Run ``phases`` in order, then finish the run (``summary(job)`` → (result, audit after)).

    A phase recorded as done (its name in ``checkpoint["phases_done"]``) is skipped on a resumed
    run; one that was interrupted runs again from its own checkpoint section. Phases go by name, so
    a run resumed along another path (the scalar services instead of the kernels) runs its own
    phases. A run already done is returned as it is.
    """
    if not job.start(total=total):
        return job.run
    try:
        for name, phase in phases:
            if name in job.checkpoint.get("phases_done", []):
                continue
            phase(job)
            job.refresh()
            with transaction.atomic():
                job.progress(0, {"phases_done": [*job.checkpoint.get("phases_done", []), name]})
            job.report(f"  {job.run.kind}: {name} 完成")
        result, after = summary(job) if summary else ({}, {})
    except BaseException as exc:
        job.fail(exc)
        raise
    return job.finish(action=action, result=result, after=after)


def batch_run(
    *, kind: str, business_date: dt.date, scope_key: str = "all", total: int,
    chunks: Iterable[Chunk], actor=None, on_progress: Callable[[JobRun], Any] | None = None,
    action: str | None = None, out: Callable[[str], Any] | None = None,
    summary: Callable[[Job], tuple[dict, dict]] | None = None,
) -> JobRun:
    """Run ``chunks`` in order, skipping those a previous attempt already committed (one phase)."""
    job = Job.claim(kind=kind, business_date=business_date, scope_key=scope_key, actor=actor, out=out)

    def every_chunk(job: Job) -> None:
        chunk_no = job.checkpoint.get("chunk", 0)
        for index, chunk in enumerate(chunks):
            if index < chunk_no:
                continue
            with transaction.atomic():
                done, checkpoint = chunk(job.checkpoint)
                job.progress(done, {**checkpoint, "chunk": index + 1})
            job.report(f"  {kind}: {job.run.progress_done:,}/{job.run.progress_total:,}")
            if on_progress:
                on_progress(job.run)

    return job_execute(job, [("chunks", every_chunk)], total=total, action=action, summary=summary)
