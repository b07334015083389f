"""Kill harness: every batch killed with SIGKILL at each phase boundary and at random moments, re-run
to completion, and compared with an uninterrupted run on an identical copy of the database.

    XUEDAI_PG_PORT=54332 scripts/with-postgres.sh bash -c \\
        '.venv/bin/xuedai migrate -v0 && .venv/bin/python bench/kill_batches.py --accounts 400 --random 14'

ARCHITECTURE principle 7: a batch must be idempotent and resumable under a kill at any moment, and
its job row must say done only when its whole scope is. The harness builds one portfolio on the eve
of 20 Dec 2026 (``xuedai.batch.portfolio`` contracts, each ledger opened by the loans take-on
service, then waiting credit, a relief programme and confirmed deaths on some accounts so the
kernels leave work to the scalar services), and for each batch:

1. a *pre* database: the base with the batch's earlier steps done (the settlement before the
   penalty accrual, …); every run below works on its own ``CREATE DATABASE … TEMPLATE`` copy of it;
2. the reference: the batch run once, uninterrupted, counting its *boundaries* — the moments after
   something committed (the run started, a chunk, a phase, the run done), which the batches report
   through their ``out`` callback;
3. boundary kills: for each boundary k, a forked worker kills itself (SIGKILL) right after the k-th;
   random kills: the parent kills the worker after a random delay within the reference's duration,
   up to three times in a row; then the batch is re-run to completion;
4. comparison with the reference: postings, grade records and deduction lines as multisets
   (duplicates and missing), accounts, contracts, deduction runs, early repayments, job rows and the
   batch's audit entries row by row, the deduction files' cells, stray partial files, and
   ``xuedai reconcile`` (``loans.reconcile.reconcile``) on the killed copy.

Prints one line per batch and a total; exits 1 if any bad count is not 0. Small chunk sizes make
many boundaries out of a small portfolio. ``run_harness`` is what the CI test calls.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.base")

import django  # noqa: E402

django.setup()

import kill_world  # noqa: E402
from kill_world import SETTLE_DAY, STEPS  # noqa: E402

# Batch → (earlier steps, the step killed, reconcile as of, kernels on).
SCENARIOS = {
    "settle_kernel": ([], ("settle", SETTLE_DAY), SETTLE_DAY, True),
    "settle_scalar": ([], ("settle", SETTLE_DAY), SETTLE_DAY, False),
    "penalty": ([("settle", SETTLE_DAY)], ("penalty", kill_world.QUARTER_END), kill_world.QUARTER_END, True),
    "classify_kernel": ([("settle", SETTLE_DAY), ("penalty", kill_world.QUARTER_END)],
                        ("classify", kill_world.QUARTER_END), kill_world.QUARTER_END, True),
    "classify_scalar": ([("settle", SETTLE_DAY), ("penalty", kill_world.QUARTER_END)],
                        ("classify", kill_world.QUARTER_END), kill_world.QUARTER_END, False),
    "deduction_prepare": ([("settle", SETTLE_DAY), ("early_apply", kill_world.EARLY_APPLIED)],
                          ("prepare", kill_world.EARLY_DAY), kill_world.EARLY_DAY, True),
    "deduction_files": ([("settle", SETTLE_DAY)], ("files", SETTLE_DAY), SETTLE_DAY, True),
}
BAD = ("duplicate", "missing", "mismatched", "reconcile", "not_done", "audit", "files", "failed")


@dataclass
class Tally:
    kills_boundary: int = 0
    kills_random: int = 0
    trials: int = 0
    boundaries: int = 0
    counts: Counter = field(default_factory=Counter)
    reference_reconcile: int = 0
    seconds: float = 0.0

    @property
    def kills(self) -> int:
        return self.kills_boundary + self.kills_random

    def bad(self) -> int:
        return sum(self.counts[k] for k in BAD) + self.reference_reconcile


# -- workers ------------------------------------------------------------------------------------------


def _fork(db: str, media: Path, work, *, kernels: bool = True, kill_after: int | None = None,
          ready: int | None = None, report: int | None = None) -> int:
    """Run ``work(out)`` in a forked worker on database ``db``; returns its pid.

    ``kill_after``: the worker SIGKILLs itself right after its k-th reported boundary. ``ready``:
    a pipe's write end the worker writes one byte to when the batch starts; ``report``: one the
    worker writes its JSON line to (boundaries seen, the step's result)."""
    from django.db import connections

    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        os.environ["XUEDAI_LOANS_KERNELS"] = "1" if kernels else "0"
        from django.conf import settings

        connections["default"].settings_dict["NAME"] = db
        settings.MEDIA_ROOT = media
        seen = [0]

        def out(_text: str) -> None:
            seen[0] += 1
            if kill_after is not None and seen[0] >= kill_after:
                os.kill(os.getpid(), signal.SIGKILL)

        kill_world.small_chunks()
        if ready is not None:
            os.write(ready, b"1")
        result = work(out)
        if report is not None:
            os.write(report, json.dumps({"boundaries": seen[0], "result": result}, default=str).encode())
    except BaseException:
        traceback.print_exc()
        code = 1
    os._exit(code)


def _wait(pid: int) -> str:
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        return "killed"
    return "ok" if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else "failed"


def _capture(db: str, media: Path, work, **kw) -> tuple[str, dict]:
    """A worker run to its end, its JSON line read back."""
    read, write = os.pipe()
    try:
        pid = _fork(db, media, work, report=write, **kw)
    finally:
        os.close(write)
    with os.fdopen(read) as stream:
        text = stream.read()
    outcome = _wait(pid)
    return outcome, json.loads(text) if outcome == "ok" else {}


def _step(name: str, day: dt.date):
    return lambda out: STEPS[name](day, out)


# -- one batch ------------------------------------------------------------------------------------------


def _settle_sessions(db: str) -> None:
    """Wait until a killed worker's server session has gone (its advisory lock with it)."""
    for _ in range(400):
        with kill_world.admin() as conn:
            busy = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                [db]).fetchone()[0]
        if not busy:
            return
        time.sleep(0.025)
    raise RuntimeError(f"sessions on {db} did not end")


