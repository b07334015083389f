"""The portfolio batches as jobs (``jobs.runner``): idempotent, resumable, one transaction per chunk.

ARCHITECTURE principle 7. A kernel phase walks contract ids in ranges ``(lo, hi]`` on a grid of
multiples of the chunk size; each range is read, computed and written in one transaction on a
connection of its own, and the same transaction records the range in the job's checkpoint with
its counts. Idempotency also lives in the data: a range's selection leaves out the accounts it
already did (settlement: ``last_settled_on`` ≥ the day; classification: ``graded_on`` = the day),
which the same transaction sets. So a killed run, resumed, redoes nothing that committed — and
ranges run on several connections at once, which is how PostgreSQL gets both cores.

The job says done only when its whole scope is: for the settlement, after the accounts the kernel
leaves to the scalar service (:func:`.settle_io.leftover_ids`) have been handed, chunk by chunk, to
the caller's ``settle_leftovers`` as a later phase of the same job; for the classification, after
the caller's ``overrides`` (grades the days overdue do not decide). The caller (``loans.batches``)
supplies both, so this package never imports the loans app.

- :func:`loans_settlement` — the annual settlement / settlement at maturity (DOMAIN.md §4).
- :func:`loans_classification` — quarter-end grades for every live account (DOMAIN.md §6).
- :func:`loans_deduction_files` — the 扣款明细表 CSVs of a deduction day (DOMAIN.md §4 Channels).
- :func:`loans_penalty` — the penalty accrual on the Celery workers (DOMAIN.md §4 Overdue).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from xuedai.batch import exact
from xuedai.batch.classify_io import classify_chunk
from xuedai.batch.classify_kernel import GRADES
from xuedai.batch.deduct_io import deduction_files
from xuedai.batch.io import Timings
from xuedai.batch.settle_io import leftover_ids, policy_columns, settle_chunk

DEFAULT_CHUNK = 250_000  # contract ids per transaction: ~30 MB of columns, a few seconds of writes
LEFTOVER_CHUNK = 200  # accounts per transaction of the scalar service
CONNECTIONS = int(os.environ.get("XUEDAI_BATCH_CONNECTIONS", "2"))  # one backend per core

SETTLEMENT, CLASSIFICATION = "loans.settlement", "loans.classification"
DEDUCTION_FILES, PENALTY = "loans.deduction_files", "loans.penalty"
NORMAL_GRADE = GRADES[0].value  # 正常

# ``settle_leftovers(account ids, job run) → accounts settled``, in the caller's transaction.
SettleLeftovers = Callable[[Sequence[int], object], int]


class LeftoversWithoutService(RuntimeError):
    """Accounts only the scalar service can settle, and no service given (a bench on a portfolio
    that has them): the run stops rather than say done with accounts unsettled."""


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
    do not need — they carry the batch's business date, kind and memo, and the job run's checkpoint
    keeps the counts by kind of every range to reconcile them. XUEDAI_BATCH_LINK_JOB=1 stamps it.
    """
    return job.pk if os.environ.get("XUEDAI_BATCH_LINK_JOB") == "1" else None


def id_ranges(conn, size: int) -> list[tuple[int, int]]:
    """Ranges ``(lo, hi]`` covering every account, on the grid of multiples of ``size`` — the same
    ranges on every attempt of a run, so a checkpoint names a range by its ``lo``."""
    with conn.cursor() as cur:
        cur.execute("SELECT MIN(contract_id), MAX(contract_id) FROM loans_loanaccount")
        low, high = cur.fetchone()
    if low is None:
        return []
    first = (low - 1) // size * size
    return [(lo, lo + size) for lo in range(first, high, size)]


