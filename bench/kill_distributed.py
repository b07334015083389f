"""Kill harness for the distributed batches: one settlement on Celery workers, its workers and its
broker SIGKILLed at random points N times, then 0 duplicate and 0 missing postings and
``xuedai reconcile`` — or the counts that are not.

    XUEDAI_PG_PORT=55441 XUEDAI_PG_DIR=/tmp/xuedai-pg-55441 scripts/with-postgres.sh bash -c \\
        '.venv/bin/xuedai migrate -v0 && .venv/bin/python bench/kill_distributed.py --loans 20000 --kills 10'

The harness (``bench/kill_batches.py`` does the same for the embedded path, in-process):

1. builds a national portfolio (``xuedai.batch.national``: 31 provinces) in a copy of the configured
   database, every ledger opened by the loans take-on service as in ``bench/kill_world.py`` (so
   ``reconcile`` finds 0 differences before any batch), with reliefs, waiting credit and deaths on
   some accounts so the settlement also has a scalar phase; ``--copy-ledger`` instead loads the
   ledgers by COPY (``xuedai.batch.portfolio``: fast, but its take-on shortcut leaves the history
   out, so ``reconcile`` then differs on the reference too: the harness reports both counts);
2. runs the settlement of 20 Dec 2026 once uninterrupted on the embedded path (the reference);
3. on another copy: its own redis-server on ``--redis-port``, ``--workers`` Celery workers and the
   coordinator (``loans.batches.settlement_batch`` with XUEDAI_BROKER_URL set), all processes of
   their own; at ``--kills`` random moments spread over the run (random points of its progress, plus
   a random delay, so a kill lands inside a partition as often as between two) it SIGKILLs a worker
   or the broker, chosen at random, and starts it again after a random pause; the coordinator is
   re-run if it stops (it never should: it re-sends lost partitions and waits out a dead broker);
4. compares the killed copy with the reference — postings as a multiset (duplicate, missing), the
   accounts' cached balances, the job row done — and runs ``reconcile`` on it.

Prints the counts; exits 1 unless duplicate, missing, mismatched, not-done and reconcile (beyond the
reference's) are all 0.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.base")

import django  # noqa: E402

django.setup()

import kill_world  # noqa: E402
from django.db import connection, connections  # noqa: E402

ON = kill_world.SETTLE_DAY
POSTINGS = "SELECT account_id, business_date, kind, amount, due_on, memo FROM loans_posting"
ACCOUNTS = """SELECT contract_id, principal_outstanding, principal_due, interest_due, credit,
                     subsidy_receivable, last_settled_on, oldest_unpaid_due FROM loans_loanaccount"""


def _use(db: str) -> None:
    connections.close_all()
    connection.settings_dict["NAME"] = db


def _url(db: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{db}"


def _build(loans: int, copy_ledger: bool) -> dict:
    from xuedai.batch import national, portfolio

    if copy_ledger:
        connection.ensure_connection()
        portfolio.build(connection.connection, loans, places=national.places)
        return {"accounts": loans, "ledger": "copy"}
    return {**kill_world.build(loans, places=national.places), "ledger": "take-on"}


def _snapshot(db: str) -> dict:
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=db) as conn:
        job = conn.execute("SELECT status, progress_done FROM jobs_jobrun WHERE kind = 'loans.settlement' "
                           "AND business_date = %s", [ON]).fetchone()
        return {"postings": Counter(conn.execute(POSTINGS).fetchall()),
                "accounts": {r[0]: r[1:] for r in conn.execute(ACCOUNTS).fetchall()}, "job": job}


def _reconcile(db: str) -> int:
    from xuedai.loans.reconcile import reconcile

    _use(db)
    return sum(1 for _ in reconcile(as_of=ON))


def _reconcile_sample(db: str, ids: list[int]) -> Counter:
    """``reconcile``'s account check (cache against postings, ledger against the core engine) on
    the accounts ``ids``: their differences as a multiset. The full run costs ~10 ms an account
    (the engine replays each history), too long for 10⁵ accounts inside the harness's budget."""
    from xuedai.loans.models import LoanAccount
    from xuedai.loans.reconcile import account_differences

    _use(db)
    qs = LoanAccount.objects.filter(pk__in=ids).select_related("contract__policy_version").prefetch_related(
        "reliefs__programme", "early_repayments", "contract__rate_changes")
    return Counter(str(d) for account in qs for d in account_differences(account, ON))


