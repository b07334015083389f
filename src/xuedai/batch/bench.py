"""``xuedai bench --loans N``: the portfolio batches end to end on PostgreSQL, timed.

1. The N-contract portfolio (:mod:`.portfolio`) is built in the configured database once and reused
   when it is already there with that size.
2. Each run works on a copy (``CREATE DATABASE … TEMPLATE``, a file copy), so the portfolio stays
   on the eve of the bench day and every run measures the same work; the copy is dropped after.
3. Stages, each through the same entry point the loans batches use (:mod:`.runs`, with the loans
   app's scalar phases passed in by ``xuedai bench``): the annual
   settlement on 20 Dec (read, kernel, postings and balances written), that day's deduction file,
   the quarter-end classification of 30 Sep (run first, on the portfolio as it stands).
4. The scalar core on a sample: the same settlement computed contract by contract with the core's
   functions (``split_by_payer``, ``stretch_accrual``, ``default_principal_plan``,
   ``principal_due_on``), checked equal to the kernel, and the engine walk (``simulate``) that the
   scalar loans services replay.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from xuedai.batch import exact, io, portfolio
from xuedai.batch.settle_io import READ, SELECTION, compute, first_principal_due, policy_columns

QUARTER_END = dt.date(2026, 9, 30)
RUN_DB_SUFFIX = "_benchrun"


def _stage(timings, wall: float) -> dict:
    in_batch = round(timings.rows / timings.compute_s) if timings.compute_s else None
    return {
        "compute_loans_per_s_in_batch": in_batch,
        "end_to_end_s": round(wall, 3), "read_s": round(timings.read_s, 3),
        "compute_s": round(timings.compute_s, 4), "write_s": round(timings.write_s, 3),
        "rows": timings.rows, "written": timings.postings,
    }


def _admin(settings_dict: dict):
    import psycopg

    return psycopg.connect(host=settings_dict["HOST"], port=settings_dict["PORT"] or 5432,
                           user=settings_dict["USER"], password=settings_dict["PASSWORD"] or None,
                           dbname="postgres", autocommit=True)


def _copy_database(connection) -> tuple[str, str, float]:
    """A fresh copy of the portfolio database; Django is pointed at it."""
    source = connection.settings_dict["NAME"]
    target = source + RUN_DB_SUFFIX
    connection.close()
    started = time.perf_counter()
    with _admin(connection.settings_dict) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}" STRATEGY FILE_COPY')
    connection.settings_dict["NAME"] = target
    return source, target, time.perf_counter() - started


def _drop_database(connection, source: str, target: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = source
    with _admin(connection.settings_dict) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')


def scalar_sample(conn, on: int, size: int, engine_size: int) -> dict:
    """The core, contract by contract, on ``size`` accounts: loans/s, and equality with the kernel."""
    from xuedai.core.daycount import MonthDay
    from xuedai.core.engine import simulate
    from xuedai.core.interest import Accrual, stretch_accrual
    from xuedai.core.schedule import default_principal_plan, principal_due_on, settlement_dates
    from xuedai.core.subsidy import Period, split_by_payer
    from xuedai.core.terms import LoanTerms

    cols = io.copy_out(conn, READ, SELECTION + " ORDER BY 1 LIMIT %(size)s",
                       {"on": exact.to_date(on), "lo": 0, "hi": 2**62, "size": size})
    policies = policy_columns(conn)
    kernel = compute(on, cols, policies)
    pv = cols["policy"]
    first = first_principal_due(cols["self_pay_from"], policies["month"][pv], policies["dom"][pv],
                                policies["grace"][pv])
    rows = [
        (exact.yuan(p), exact.yuan(nyd), Decimal(int(r)) / exact.RATE_SCALE, *map(exact.to_date, dates),
         MonthDay(int(policies["month"][v]), int(policies["dom"][v])),
         "actual_360" if policies["actual_360"][v] else "pboc")
        for p, nyd, r, v, *dates in zip(cols["principal"], cols["not_yet_due"], cols["rate"], pv,
                                        cols["disbursed_on"], cols["maturity"], cols["period_start"],
                                        cols["self_pay_from"], first, strict=True)
    ]
    day = exact.to_date(on)
    started = time.perf_counter()
    results = []
    for principal, nyd, rate, disbursed, maturity, start, self_pay, first_due, md, basis in rows:
        dates = settlement_dates(disbursed, maturity, md)
        periods = (Period(self_pay),) if self_pay else ()
        shares = {"state": Accrual(), "borrower": Accrual()}
        for a, b, payer in split_by_payer(start, day, periods):
            shares[payer] += stretch_accrual(nyd, rate, a, b, basis)
        plan = (default_principal_plan(principal, first_due, dates)
                if first_due is not None and first_due <= maturity else [])
        due = principal_due_on(day, plan, maturity, nyd) if day in dates else Decimal(0)
        results.append((shares["state"].rounded(), shares["borrower"].rounded(), due))
    elapsed = time.perf_counter() - started
    settles = kernel["settles"]
    got = [(exact.yuan(s), exact.yuan(b), exact.yuan(p)) if ok else (r[0] * 0, r[1] * 0, r[2] * 0)
           for s, b, p, ok, r in zip(kernel["subsidy_interest"], kernel["borrower_interest"],
                                     kernel["principal_due"], settles, results, strict=True)]
    want = [r if ok else (r[0] * 0, r[1] * 0, r[2] * 0) for r, ok in zip(results, settles, strict=True)]
    started = time.perf_counter()
    for principal, _, rate, disbursed, maturity, _, self_pay, first_due, md, basis in rows[:engine_size]:
        dates = settlement_dates(disbursed, maturity, md)
        plan = (default_principal_plan(principal, first_due, dates)
                if first_due is not None and first_due <= maturity else [])
        simulate(LoanTerms(principal, disbursed, rate, maturity, basis,
                           (Period(self_pay),) if self_pay else (), md, tuple(plan)), day)
    engine_elapsed = time.perf_counter() - started
    return {"scalar_loans_per_s": round(len(rows) / elapsed) if elapsed else None,
            "scalar_engine_loans_per_s": round(min(engine_size, len(rows)) / engine_elapsed)
            if engine_elapsed else None,
            "scalar_sample": len(rows), "kernel_equals_scalar": got == want}


def kernel_throughput(conn, on: int, quarter_end: int, repeat: int = 3) -> dict:
    """Kernel loans/s on the whole portfolio's columns, in memory, chunked as the batches call it
    (:func:`xuedai.batch.parallel.map_chunks`: one thread unless XUEDAI_BATCH_THREADS says more),
    best of ``repeat``: what the kernels cost without the database (in a batch they share the CPU
    with PostgreSQL's backends)."""
    from xuedai.batch.classify_kernel import grade_2023, grade_seed
    from xuedai.batch.parallel import map_chunks

    cols = io.copy_out(conn, READ, SELECTION, {"on": exact.to_date(on), "lo": 0, "hi": 2**62})
    policies = policy_columns(conn)
    n = len(cols["id"])
    best = {"settle": float("inf"), "classify": float("inf")}
    oldest = cols["oldest"]
    for _ in range(repeat):
        started = time.perf_counter()
        compute(on, cols, policies)
        best["settle"] = min(best["settle"], time.perf_counter() - started)
        started = time.perf_counter()
        map_chunks(lambda due: {"seed": grade_seed(due, quarter_end), "new": grade_2023(due, quarter_end)},
                   n, due=oldest)
        best["classify"] = min(best["classify"], time.perf_counter() - started)
    return {name: round(n / seconds) for name, seconds in best.items()}


def run(loans: int, *, chunk: int, layouts, settle_leftovers=None, overrides=None, sample: int = 2000,
        keep_run: bool = False, dense: bool = False, in_place: bool = False, out=None) -> dict:
    """The bench; ``layouts``, ``settle_leftovers`` and ``overrides`` are the loans app's (the
    deduction layouts and the two scalar phases of :mod:`.runs`), passed by ``xuedai bench``."""
    from django.db import connection

    from xuedai.batch.runs import loans_classification, loans_deduction_files, loans_settlement

    connection.ensure_connection()
    conn = connection.connection
    have = portfolio.existing(conn)
    report: dict = {"loans": loans}
    if have not in (0, loans):
        raise SystemExit(f"数据库已有 {have:,} 笔基准合同（不是 {loans:,}）：请换一个数据库 / "
                         f"the database holds a {have:,}-contract portfolio; use another XUEDAI_PG_DIR")
    if have == 0:
        started = time.perf_counter()
        portfolio.build(conn, loans, out=out)
        report["build_s"] = round(time.perf_counter() - started, 1)
    with conn.cursor() as cur:
        cur.execute("SELECT EXISTS (SELECT 1 FROM loans_loanaccount WHERE last_settled_on >= %s)",
                    (portfolio.BENCH_DAY,))
        if cur.fetchone()[0]:
            raise SystemExit("基准组合已被 --in-place 运行消耗，请重建 / "
                             "the portfolio was used in place; rebuild it")
    if in_place:  # no room for a copy (10⁷ contracts take ~35 GB): the run consumes the portfolio
        source = target = None
    else:
        source, target, copy_s = _copy_database(connection)
        report["copy_db_s"] = round(copy_s, 1)
    try:
        stages = {}
        on = portfolio.BENCH_DAY
        connection.ensure_connection()
        report.update(scalar_sample(connection.connection, exact.day(on), sample, min(sample, 200)))
        throughput = kernel_throughput(connection.connection, exact.day(on), exact.day(QUARTER_END))
        # The quarter end before the bench day's settlement: the portfolio as it stands on its eve.
        started = time.perf_counter()
        timings = loans_classification(QUARTER_END, overrides=overrides, chunk=chunk, dense=dense, out=out)
        stages["classify"] = _stage(timings, time.perf_counter() - started)
        stages["classify"]["grades"] = timings.totals
        stages["classify"]["mode"] = "dense" if dense else "sparse"
        started = time.perf_counter()
        timings = loans_settlement(on, settle_leftovers=settle_leftovers, chunk=chunk, out=out)
        stages["settle"] = _stage(timings, time.perf_counter() - started)
        stages["settle"]["totals_fen"] = timings.totals
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            paths, timings = loans_deduction_files(on, Path(folder), layouts=layouts)
            stages["deduct_file"] = _stage(timings, time.perf_counter() - started)
            stages["deduct_file"]["bytes"] = sum(p.stat().st_size for p in paths)
        report["stages"] = stages
        for name, loans_per_s in throughput.items():
            stages[name]["compute_loans_per_s"] = loans_per_s
        stages["deduct_file"]["compute_loans_per_s"] = stages["deduct_file"]["compute_loans_per_s_in_batch"]
    finally:
        if target and not keep_run:
            _drop_database(connection, source, target)
    settle = report["stages"]["settle"]
    if settle.get("compute_loans_per_s") and report.get("scalar_loans_per_s"):
        report["ratio"] = round(settle["compute_loans_per_s"] / report["scalar_loans_per_s"])
    return report


def table(report: dict) -> str:
    lines = [f"loans {report['loans']:,}  (scalar core {report.get('scalar_loans_per_s'):,} loans/s, "
             f"engine walk {report.get('scalar_engine_loans_per_s'):,} loans/s, "
             f"kernel = core: {report.get('kernel_equals_scalar')})",
             f"{'stage':<12}{'rows':>12}{'read s':>9}{'compute s':>11}{'write s':>9}{'total s':>9}"
             f"{'compute loans/s':>17}"]
    for name, s in report["stages"].items():
        lines.append(f"{name:<12}{s['rows']:>12,}{s['read_s']:>9.2f}{s['compute_s']:>11.3f}"
                     f"{s['write_s']:>9.2f}{s['end_to_end_s']:>9.2f}{s.get('compute_loans_per_s') or 0:>17,}")
    return "\n".join(lines)