def kernel_phase(section: str, work: Callable, *, chunk: int, connections: int, seconds: Timings) -> Callable:
    """A phase running ``work(conn, lo, hi, job) → Timings`` over every id range not yet in the
    checkpoint's ``section``, ``connections`` ranges at a time; ``seconds`` collects this attempt's
    read / compute / write times (the counts come from the checkpoint)."""

    def phase(job) -> None:
        done = job.section(section)
        size = int(done.get("size", chunk))  # a resumed run keeps the grid it started on
        todo = [(lo, hi) for lo, hi in id_ranges(_django_connection(), size) if str(lo) not in done]
        if "size" not in done:
            from django.db import transaction

            with transaction.atomic():
                job.progress(0, {section: {"size": size}})
            job.report(f"  {job.run.kind}: {len(todo)} 段，每段 {size:,} 个合同号")
        if not todo:
            return
        pool = [_new_connection() for _ in range(max(1, min(connections, len(todo))))]
        free = list(pool)

        def one(lo: int, hi: int) -> Timings:
            conn = free.pop()
            try:
                with conn.transaction():
                    conn.execute("SET LOCAL jit = off")  # compiling a plan costs more than it saves here
                    timings = work(conn, lo, hi, job.run)
                    # Last statement before the commit: the job row's lock is held only briefly.
                    job.progress(timings.rows, {section: {str(lo): timings.as_checkpoint()}}, conn=conn)
                    committing = time.perf_counter()
                # The commit runs the deferred checks of every row written: a write cost.
                timings.write_s += time.perf_counter() - committing
                return timings
            finally:
                free.append(conn)
                from django.db import connections as django_connections

                django_connections.close_all()  # this thread's own Django connection (look-ups), if any

        try:
            with ThreadPoolExecutor(max_workers=len(pool)) as executor:
                futures = [executor.submit(one, lo, hi) for lo, hi in todo]
                for future in as_completed(futures):
                    seconds.add(Timings(read_s=(t := future.result()).read_s, compute_s=t.compute_s,
                                        write_s=t.write_s))
                    job.refresh()
                    job.report(f"  {job.run.kind}: {job.run.progress_done:,}")
        finally:
            for conn in pool:
                conn.close()

    return phase


def kernel_totals(job, section: str) -> Timings:
    """Every range's counts of a finished (or resumed) kernel phase, added up."""
    return Timings.from_checkpoints(v for k, v in job.section(section).items() if k != "size")


def posted_summary(counts: Mapping[str, int], fen: Mapping[str, int]) -> dict:
    """Postings by kind for an audit entry: ``{"posted.interest": "812 笔 12,345.67", …}``."""
    return {f"posted.{kind}": f"{counts[kind]:,} 笔 {exact.yuan(fen.get(kind, 0)):,.2f}"
            for kind in sorted(counts) if counts[kind]}


def _postings_of_job(job_run_id: int) -> tuple[dict[str, int], dict[str, int]]:
    """(count, fen) by kind of the postings stamped with the job run (the scalar service's)."""
    with _django_connection().cursor() as cur:
        cur.execute("SELECT kind, count(*), (SUM(amount) * 100)::int8 FROM loans_posting "
                    "WHERE job_run_id = %s GROUP BY kind", [job_run_id])
        rows = cur.fetchall()
    return {k: n for k, n, _ in rows}, {k: fen for k, _, fen in rows}