def _copy(template: str, name: str, media: Path) -> Path:
    kill_world.create_database(name, template)
    target = media.parent / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(media / template, target) if (media / template).exists() else target.mkdir(parents=True)
    return target


def _random_kills(trial: str, media: Path, work, kernels: bool, attempts: int, rng: random.Random,
                  bound: list[float]) -> int:
    """Up to ``attempts`` workers in a row, each SIGKILLed after a random delay below ``bound[0]``;
    the bound shrinks when a worker finished first and grows back after a kill (resumed runs have
    less left to do), so kills keep landing inside the work. Returns the workers killed."""
    killed = 0
    for _ in range(attempts):
        read, write = os.pipe()
        pid = _fork(trial, media, work, kernels=kernels, ready=write)
        os.close(write)
        os.read(read, 1)
        os.close(read)
        time.sleep(rng.uniform(0, bound[0]))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if _wait(pid) == "killed":
            killed += 1
            bound[0] = min(bound[1], bound[0] * 1.2)
        else:
            bound[0] *= 0.6
        _settle_sessions(trial)
    return killed


def _trial(tally: Tally, trial: str, pre: str, media: Path, plan: tuple[str, int], scenario,
           reference: dict, rng: random.Random, bound: list[float]) -> None:
    """One copy of the pre database: killed as ``plan`` says, run to its end, compared."""
    _, (step, day), as_of, kernels = scenario
    trial_media = _copy(pre, trial, media)
    tally.trials += 1
    mode, arg = plan
    if mode == "boundary":
        pid = _fork(trial, trial_media, _step(step, day), kernels=kernels, kill_after=arg)
        tally.kills_boundary += _wait(pid) == "killed"
        _settle_sessions(trial)
    else:
        tally.kills_random += _random_kills(trial, trial_media, _step(step, day), kernels, arg, rng, bound)
    outcome, _ = _capture(trial, trial_media, _step(step, day), kernels=kernels)
    if outcome != "ok":
        tally.counts["failed"] += 1
    else:
        tally.counts.update(kill_world.compare(reference, kill_world.snapshot(trial, trial_media)))
        tally.counts["reconcile"] += kill_world.reconcile_count(trial, trial_media, as_of, _capture)
    kill_world.drop_database(trial)
    shutil.rmtree(trial_media, ignore_errors=True)


