"""The quarter-end set on PostgreSQL (issue 10 §7): classification + snapshot + every unit's 认定表
and 逾期情况统计表, for the benchmark portfolio (``xuedai.batch.portfolio``, N home-county contracts
in 100 counties, 5 % one year and 1 % two years in arrears).

    XUEDAI_PG_PORT=54351 XUEDAI_PG_DIR=/tmp/xuedai-pg-54351-bench XUEDAI_PG_KEEP=1 scripts/with-postgres.sh \
        .venv/bin/python bench/bench_quarter_end.py --loans 1000000

Stages, each through the same entry point the pages and batches use, all set-based:

1. ``runs.loans_classification`` at 30 Sep 2026 (sparse, as the 10⁷ target needs: records only for
   accounts not 正常 or whose grade changed);
2. ``reports.quarter.snapshot.quarter_snapshot_take``: sparse — rows only for contracts not 正常 (or
   overdue, designated, moved), the 正常-and-unchanged as one line per unit × project year (one
   GROUP BY); then overdue amounts from the ledger, relief hold, designations, moves (per-statement
   seconds printed, and the classification's read / compute / write);
3. every unit's 认定表 headline (``figures.unit_summary``: one GROUP BY for all units and years) and
   every unit's 逾期情况统计表 (``figures.overdue_statistics_all``: one GROUP BY);
4. one unit's full 认定表 (``figures.quality_figures``), the cost of one page;
5. not timed: the snapshot's overdue amounts checked against each overdue contract's whole ledger
   (``overdue_against_whole_ledger``: rows that differ, expected 0).

The portfolio is built once (kept with XUEDAI_PG_KEEP=1); a re-run on a built database drops the
previous snapshot and grades of the day first, so each run measures the same work.
"""

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from xuedai.batch import portfolio  # noqa: E402
from xuedai.batch.runs import CLASSIFICATION, loans_classification  # noqa: E402
from xuedai.jobs.models import JobRun  # noqa: E402
from xuedai.loans.batches import grade_overrides  # noqa: E402
from xuedai.reports.quarter import figures  # noqa: E402
from xuedai.reports.quarter.snapshot import _effect_sql, quarter_snapshot_take  # noqa: E402

QUARTER_END = dt.date(2026, 9, 30)


def _reset(cur) -> None:
    """Forget a previous run's quarter end, so every run does the same work (bench data only)."""
    cur.execute("DELETE FROM reports_grademove")
    cur.execute("DELETE FROM reports_qualityreportversion")
    cur.execute("DELETE FROM reports_qualityreport")
    cur.execute("DELETE FROM reports_quartergrade")
    cur.execute("DELETE FROM reports_quarternormalline")
    cur.execute("DELETE FROM reports_quartersnapshot")
    cur.execute("DELETE FROM loans_graderecord WHERE as_of = %s", [QUARTER_END])
    cur.execute(
        "UPDATE loans_loanaccount SET graded_on = %s WHERE graded_on = %s",
        [portfolio.PREVIOUS_QUARTER_END, QUARTER_END],
    )
    JobRun.objects.filter(kind=CLASSIFICATION, business_date=QUARTER_END).delete()


def timed(results: dict, label: str, fn):
    started = time.perf_counter()
    value = fn()
    results[label] = round(time.perf_counter() - started, 2)
    print(f"  {label}: {results[label]} s", file=sys.stderr, flush=True)
    return value


class StatementTimes:
    """Seconds per SQL statement of a stage (``connection.execute_wrapper``), to see where it goes."""

    def __init__(self) -> None:
        self.times: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times.append((time.perf_counter() - started, " ".join(str(sql).split())[:70]))

    def top(self, n: int = 8) -> list[str]:
        return [f"{t:.2f} s {sql}" for t, sql in sorted(self.times, reverse=True)[:n]]