def _added(*maps: Mapping[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in maps:
        for key, value in m.items():
            out[key] = out.get(key, 0) + value
    return out


def _claim(kind: str, business_date: dt.date, *, scope_key: str = "all", actor=None, out=None):
    from xuedai.jobs.runner import Job

    return Job.claim(kind=kind, business_date=business_date, scope_key=scope_key, actor=actor, out=out)


def leftovers_phase(on: dt.date, settle_leftovers: SettleLeftovers | None, *, size: int | None = None):
    """The settlement's scalar phase: the kernel's leftovers, ``size`` at a time, each chunk settled
    by the caller's service and recorded in the same transaction (keyset on the contract id)."""
    return _scalar_phase(on, leftover_ids, settle_leftovers, counted="settled", size=size,
                         missing="{n} 户需要逐户结息（贷款服务），本批处理不能独自完成")


def _scalar_phase(on: dt.date, find_ids: Callable, service: Callable | None, *, counted: str,
                  size: int | None = None, missing: str = "") -> Callable:
    """A batch's scalar phase after its kernel: ``find_ids(conn, day, after=, limit=)`` → the next
    accounts the kernel left, each chunk handed to ``service(ids, job run)`` and recorded in the
    checkpoint's ``leftovers`` section (``last`` and ``counted``) in the same transaction."""

    def phase(job) -> None:
        from django.db import transaction

        limit = size or LEFTOVER_CHUNK
        day = exact.day(on)
        section = job.section("leftovers")
        last, done = section.get("last", 0), section.get(counted, 0)
        while ids := find_ids(_django_connection(), day, after=last, limit=limit):
            if service is None:
                raise LeftoversWithoutService(missing.format(n=len(ids)))
            with transaction.atomic():
                count = service(ids, job.run)
                done, last = done + count, ids[-1]
                job.progress(count, {"leftovers": {"last": last, counted: done}})
            job.report(f"  {job.run.kind}（逐户）: {done:,}")

    return phase


def loans_settlement(business_date: dt.date, *, settle_leftovers: SettleLeftovers | None = None, actor=None,
                     chunk: int | None = None, connections: int = CONNECTIONS, out=None) -> Timings:
    """Settle every account for which ``business_date`` is a settlement date (DOMAIN.md §4): the
    kernel for plain accounts, then ``settle_leftovers`` for the others; one job, done when both are.

    Returns the whole run's counts (every attempt's) and this attempt's seconds."""
    from xuedai.jobs.runner import job_execute

    on = exact.day(business_date)
    seconds = Timings()
    policies = policy_columns(_django_connection())
    job = _claim(SETTLEMENT, business_date, actor=actor, out=out)

    def work(conn, lo: int, hi: int, run) -> Timings:
        return settle_chunk(conn, on, lo, hi, job_run_id=_link(run), policies=policies)

    def summary(job) -> tuple[dict, dict]:
        kernel = kernel_totals(job, "kernel")
        scalar_counts, scalar_fen = _postings_of_job(job.run.pk)
        if _link(job.run) is not None:  # the kernel's postings carry the run too: counted once
            kernel.counts, kernel.totals = {}, {}
        counts, fen = _added(kernel.counts, scalar_counts), _added(kernel.totals, scalar_fen)
        scalar = job.section("leftovers").get("settled", 0)
        result = {"rows": kernel.rows + scalar, "kernel_rows": kernel.rows, "scalar_rows": scalar,
                  "written": sum(counts.values()), "totals": fen, "counts": counts}
        return result, {"job_run": job.run.pk, "kernel_accounts": kernel.rows, "scalar_accounts": scalar,
                        "postings": sum(counts.values()), **posted_summary(counts, fen)}

    kernel = _kernel_or_distributed("settle", job, work, chunk=chunk, connections=connections,
                                    seconds=seconds)
    job_execute(job, [("kernel", kernel),
                      ("leftovers", leftovers_phase(business_date, settle_leftovers))],
                action="loans.settlement_batch", summary=summary)
    return _with_seconds(job, "kernel", seconds, scalar_rows=job.section("leftovers").get("settled", 0))


def _kernel_or_distributed(batch: str, job, work: Callable, *, chunk: int | None, connections: int,
                           seconds: Timings, dense: bool = True) -> Callable:
    """The kernel phase in this process (the default), or on Celery workers when XUEDAI_BROKER_URL
    is set (:mod:`.distributed`: partitions by province, then by id range; the same checkpoint
    section, so the counts, the summary and the audit entry are the same either way)."""
    if not broker_set():
        return kernel_phase("kernel", work, chunk=chunk or DEFAULT_CHUNK, connections=connections,
                            seconds=seconds)
    from xuedai.batch.distributed import distributed_phase

    return distributed_phase(batch, size=chunk or DEFAULT_CHUNK, link=_link(job.run) is not None, dense=dense)


def _with_seconds(job, section: str, seconds: Timings, **extra) -> Timings:
    total = kernel_totals(job, section)
    total.read_s, total.compute_s, total.write_s = seconds.read_s, seconds.compute_s, seconds.write_s
    for name, value in extra.items():
        setattr(total, name, value)
    return total


def loans_classification(as_of: dt.date, *, overrides: Callable[[dt.date], int] | None = None, actor=None,
                         chunk: int | None = None, connections: int = CONNECTIONS, dense: bool = True,
                         out=None) -> Timings:
    """Grade every live account at the quarter end ``as_of`` (DOMAIN.md §6), then apply the caller's
    ``overrides(as_of) → accounts regraded`` (a confirmed death is 损失 whatever the days); one job.
    See :func:`xuedai.batch.classify_io.classify_chunk` for ``dense`` (the checkpoint, committed
    with each range, is what keeps a sparse run from writing a range twice)."""
    from django.db import transaction

    from xuedai.jobs.runner import job_execute

    on = exact.day(as_of)
    seconds = Timings()
    job = _claim(CLASSIFICATION, as_of, actor=actor, out=out)

    def work(conn, lo: int, hi: int, run) -> Timings:
        return classify_chunk(conn, on, lo, hi, job_run_id=_link(run), dense=dense)

    def regrade(job) -> None:
        with transaction.atomic():
            count = overrides(as_of) if overrides else 0
            job.progress(0, {"overrides": {"regraded": count}})

    def summary(job) -> tuple[dict, dict]:
        kernel = kernel_totals(job, "kernel")
        regraded = job.section("overrides").get("regraded", 0)
        # A sparse run does not read the accounts that stay 正常, so it has no 正常 count to report.
        grades = {f"grade.{g}": n for g, n in sorted(kernel.totals.items())
                  if n and (dense or g != NORMAL_GRADE)}
        result = {"rows": kernel.rows, "written": kernel.postings, "totals": kernel.totals,
                  "regraded": regraded}
        return (result,
                {"job_run": job.run.pk, "records": kernel.postings, "mode": "dense" if dense else "sparse",
                 **grades, "regraded_loss": regraded})

    kernel = _kernel_or_distributed("classify", job, work, chunk=chunk, connections=connections,
                                    seconds=seconds, dense=dense)
    job_execute(job, [("kernel", kernel),
                      ("overrides", regrade)], action="loans.classification_batch", summary=summary)
    return _with_seconds(job, "kernel", seconds)


def loans_deduction_files(on: dt.date, directory: Path, *, layouts: Mapping[str, object], actor=None,
                          chunk: int | None = None, out=None) -> tuple[list[Path], Timings]:
    """The day's 扣款明细表 CSVs as one job (one transaction: the accrued-penalty cache and the
    files, which appear under their names only once that transaction has committed).

    ``layouts``: the deduction layouts by channel, ``{"alipay": …, "agent_bank": …}`` (each with
    ``headers`` and ``keys``), from the loans app. The day's files are written once: a done run
    returns the files it wrote, wherever ``directory`` points now.

    With XUEDAI_BROKER_URL set the partitions go to the Celery workers, each writing its part of
    every file and its penalty cache in one transaction, and this process merges the parts into the
    same files (:mod:`.deduct_parts`); ``chunk`` is then the accounts per partition."""
    from xuedai.jobs.runner import job_execute

    seconds = Timings()
    job = _claim(DEDUCTION_FILES, on, actor=actor, out=out)

    def files(job) -> None:
        conn = _new_connection()
        try:
            with conn.transaction():
                conn.execute("SET LOCAL jit = off")
                written, timings = deduction_files(conn, exact.day(on), Path(directory), layouts)
                # Redone after a kill between this commit and the phase's end: counted once.
                record = {"paths": [str(p) for p, _ in written], "lines": timings.rows,
                          "accrued": timings.postings}
                job.progress(0 if job.section("files") else timings.rows, {"files": record}, conn=conn)
            for final, part in written:  # committed: the files take their names
                os.replace(part, final)
            seconds.add(timings)
        finally:
            conn.close()
        job.refresh()

    def summary(job) -> tuple[dict, dict]:
        section = job.section("files")
        return ({"paths": section.get("paths", []), "lines": section.get("lines", 0)},
                {"job_run": job.run.pk, "files": len(section.get("paths", [])),
                 "lines": section.get("lines", 0), "penalty_accrued_accounts": section.get("accrued", 0)})

    phases = ([("kernel", _deduction_kernel(job, Path(directory), layouts, chunk)),
               ("files", _deduction_merge(Path(directory), layouts, seconds))]
              if broker_set() else [("files", files)])
    run = job_execute(job, phases, action="loans.deduction_files_batch", summary=summary)
    total = Timings(read_s=seconds.read_s, compute_s=seconds.compute_s, write_s=seconds.write_s,
                    rows=run.result.get("lines", 0), postings=job.section("files").get("accrued", 0))
    return [Path(p) for p in run.result.get("paths", [])], total


def broker_set() -> bool:
    """Whether the batches run on Celery workers (XUEDAI_BROKER_URL, :mod:`.distributed`); read here
    rather than through ``distributed.broker_url`` so the embedded path never imports Celery."""
    return bool(os.environ.get("XUEDAI_BROKER_URL"))


def _deduction_kernel(job, directory: Path, layouts: Mapping[str, object], chunk: int | None) -> Callable:
    """The partitions' part files and penalty cache, on the workers; the folder goes to them as an
    absolute path (a worker's working directory is not this process's)."""
    from xuedai.batch.deduct_parts import FileLayout
    from xuedai.batch.distributed import distributed_phase

    extra = {"directory": str(directory.resolve()),
             "layouts": {channel: FileLayout.of(layout).as_json() for channel, layout in layouts.items()}}
    return distributed_phase("deduct", size=chunk or DEFAULT_CHUNK, extra=extra)


def _deduction_merge(directory: Path, layouts: Mapping[str, object], seconds: Timings) -> Callable:
    """The coordinator's phase once every partition is recorded: the parts merged into the day's
    files (temporary names), the files recorded, then renamed, then the parts removed — a kill
    anywhere in it redoes the merge from the same parts."""

    def phase(job) -> None:
        from django.db import transaction

        from xuedai.batch import deduct_parts, partitions

        started = time.perf_counter()
        done = job.section("files").get("paths")
        if done is not None and all(Path(p).exists() for p in done):
            # Killed after the renames, before the phase was marked done: the parts may be gone.
            deduct_parts.remove_parts(directory.resolve(), job.run.pk)
            return
        plan = [partitions.Partition.from_json(row) for row in job.section("partitions")["plan"]]
        recorded = job.section("kernel")
        file_layouts = {channel: deduct_parts.FileLayout.of(layout) for channel, layout in layouts.items()}
        merged = deduct_parts.merge_parts(directory.resolve(), job.run.pk, plan, recorded, file_layouts)
        record = {"paths": [str(directory / final.name) for final, _, _ in merged],
                  "lines": sum(lines for *_, lines in merged),
                  "accrued": sum(recorded[p.key].get("postings", 0) for p in plan)}
        with transaction.atomic():
            job.progress(0, {"files": record})  # the lines were counted by their partitions
        for final, part, _ in merged:
            os.replace(part, final)
        deduct_parts.remove_parts(directory.resolve(), job.run.pk)
        seconds.write_s += time.perf_counter() - started
        job.refresh()

    return phase


# ``accrue_leftovers(account ids, job run) → accounts accrued``, in the caller's transaction.
AccrueLeftovers = Callable[[Sequence[int], object], int]


def loans_penalty(on: dt.date, *, accrue_leftovers: AccrueLeftovers, actor=None, chunk: int | None = None,
                  out=None) -> Timings:
    """The penalty accrual of ``on`` (DOMAIN.md §4 Overdue) on the Celery workers: each partition's
    kernel accounts cached in one transaction (:func:`.penalty_io.penalty_chunk`), then the
    accounts the kernel leaves handed, ``LEFTOVER_CHUNK`` at a time, to the caller's scalar service
    in this process; one job (``loans.penalty``, the scalar batch's kind), done when both are.

    Only with XUEDAI_BROKER_URL: in one process the scalar batch (``loans.batches``) stays the path."""
    from django.db import connection

    from xuedai.batch.distributed import distributed_phase
    from xuedai.batch.penalty_io import leftover_ids
    from xuedai.jobs.runner import job_execute

    job = _claim(PENALTY, on, actor=actor, out=out)

    def summary(job) -> tuple[dict, dict]:
        kernel = kernel_totals(job, "kernel")
        scalar = job.section("leftovers").get("accrued", 0)
        with connection.cursor() as cur:
            cur.execute("SELECT COALESCE(SUM(penalty_accrued), 0) FROM loans_loanaccount "
                        "WHERE penalty_accrued_on = %s", [on])
            total = cur.fetchone()[0]
        after = {"job_run": job.run.pk, "postings": 0, "kernel_accounts": kernel.rows,
                 "scalar_accounts": scalar, "penalty_accrued": f"{total:,.2f}"}
        return {"rows": kernel.rows + scalar, **after}, after

    kernel = distributed_phase("penalty", size=chunk or DEFAULT_CHUNK)
    leftovers = _scalar_phase(on, leftover_ids, accrue_leftovers, counted="accrued")
    job_execute(job, [("kernel", kernel), ("leftovers", leftovers)], action="loans.penalty_batch",
                summary=summary)
    return _with_seconds(job, "kernel", Timings(), scalar_rows=job.section("leftovers").get("accrued", 0))