class Cluster:
    """The broker and the workers of one trial, each a process of its own."""

    def __init__(self, db: str, redis_port: int, workers: int, log: Path) -> None:
        from xuedai.batch import distributed

        self.port, self.log = redis_port, log
        self.broker_url = f"redis://127.0.0.1:{redis_port}/0"
        self.env = {**os.environ, "XUEDAI_DATABASE_URL": _url(db), "XUEDAI_BROKER_URL": self.broker_url,
                    "XUEDAI_BATCH_STALL_S": "2", "XUEDAI_BATCH_VISIBILITY_S": "30"}
        self.queue = distributed.queue_name(db)
        self.argv = {f"w{i}": distributed.worker_argv(f"w{i}", self.queue) for i in range(workers)}
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str) -> None:
        out = open(self.log, "a")
        if name == "broker":
            argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", str(self.log.parent)]
        else:
            argv = self.argv[name]
        self.procs[name] = subprocess.Popen(argv, env=self.env, stdout=out, stderr=out)
        if name == "broker":
            for _ in range(100):
                ping = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True)
                if ping.returncode == 0:
                    break
                time.sleep(0.05)

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for name in list(self.procs):
            self.kill(name)


def _coordinator(env: dict, chunk: int, log: Path) -> subprocess.Popen:
    with open(log, "a") as out:
        return subprocess.Popen([sys.executable, __file__, "--coordinate", "--chunk", str(chunk)], env=env,
                                stdout=out, stderr=out)


def _progress(db: str) -> tuple[int, str | None]:
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=db) as conn:
        row = conn.execute("SELECT progress_done, status FROM jobs_jobrun WHERE kind = 'loans.settlement' "
                           "AND business_date = %s", [ON]).fetchone()
    return (row[0], row[1]) if row else (0, None)


def trial(db: str, *, kills: int, workers: int, chunk: int, redis_port: int, accounts: int,
          rng: random.Random, log: Path, out=print) -> dict:
    cluster = Cluster(db, redis_port, workers, log)
    cluster.start("broker")
    for name in cluster.argv:
        cluster.start(name)
    coordinator = _coordinator(cluster.env, chunk, log)
    # Kill points: random fractions of the accounts the kernel phase settles, in order.
    points = sorted(rng.uniform(0.02, 0.9) * accounts for _ in range(kills))
    done_kills: Counter = Counter()
    restarts = 0
    started = time.perf_counter()
    try:
        while True:
            progress, status = _progress(db)
            if points and progress >= points[0]:
                points.pop(0)
                time.sleep(rng.uniform(0, 0.4))  # inside a partition as often as between two
                victim = rng.choice(["broker", *cluster.argv])
                cluster.kill(victim)
                done_kills[victim if victim == "broker" else "worker"] += 1
                out(f"  kill {victim} at {progress:,} accounts settled")
                time.sleep(rng.uniform(0.1, 1.5))
                cluster.start(victim)
            if coordinator.poll() is not None:
                if status == "done":
                    break
                restarts += 1  # it stopped before the run was done: run it again (it resumes)
                out(f"  coordinator exited ({coordinator.returncode}) at {progress:,}: re-run")
                coordinator = _coordinator(cluster.env, chunk, log)
            if time.perf_counter() - started > 900:
                raise RuntimeError("the distributed settlement did not finish in 15 minutes")
            time.sleep(0.05)
    finally:
        if coordinator.poll() is None:
            coordinator.kill()
        cluster.stop()
    return {"kills": sum(done_kills.values()), "worker_kills": done_kills["worker"],
            "broker_kills": done_kills["broker"], "missed_kills": len(points),
            "coordinator_restarts": restarts, "seconds": round(time.perf_counter() - started, 1)}


def _default_redis_port() -> int:
    """As scripts/with-redis.sh chooses it: XUEDAI_REDIS_PORT, else the PostgreSQL port + 1000."""
    if os.environ.get("XUEDAI_REDIS_PORT"):
        return int(os.environ["XUEDAI_REDIS_PORT"])
    return int(os.environ["XUEDAI_PG_PORT"]) + 1000 if os.environ.get("XUEDAI_PG_PORT") else 56379