def overdue_check(cur, snapshot_id: int) -> dict:
    """The snapshot's overdue amounts (cache less the postings after the day) against each overdue
    contract's whole ledger up to the day, the way the snapshot used to sum them: rows that differ."""
    cur.execute(f"""
        SELECT COUNT(*), COALESCE(SUM(o.principal), 0), COALESCE(SUM(o.interest), 0),
               COUNT(*) FILTER (WHERE q.principal_overdue <> o.principal OR q.interest_overdue <> o.interest)
          FROM reports_quartergrade q
          JOIN (SELECT p.account_id, {_effect_sql("principal_due")} AS principal,
                       {_effect_sql("interest_due")} AS interest
                  FROM reports_quartergrade d
                  JOIN loans_posting p ON p.account_id = d.contract_id AND p.business_date <= %(on)s
                  LEFT JOIN loans_posting r ON r.id = p.reverses_id
                 WHERE d.snapshot_id = %(snapshot)s AND d.oldest_unpaid_due IS NOT NULL
                 GROUP BY p.account_id) AS o ON o.account_id = q.contract_id
         WHERE q.snapshot_id = %(snapshot)s""", {"on": QUARTER_END, "snapshot": snapshot_id})
    rows, principal, interest, differing = cur.fetchone()
    return {"rows": rows, "principal": str(principal), "interest": str(interest), "rows_differing": differing}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loans", type=int, default=1_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("needs PostgreSQL: scripts/with-postgres.sh")
    call_command("migrate", verbosity=0)
    connection.ensure_connection()
    conn = connection.connection
    have = portfolio.existing(conn)
    report: dict = {"loans": args.loans}
    if have not in (0, args.loans):
        raise SystemExit(f"the database holds a {have:,}-contract portfolio; use another XUEDAI_PG_DIR")
    if have == 0:
        timed(report, "build_portfolio_s", lambda: portfolio.build(conn, args.loans))
    with connection.cursor() as cur:
        _reset(cur)
    stages: dict = {}
    classified = timed(
        stages,
        "classify_s",
        lambda: loans_classification(QUARTER_END, overrides=grade_overrides, dense=False),
    )
    statements = StatementTimes()
    with connection.execute_wrapper(statements):
        snapshot = timed(stages, "snapshot_s", lambda: quarter_snapshot_take(actor=None, on=QUARTER_END))
    summary = timed(stages, "all_quality_tables_s", lambda: figures.unit_summary(snapshot))
    overdue = timed(stages, "all_overdue_tables_s", lambda: figures.overdue_statistics_all(snapshot))
    stages["quarter_end_set_s"] = round(sum(stages.values()), 2)
    first = summary[0]
    timed(
        stages,
        "one_unit_table_s",
        lambda: figures.quality_figures(snapshot, first["unit_id"], first["project_year"]),
    )
    with connection.cursor() as cur:
        cur.execute(
            "SELECT rank, COUNT(*), SUM(principal_outstanding) FROM reports_quartergrade "
            "WHERE snapshot_id = %s GROUP BY rank ORDER BY rank",
            [snapshot.pk],
        )
        grades = {figures.GRADE_LABELS[r]: [n, s] for r, n, s in cur.fetchall()}
        cur.execute(
            "SELECT COUNT(*), SUM(contracts), SUM(balance) FROM reports_quarternormalline "
            "WHERE snapshot_id = %s",
            [snapshot.pk],
        )
        lines, in_lines, line_balance = cur.fetchone()
        normal = grades.setdefault(figures.GRADE_LABELS[0], [0, 0])
        normal[0], normal[1] = normal[0] + (in_lines or 0), normal[1] + (line_balance or 0)
        grades = {label: {"contracts": n, "balance": str(s)} for label, (n, s) in grades.items()}
        checked = overdue_check(cur, snapshot.pk)
    report.update(
        classification_seconds={
            "read": round(classified.read_s, 2),
            "compute": round(classified.compute_s, 2),
            "write": round(classified.write_s, 2),
            "accounts_read": classified.rows,
            "records": classified.postings,
        },
        snapshot_statements=statements.top(),
        snapshot_rows=snapshot.contracts - (in_lines or 0),
        normal_lines=lines,
        stages=stages,
        contracts=snapshot.contracts,
        grades=grades,
        overdue_against_whole_ledger=checked,
        quality_tables=len(summary),
        overdue_tables=len(overdue),
    )
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
