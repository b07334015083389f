"""The portfolio batches spread over Celery workers (Redis broker) when ``XUEDAI_BROKER_URL`` is set.

Without it nothing here runs: the batches stay in one process (:func:`.runs.kernel_phase`, no
broker, so ``xuedai demo`` needs no Redis). With it, the kernel phase of the settlement and of the
classification becomes :func:`distributed_phase`: the portfolio is cut into partitions — by
province, then by contract-id range within it (:mod:`.partitions`) — and each partition is one
Celery task, worked by ``xuedai batch-worker`` processes on any machine that reaches the broker and
the database. The job row (``jobs.runner``) stays the one record of the run: the coordinator (the
process that started the batch) holds its advisory lock, plans the partitions into its checkpoint,
sends the tasks and watches the checkpoint fill; each task records its partition in the same row.

Exactly once, with a broker that may lose messages and workers that may die at any moment:

- a task works its partition in **one transaction** that begins with an advisory lock on (run,
  partition) and a look at the checkpoint, and ends by recording the partition in it — so a
  partition is posted and recorded together or not at all, and a second delivery of a partition
  (a redelivered message, a re-sent one, two running at once) waits for the first and then finds it
  recorded and does nothing. The data says it too: a settled account leaves the selection.
- a message lost with a killed worker or a killed broker is **re-sent** by the coordinator when the
  checkpoint has not moved for ``XUEDAI_BATCH_STALL_S`` seconds (and a worker's unacknowledged
  message comes back after the broker's visibility timeout): duplicates cost a skip, never a posting.
- a task that *fails* (an exception in the kernel, not a lost worker) records its error in the
  checkpoint; the coordinator then fails the run as the embedded path would, and a re-run resumes.

Tasks go to a queue per database (``xuedai.batch.<database name>``, or ``XUEDAI_BATCH_QUEUE``), so
workers of two databases sharing a broker (tests in parallel) never take each other's partitions.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
import zlib
from collections.abc import Callable

from celery import Celery, signals

from xuedai.batch import exact, partitions
from xuedai.batch.io import Timings

TASK = "xuedai.batch.partition"
STALL_S = float(os.environ.get("XUEDAI_BATCH_STALL_S", "60"))  # no progress this long: re-send
POLL_S = 0.25
VISIBILITY_S = int(os.environ.get("XUEDAI_BATCH_VISIBILITY_S", "600"))  # an unacked message returns
ERRORS = "partition_errors"  # checkpoint section: "<attempt token>:<partition key>" → the error


class PartitionFailed(RuntimeError):
    """A partition's task raised: the run fails (and resumes on a re-run) as the embedded one does."""


def broker_url() -> str | None:
    """The broker of the distributed batches, or None for the embedded path."""
    return os.environ.get("XUEDAI_BROKER_URL") or None


def queue_name(database: str | None = None) -> str:
    if os.environ.get("XUEDAI_BATCH_QUEUE"):
        return os.environ["XUEDAI_BATCH_QUEUE"]
    if database is None:
        from django.conf import settings

        database = settings.DATABASES["default"]["NAME"]
    return f"xuedai.batch.{database}"


app = Celery("xuedai")
app.conf.update(
    broker_url=broker_url() or "memory://",
    broker_connection_retry_on_startup=True,
    broker_connection_max_retries=None,  # a worker outlives a broker restart
    broker_transport_options={"visibility_timeout": VISIBILITY_S},
    task_acks_late=True,  # acknowledged after the partition committed: a killed worker's comes back
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,  # a worker holds one partition at a time
    task_ignore_result=True,  # the job row is the result
    worker_hijack_root_logger=False,
    worker_send_task_events=False,
)


@signals.worker_init.connect
def _django_setup(**_kwargs) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.base")
    import django

    django.setup()
    # Imported once per worker, not in its first partition's time.
    from xuedai.batch import classify_io, deduct_parts, penalty_io, settle_io  # noqa: F401


# -- the worker side -----------------------------------------------------------------------------------

_conn = None  # this worker process's own database connection, reused across partitions


def _connection():
    global _conn
    if _conn is None or _conn.closed or _conn.broken:
        from django.db import connection

        _conn = connection.get_new_connection(connection.get_connection_params())
    return _conn


def lock_key(job_run_id: int, key: str) -> int:
    """The advisory-lock key of one partition of one run (a bigint: run id, then a hash of the key)."""
    return (job_run_id << 32) | zlib.crc32(key.encode())


_policies: dict[int, dict] = {}  # the policy columns by job run: the same for every partition of a run


