"""``xuedai bench --loans N --workers K``: the annual settlement of a national portfolio on 1 and on K
Celery workers (:mod:`.distributed`), one run, and the ratio.

The portfolio (:mod:`.national`: 31 provinces in proportion to population) is built once in the
configured database; each run works on its own copy (``CREATE DATABASE … TEMPLATE``, as
:mod:`.bench` does), so every run settles the same portfolio on the eve of the bench day. A run
starts its workers (``worker_argv``: one process, one partition at a time each), waits until they
answer a ping, then times ``loans_settlement`` end to end — planning the partitions, the tasks, the
leftovers phase, the job's audit entry — and stops them. The embedded path (one process, its two
connections) is timed on a copy too, for comparison.

Needs a broker: XUEDAI_BROKER_URL, or XUEDAI_REDIS_URL from ``scripts/with-redis.sh``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

from xuedai.batch import distributed, national, portfolio
from xuedai.batch.bench import _copy_database, _drop_database


def _provinces(conn) -> int:
    with conn.cursor() as cur:
        cur.execute("""SELECT count(DISTINCT LEFT(o.region_code, 2)) FROM origination_contract c
                        JOIN orgs_organisation o ON o.id = c.county_id WHERE c.contract_no LIKE %s""",
                    (portfolio.PREFIX + "%",))
        return cur.fetchone()[0]


def _start_workers(url: str, settings: dict, k: int) -> list[subprocess.Popen]:
    env = {**os.environ, "XUEDAI_BROKER_URL": url, "DJANGO_SETTINGS_MODULE": "xuedai.settings.base",
           "XUEDAI_DATABASE_URL": f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/"
                                  f"{settings['NAME']}"}
    queue = distributed.queue_name(settings["NAME"])
    procs = [subprocess.Popen(distributed.worker_argv(f"bench{i}", queue), env=env, stdout=subprocess.DEVNULL)
             for i in range(k)]
    distributed.app.conf.broker_url = url  # the replies to a ping come back through the app's broker
    for _ in range(120):  # until every worker answers (each imports Django, NumPy, the batches)
        if len(distributed.app.control.ping(timeout=0.5) or []) >= k:
            return procs
    raise RuntimeError("the workers did not start")


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _settle_once(connection, url: str | None, k: int, chunk: int, settle_leftovers, out) -> dict:
    from xuedai.batch.runs import loans_settlement

    source, target, copy_s = _copy_database(connection)
    procs: list[subprocess.Popen] = []
    try:
        if url:
            procs = _start_workers(url, connection.settings_dict, k)
            os.environ["XUEDAI_BROKER_URL"] = url
        else:
            os.environ.pop("XUEDAI_BROKER_URL", None)
        started = time.perf_counter()
        timings = loans_settlement(portfolio.BENCH_DAY, settle_leftovers=settle_leftovers, chunk=chunk,
                                   out=out)
        seconds = time.perf_counter() - started
        from xuedai.jobs.models import JobRun

        run = JobRun.objects.get(kind="loans.settlement", business_date=portfolio.BENCH_DAY)
        partitions = len(run.checkpoint.get("partitions", {}).get("plan", [])) or None
        return {"seconds": round(seconds, 2), "rows": timings.rows, "postings": sum(timings.counts.values()),
                "copy_db_s": round(copy_s, 1), "partitions": partitions}
    finally:
        _stop(procs)
        os.environ.pop("XUEDAI_BROKER_URL", None)
        _drop_database(connection, source, target)


def run(loans: int, *, workers: int, chunk: int, settle_leftovers=None, out=None) -> dict:
    from django.db import connection

    url = os.environ.get("XUEDAI_BROKER_URL") or os.environ.get("XUEDAI_REDIS_URL")
    if not url:
        raise SystemExit("需要消息代理 / a broker is needed: XUEDAI_BROKER_URL, or run under "
                         "scripts/with-redis.sh")
    connection.ensure_connection()
    conn = connection.connection
    have = portfolio.existing(conn)
    report: dict = {"loans": loans, "workers": workers, "chunk": chunk, "cpus": os.cpu_count()}
    if have == 0:
        started = time.perf_counter()
        portfolio.build(conn, loans, out=out, places=national.places)
        report["build_s"] = round(time.perf_counter() - started, 1)
    elif have != loans or _provinces(conn) != len(national.POPULATION):
        raise SystemExit(f"数据库已有另一基准组合（{have:,} 笔）：请换一个数据库 / the database holds "
                         "another portfolio; use another XUEDAI_PG_DIR")
    report["provinces"] = _provinces(connection.connection)
    report["embedded"] = _settle_once(connection, None, 0, chunk, settle_leftovers, out)
    report["runs"] = {}
    for k in sorted({1, workers}):
        report["runs"][k] = _settle_once(connection, url, k, chunk, settle_leftovers, out)
    one, many = report["runs"][1]["seconds"], report["runs"][workers]["seconds"]
    report["ratio"] = round(one / many, 2) if many else None
    return report


def table(report: dict) -> str:
    lines = [f"national portfolio {report['loans']:,} contracts, {report['provinces']} provinces, "
             f"partitions of ≤ {report['chunk']:,} accounts, {report['cpus']} CPUs",
             f"{'run':<22}{'seconds':>9}{'accounts':>11}{'postings':>11}{'partitions':>12}"]
    rows = [("embedded (1 process)", report["embedded"])] + [
        (f"celery, {k} worker{'s' if k > 1 else ''}", r) for k, r in report["runs"].items()]
    for name, r in rows:
        lines.append(f"{name:<22}{r['seconds']:>9.2f}{r['rows']:>11,}{r['postings']:>11,}"
                     f"{r['partitions'] or '-':>12}")
    lines.append(f"ratio 1 worker / {report['workers']} workers: {report['ratio']}×")
    return "\n".join(lines)