def coordinate(chunk: int) -> int:
    """The coordinator process: the loans settlement batch (kernels, leftovers) on the broker."""
    from xuedai.batch import runs
    from xuedai.loans import batches

    runs.DEFAULT_CHUNK = chunk
    run = batches.settlement_batch(on=ON, out=print)
    return 0 if run.status == "done" else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=20_000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=None, help="accounts per partition (default loans/40)")
    parser.add_argument("--redis-port", type=int, default=_default_redis_port())
    parser.add_argument("--copy-ledger", action="store_true", help="ledgers by COPY (fast; see the doc)")
    parser.add_argument("--reconcile-sample", type=int, default=2000,
                        help="with --copy-ledger: accounts reconciled on both copies (0: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--coordinate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    chunk = args.chunk or max(50, args.loans // 40)
    if args.coordinate:
        return coordinate(chunk)
    rng = random.Random(args.seed)
    source = connection.settings_dict["NAME"]
    base, ref, killed = f"{source}_dk_base", f"{source}_dk_ref", f"{source}_dk_trial"
    log = Path(f"/tmp/xuedai-kill-distributed-{args.redis_port}")
    log.mkdir(exist_ok=True)
    log = log / "processes.log"
    log.write_text("")
    started = time.perf_counter()
    try:
        kill_world.create_database(base, source)
        _use(base)
        built = _build(args.loans, args.copy_ledger)
        print(f"portfolio: {built}  ({time.perf_counter() - started:.0f} s)")
        for db in (ref, killed):
            kill_world.create_database(db, base)
        _use(ref)
        os.environ.pop("XUEDAI_BROKER_URL", None)
        from xuedai.batch import runs
        from xuedai.loans import batches

        runs.DEFAULT_CHUNK = chunk
        began = time.perf_counter()
        batches.settlement_batch(on=ON)
        print(f"reference (embedded): {time.perf_counter() - began:.1f} s")
        _use(killed)
        connections.close_all()
        tally = trial(killed, kills=args.kills, workers=args.workers, chunk=chunk, redis_port=args.redis_port,
                      accounts=args.loans, rng=rng, log=log)
        want, got = _snapshot(ref), _snapshot(killed)
        counts = {
            "duplicate": sum((got["postings"] - want["postings"]).values()),
            "missing": sum((want["postings"] - got["postings"]).values()),
            "mismatched": sum(1 for k in set(want["accounts"]) | set(got["accounts"])
                              if want["accounts"].get(k) != got["accounts"].get(k)),
            "not_done": 0 if got["job"] and got["job"][0] == "done" else 1,
        }
        began = time.perf_counter()
        if args.copy_ledger and args.reconcile_sample:
            every = sorted(got["accounts"])
            ids = sorted(rng.sample(every, min(args.reconcile_sample, len(every))))
            mine, theirs = _reconcile_sample(killed, ids), _reconcile_sample(ref, ids)
            counts["reconcile"] = sum(((mine - theirs) + (theirs - mine)).values())  # differing differences
            counts["reconcile_reference"] = 0
            reconciled = (f"{len(ids):,} sampled accounts, {sum(theirs.values()):,} take-on differences "
                          "in the reference")
        else:
            counts["reconcile"] = _reconcile(killed)
            counts["reconcile_reference"] = _reconcile(ref) if args.copy_ledger else 0
            reconciled = "every account"
        reconcile_s = time.perf_counter() - began
    finally:
        _use(source)
        for db in (base, ref, killed):
            kill_world.drop_database(db)
    print(f"distributed settlement of {args.loans:,} contracts, {args.workers} workers, partitions of "
          f"{chunk:,}: kills {tally['kills']} (worker {tally['worker_kills']}, "
          f"broker {tally['broker_kills']}; "
          f"missed {tally['missed_kills']}), coordinator re-runs {tally['coordinator_restarts']}, "
          f"{tally['seconds']} s")
    print(f"postings {sum(want['postings'].values()):,}: duplicate {counts['duplicate']}  "
          f"missing {counts['missing']}  accounts mismatched {counts['mismatched']}  "
          f"not done {counts['not_done']}  reconcile {counts['reconcile']} "
          f"(reference {counts['reconcile_reference']}; {reconciled}; {reconcile_s:.0f} s)  "
          f"total {time.perf_counter() - started:.0f} s")
    bad = counts["duplicate"] + counts["missing"] + counts["mismatched"] + counts["not_done"] + \
        abs(counts["reconcile"] - counts["reconcile_reference"]) + tally["missed_kills"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