def _settle(conn, day: int, part: partitions.Partition, scope: dict, job_run_id: int | None,
            dense: bool, run: int = 0, extra: dict | None = None) -> Timings:
    from xuedai.batch.settle_io import policy_columns, settle_chunk

    if run not in _policies:  # the first-due table takes ~0.1 s to build: once per run, not per partition
        _policies.clear()
        _policies[run] = policy_columns(conn)
    return settle_chunk(conn, day, part.lo, part.hi, job_run_id=job_run_id, policies=_policies[run],
                        scope=scope)


def _classify(conn, day: int, part: partitions.Partition, scope: dict, job_run_id: int | None,
              dense: bool, run: int = 0, extra: dict | None = None) -> Timings:
    from xuedai.batch.classify_io import classify_chunk

    return classify_chunk(conn, day, part.lo, part.hi, job_run_id=job_run_id, dense=dense, scope=scope)


def _penalty(conn, day: int, part: partitions.Partition, scope: dict, job_run_id: int | None,
             dense: bool, run: int = 0, extra: dict | None = None) -> Timings:
    from xuedai.batch.penalty_io import penalty_chunk

    return penalty_chunk(conn, day, part.lo, part.hi, scope=scope)


def _deduct(conn, day: int, part: partitions.Partition, scope: dict, job_run_id: int | None,
            dense: bool, run: int = 0, extra: dict | None = None) -> Timings:
    """``extra``: the folder of the day's files and the layouts by channel (JSON)."""
    from pathlib import Path

    from xuedai.batch.deduct_parts import FileLayout, deduction_part

    extra = extra or {}
    layouts = {channel: FileLayout(**layout) for channel, layout in extra["layouts"].items()}
    return deduction_part(conn, day, part, scope, Path(extra["directory"]), layouts, run_id=run)


WORK: dict[str, Callable[..., Timings]] = {"settle": _settle, "classify": _classify, "penalty": _penalty,
                                           "deduct": _deduct}


def work_partition(conn, batch: str, job_run_id: int, day: int, part: partitions.Partition, scope: dict, *,
                   section: str = "kernel", link: bool = False, dense: bool = True,
                   extra: dict | None = None) -> Timings | None:
    """One partition in one transaction on ``conn``; None when it was already recorded."""
    from xuedai.jobs.runner import job_progress_on

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(job_run_id, part.key)])
        recorded = conn.execute("SELECT COALESCE(checkpoint -> %s ? %s, false) FROM jobs_jobrun "
                                "WHERE id = %s", [section, part.key, job_run_id]).fetchone()
        if recorded is None or recorded[0]:  # done (or the run is gone): nothing to do
            return None
        conn.execute("SET LOCAL jit = off")
        timings = WORK[batch](conn, day, part, scope, job_run_id if link else None, dense, job_run_id,
                              extra=extra)
        job_progress_on(conn, job_run_id, timings.rows, {section: {part.key: timings.as_checkpoint()}})
    return timings


