"""The distributed batches (``xuedai.batch.distributed``) with a real Redis and real Celery worker
processes on PostgreSQL — no mocks, no eager mode: the same postings and grades as the embedded path
on a small national portfolio, and a partition whose worker is killed in the middle of it (postings
written, not committed) retried by another worker and posted once.

Needs a Redis server: ``scripts/with-redis.sh`` exports XUEDAI_REDIS_URL (``scripts/test.sh`` runs
the PostgreSQL lane under it); without one these tests are skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import threading
import time
from collections import Counter

import numpy as np
import psycopg
import pytest
from django.db import connection, connections

from xuedai.batch import distributed, national, portfolio
from xuedai.batch.runs import loans_classification, loans_settlement
from xuedai.jobs.models import JobRun, JobStatus

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("migration_data")]

ON = portfolio.BENCH_DAY
QUARTER_END = dt.date(2026, 12, 31)
POSTINGS = "SELECT account_id, business_date, kind, amount, due_on, memo FROM loans_posting"
ACCOUNTS = """SELECT contract_id, principal_due, interest_due, subsidy_receivable, last_settled_on,
                     oldest_unpaid_due, grade, graded_on FROM loans_loanaccount"""
GRADES = "SELECT account_id, as_of, rule, grade, days_overdue FROM loans_graderecord"


@pytest.fixture
def broker(monkeypatch):
    url = os.environ.get("XUEDAI_REDIS_URL")
    if connection.vendor != "postgresql":
        pytest.skip("the distributed batches need PostgreSQL")
    if not url:
        pytest.skip("no Redis: run under scripts/with-redis.sh (scripts/test.sh does)")
    monkeypatch.setenv("XUEDAI_BROKER_URL", url)
    monkeypatch.setattr(distributed, "STALL_S", 1.5)  # a lost partition re-sent quickly
    return url


class Workers:
    """Celery worker processes on this test's database, stopped (killed) at the end."""

    def __init__(self, url: str) -> None:
        self.url, self.procs = url, {}
        s = connection.settings_dict
        self.env = {**os.environ, "XUEDAI_BROKER_URL": url, "DJANGO_SETTINGS_MODULE": "xuedai.settings.base",
                    "XUEDAI_BATCH_VISIBILITY_S": "30",
                    "XUEDAI_DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"}
        self.queue = distributed.queue_name(s["NAME"])

    def start(self, name: str) -> subprocess.Popen:
        proc = subprocess.Popen(distributed.worker_argv(name, self.queue), env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs[name] = proc
        return proc

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for name in list(self.procs):
            self.kill(name)


@pytest.fixture
def workers(broker):
    pool = Workers(broker)
    yield pool
    pool.stop()


def _admin():
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], dbname="postgres", autocommit=True)


def _snapshot(db: str) -> dict:
    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=db) as conn:
        return {"postings": Counter(conn.execute(POSTINGS).fetchall()),
                "grades": Counter(conn.execute(GRADES).fetchall()),
                "accounts": {r[0]: r[1:] for r in conn.execute(ACCOUNTS).fetchall()}}


def _embedded_reference(steps, snapshot=None) -> dict:
    """The steps run by the embedded path on a copy of this database; the copy's snapshot
    (``snapshot(database name)``, by default postings, grades and accounts)."""
    source = connection.settings_dict["NAME"]
    copy = f"{source}_embedded"
    connections.close_all()
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    connection.settings_dict["NAME"] = copy
    saved = os.environ.pop("XUEDAI_BROKER_URL")
    try:
        for step in steps:
            step()
        return (snapshot or _snapshot)(copy)
    finally:
        os.environ["XUEDAI_BROKER_URL"] = saved
        connections.close_all()
        connection.settings_dict["NAME"] = source
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def _build(n: int) -> None:
    connection.ensure_connection()
    portfolio.build(connection.connection, n, chunk=400, places=national.places)


def test_distributed_settlement_and_classification_post_what_the_embedded_path_posts(workers):
    _build(480)
    steps = [lambda: loans_settlement(ON, chunk=25), lambda: loans_classification(QUARTER_END, chunk=25)]
    reference = _embedded_reference(steps)
    assert sum(reference["postings"].values()) > 480  # the day posts interest (and principal)
    workers.start("w1")
    workers.start("w2")

    for step in steps:
        step()

    got = _snapshot(connection.settings_dict["NAME"])
    assert got["postings"] == reference["postings"]
    assert got["grades"] == reference["grades"]
    assert got["accounts"] == reference["accounts"]
    run = JobRun.objects.get(kind="loans.settlement", business_date=ON)
    assert run.status == JobStatus.DONE
    plan = run.checkpoint["partitions"]["plan"]
    # Partitioned by province (the provinces with a borrower at this size: not Tibet or Qinghai) …
    populated = int((np.diff(national.borrower_bounds(480 // 4), prepend=0) > 0).sum())
    assert len({province for province, *_ in plan}) == populated >= 25
    assert len(plan) > 31  # … and by id range within the larger ones
    assert set(run.checkpoint["kernel"]) == {f"{p}:{lo}" for p, lo, *_ in plan}
    assert run.progress_done == 480 == sum(entry["rows"] for entry in run.checkpoint["kernel"].values())


def kill_mid_partition(workers, victim: int, coordinate, before_kill=None) -> None:
    """Hold ``victim``'s account row so that the worker doing its partition stops in the partition's
    last write (the cache UPDATE), SIGKILL it there (``before_kill()`` first: a look at what it had
    written), then let another worker retry the partition."""
    s = connection.settings_dict
    holder = psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=s["NAME"])
    holder.execute("SELECT 1 FROM loans_loanaccount WHERE contract_id = %s FOR UPDATE", [victim])
    errors: list[BaseException] = []

    def run() -> None:
        try:
            coordinate()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    waiting = None
    with _admin() as watch:
        for _ in range(600):
            waiting = watch.execute("""SELECT pid, query FROM pg_stat_activity WHERE datname = %s
                                         AND wait_event_type = 'Lock'""", [s["NAME"]]).fetchone()
            if waiting:
                break
            time.sleep(0.05)
    assert waiting is not None and "loans_loanaccount" in waiting[1], "the worker never reached the lock"
    if before_kill:
        before_kill()
    workers.kill("w1")
    holder.rollback()
    holder.close()
    workers.start("w2")
    thread.join(timeout=120)
    assert not thread.is_alive() and errors == []


def test_a_partition_whose_worker_is_killed_mid_write_is_retried_and_posted_once(workers):
    _build(240)
    reference = _embedded_reference([lambda: loans_settlement(ON, chunk=20)])
    victim = max(a for a, *_ in reference["postings"])  # the last account: in Xinjiang's last partition
    # The worker that settles the victim's partition writes the partition's postings, then waits on
    # the victim's row lock in the UPDATE of the cached balances — killed there, with its postings
    # uncommitted.
    workers.start("w1")
    kill_mid_partition(workers, victim, lambda: loans_settlement(ON, chunk=20))
    s = connection.settings_dict
    got = _snapshot(s["NAME"])
    assert got["postings"] == reference["postings"]  # nothing twice, nothing missing
    assert got["accounts"] == reference["accounts"]
    run = JobRun.objects.get(kind="loans.settlement", business_date=ON)
    assert run.status == JobStatus.DONE and run.progress_done == 240