def run_batch(name: str, base: str, media: Path, rng: random.Random, *, random_kills: int,
              max_boundaries: int | None, min_kills: int = 0, out=print) -> Tally:
    """Pre database, reference run, then a trial per boundary (or a sample of ``max_boundaries``)
    and ``random_kills`` random trials — more random trials while fewer than ``min_kills`` workers
    were killed (at most twice as many)."""
    scenario = SCENARIOS[name]
    pre_steps, (step, day), as_of, kernels = scenario
    tally, started = Tally(), time.perf_counter()
    pre = f"{base}_{name}_pre"
    pre_media = _copy(base, pre, media)
    for pre_step, pre_day in pre_steps:
        if _capture(pre, pre_media, _step(pre_step, pre_day))[0] != "ok":
            raise RuntimeError(f"{name}: earlier step {pre_step} failed")
    ref = f"{base}_{name}_ref"
    ref_media = _copy(pre, ref, media)
    began = time.perf_counter()
    outcome, report = _capture(ref, ref_media, _step(step, day), kernels=kernels)
    duration = time.perf_counter() - began
    if outcome != "ok":
        raise RuntimeError(f"{name}: the uninterrupted run failed")
    tally.boundaries = report["boundaries"]
    tally.reference_reconcile = kill_world.reconcile_count(ref, ref_media, as_of, _capture)
    reference = kill_world.snapshot(ref, ref_media)
    plans = [("boundary", k) for k in range(1, tally.boundaries + 1)]
    if max_boundaries is not None and len(plans) > max_boundaries:
        plans = sorted(rng.sample(plans, max_boundaries), key=lambda p: p[1])
    plans += [("random", rng.randint(1, 3)) for _ in range(random_kills)]
    bound = [duration, duration]
    index = 0
    while index < len(plans) or (tally.kills < min_kills and index < 2 * len(plans)):
        plan = plans[index] if index < len(plans) else ("random", 3)
        _trial(tally, f"{base}_{name}_t{index}", pre, media, plan, scenario, reference, rng, bound)
        index += 1
    for db, folder in ((ref, ref_media), (pre, pre_media)):
        kill_world.drop_database(db)
        shutil.rmtree(folder, ignore_errors=True)
    tally.seconds = time.perf_counter() - started
    out(_line(name, tally))
    return tally


def _line(name: str, t: Tally) -> str:
    c = t.counts
    return (f"{name:<18} kills {t.kills:>3} (boundary {t.kills_boundary:>3} of {t.boundaries:>3}, random "
            f"{t.kills_random:>3})  trials {t.trials:>3}  duplicate {c['duplicate']}  "
            f"missing {c['missing']}  "
            f"mismatched {c['mismatched']}  reconcile {c['reconcile']} (reference {t.reference_reconcile})  "
            f"not done {c['not_done']}  audit {c['audit']}  files {c['files']}  failed {c['failed']}  "
            f"{t.seconds:.0f} s")


def run_harness(*, accounts: int, random_kills: int, batches: list[str] | None = None,
                max_boundaries: int | None = None, min_kills: int = 0, seed: int = 1,
                out=print) -> dict[str, Tally]:
    """Build the portfolio, then every batch's kills; the database in Django's settings is the
    template (migrated) and is left untouched."""
    from django.db import connections

    source = connections["default"].settings_dict["NAME"]
    kill_world.warm()
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="xuedai-kills-"))
    base = f"{source}_kill"[:40]
    try:
        media = work / "media"
        base_media = _copy(source, base, media)
        outcome, report = _capture(base, base_media, lambda out: kill_world.build(accounts))
        if outcome != "ok":
            raise RuntimeError("building the portfolio failed")
        out(f"portfolio: {report['result']}")
        return {name: run_batch(name, base, media, rng, random_kills=random_kills,
                                max_boundaries=max_boundaries, min_kills=min_kills, out=out)
                for name in (batches or list(SCENARIOS))}
    finally:
        kill_world.drop_database(base)
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--random", type=int, default=12, help="random-moment trials per batch")
    parser.add_argument("--max-boundaries", type=int, default=None, help="sample the boundaries")
    parser.add_argument("--min-kills", type=int, default=20, help="random trials added until reached")
    parser.add_argument("--batches", default="", help="comma-separated, default all: " + ",".join(SCENARIOS))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tallies = run_harness(accounts=args.accounts, random_kills=args.random, seed=args.seed,
                          batches=[b for b in args.batches.split(",") if b] or None,
                          max_boundaries=args.max_boundaries, min_kills=args.min_kills)
    total = Tally()
    for t in tallies.values():
        total.kills_boundary += t.kills_boundary
        total.kills_random += t.kills_random
        total.trials += t.trials
        total.boundaries += t.boundaries
        total.counts.update(t.counts)
        total.reference_reconcile += t.reference_reconcile
    total.seconds = time.perf_counter() - started
    print(_line("total", total))
    return 1 if total.bad() else 0


if __name__ == "__main__":
    sys.exit(main())