@app.task(name=TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_partition(batch: str, job_run_id: int, day: int, part: list, scope: dict, token: str,
                  section: str = "kernel", link: bool = False, dense: bool = True,
                  extra: dict | None = None) -> int:
    """The Celery task: :func:`work_partition`, its error recorded for the coordinator."""
    import psycopg

    from xuedai.jobs.runner import job_progress_on

    conn = _connection()
    partition = partitions.Partition.from_json(part)
    try:
        timings = work_partition(conn, batch, job_run_id, day, partition, scope, section=section, link=link,
                                 dense=dense, extra=extra)
    except psycopg.OperationalError:
        conn.close()  # the database went away: the coordinator re-sends the partition when it stalls
        raise
    except Exception as exc:
        with conn.transaction():
            job_progress_on(conn, job_run_id, 0, {ERRORS: {f"{token}:{partition.key}": repr(exc)[:500]}})
        raise
    return timings.rows if timings else 0


def worker_argv(name: str = "batch", queue: str | None = None, loglevel: str = "WARNING") -> list[str]:
    """The command of one worker process: one partition at a time (``--pool solo``), so a worker is
    one process and one core; run as many as there are cores, on as many machines as needed."""
    return [sys.executable, "-m", "celery", "-A", "xuedai.batch.distributed", "worker", "--pool", "solo",
            "--concurrency", "1", "-Q", queue or queue_name(), "-n", f"{name}@%h", "--without-gossip",
            "--without-mingle", "--without-heartbeat", "--loglevel", loglevel]


def worker_main(argv: list[str]) -> int:
    """``xuedai batch-worker [--name N]``: a worker for the configured database and broker."""
    import argparse

    parser = argparse.ArgumentParser(prog="xuedai batch-worker")
    parser.add_argument("--name", default=f"batch{os.getpid()}")
    parser.add_argument("--loglevel", default="INFO")
    args = parser.parse_args(argv)
    if not broker_url():
        print("需要设置 XUEDAI_BROKER_URL（如 redis://127.0.0.1:6379/0）/ set XUEDAI_BROKER_URL",
              file=sys.stderr)
        return 2
    os.execv(sys.executable, worker_argv(args.name, loglevel=args.loglevel))
    return 0  # not reached


# -- the coordinator side ------------------------------------------------------------------------------


def _send(url: str, queue: str, todo: list[partitions.Partition], make_args: Callable[[partitions.Partition],
          list]) -> bool:
    """Publish one task per partition; False (and nothing raised) when the broker is unreachable."""
    from kombu import Exchange, Queue

    try:
        with app.connection_for_write(url) as connection:
            connection.ensure_connection(max_retries=1)
            declared = Queue(queue, Exchange(queue, type="direct"), routing_key=queue)
            declared(connection.default_channel).declare()  # tasks sent before any worker are kept
            for part in todo:
                app.send_task(TASK, args=make_args(part), queue=queue, routing_key=queue,
                              connection=connection, ignore_result=True)
        return True
    except Exception:  # kombu / redis connection errors: the broker is down, try again shortly
        return False


def distributed_phase(batch: str, *, size: int, link: bool = False, dense: bool = True,
                      section: str = "kernel", extra: dict | None = None) -> Callable:
    """A job phase (``jobs.runner.job_execute``) doing ``batch`` (``settle`` | ``classify`` |
    ``penalty`` | ``deduct``) over every partition not yet in the checkpoint's ``section``, on the
    Celery workers; ``extra`` (JSON) goes to every partition's work (the deduction's folder and
    layouts)."""

    def phase(job) -> None:
        from django.db import connection, transaction

        url = broker_url()
        if url is None:
            raise RuntimeError("XUEDAI_BROKER_URL is not set")
        meta = job.section("partitions")
        if "plan" not in meta:  # the first attempt plans; a resumed one walks the same partitions
            connection.ensure_connection()
            plan = partitions.plan(connection.connection, meta.get("size", size))
            counties = partitions.province_counties(connection.connection)
            with transaction.atomic():
                job.progress(0, {"partitions": {"size": size, "plan": [p.as_json() for p in plan],
                                                "counties": counties}})
            job.refresh()
            job.report(f"  {job.run.kind}: {len(plan)} 个分区，{len({p.province for p in plan})} 个省份")
            meta = job.section("partitions")
        plan = [partitions.Partition.from_json(row) for row in meta["plan"]]
        counties = meta["counties"]
        token = uuid.uuid4().hex[:12]  # this attempt's errors, apart from an earlier attempt's
        day = exact.day(job.run.business_date)
        queue = queue_name(connection.settings_dict["NAME"])

        def args(part: partitions.Partition) -> list:
            return [batch, job.run.pk, day, part.as_json(), partitions.scope_params(part.province, counties),
                    token, section, link, dense, extra]

        def pending() -> list[partitions.Partition]:
            done = job.section(section)
            return [p for p in plan if p.key not in done]

        todo = pending()
        next_send = time.monotonic() + (STALL_S if _send(url, queue, todo, args) else 1.0)
        moved = (job.run.progress_done, len(todo))
        while todo:
            time.sleep(POLL_S)
            job.refresh()
            failed = {k: v for k, v in job.section(ERRORS).items() if k.startswith(token)}
            if failed:
                raise PartitionFailed(f"分区失败 / partitions failed: {failed}")
            todo = pending()
            now = time.monotonic()
            if (job.run.progress_done, len(todo)) != moved:
                moved, next_send = (job.run.progress_done, len(todo)), now + STALL_S
                job.report(f"  {job.run.kind}: {job.run.progress_done:,}（余 {len(todo)} 个分区）")
            elif todo and now >= next_send:  # nothing moved: messages lost with a worker or the broker
                ok = _send(url, queue, todo, args)
                next_send = now + (STALL_S if ok else 1.0)
                job.report(f"  {job.run.kind}: 重发 {len(todo)} 个分区" if ok else
                           f"  {job.run.kind}: 消息代理不可用，稍后重试")

    return phase
