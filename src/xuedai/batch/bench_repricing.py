"""``xuedai bench --loans N --repriced 0.3``: the settlement with and without rate changes, one run.

Issue 12 item 7: the annual settlement at N contracts with a share repriced (a rate change inside
the settled period, as the 2023 cut and the 1 January LPR resets give) must stay within 20 % of the
settlement with none. Both are measured in the same run, each on its own copy of the portfolio
(:mod:`.bench`), through the loans batches' entry point (``runs.loans_settlement``):

1. ``none``: the portfolio as built (no ``loans_ratechange`` rows);
2. ``repriced``: every contract whose id mod 10 is below ``share × 10`` gets a cut of 25 bp from
   1 Jan 2026 (inside the period 20 Dec 2025 → 20 Dec 2026), and a third of those a second one of
   10 bp from 1 Jul 2026 (two changes in one period: the kernel's K = 2), written with one
   ``INSERT … SELECT``; before the settlement a sample of repriced accounts is computed by the
   kernel and by the scalar core (``split_by_payer`` then ``split_by_rate``) and compared.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from xuedai.batch import exact, io, portfolio
from xuedai.batch.bench import _copy_database, _drop_database, _stage
from xuedai.batch.settle_io import (
    RATE_CHANGES_FROM,
    RATE_CHANGES_READ,
    READ,
    SELECTION,
    compute,
    policy_columns,
)

FIRST_CUT, SECOND_CUT = dt.date(2026, 1, 1), dt.date(2026, 7, 1)


def reprice(conn, share: float) -> int:
    """Write the rate changes of the ``repriced`` run; returns the contracts repriced."""
    tenths = round(share * 10)
    with conn.cursor() as cur:
        cur.execute(
            """
            INSERT INTO loans_ratechange (contract_id, effective_from, annual_rate, reason, rule_version_id,
                                          lpr_published_on, recorded_at)
            SELECT c.id, %(first)s, c.annual_rate - 0.0025, 'lpr', c.policy_version_id, NULL, now()
              FROM origination_contract c
             WHERE c.contract_no LIKE %(prefix)s AND c.id %% 10 < %(tenths)s
               AND c.disbursed_on < %(first)s AND c.maturity_date > %(first)s""",
            {"first": FIRST_CUT, "prefix": portfolio.PREFIX + "%", "tenths": tenths},
        )
        repriced = cur.rowcount
        cur.execute(
            """
            INSERT INTO loans_ratechange (contract_id, effective_from, annual_rate, reason, rule_version_id,
                                          lpr_published_on, recorded_at)
            SELECT r.contract_id, %(second)s, r.annual_rate - 0.0010, 'lpr', r.rule_version_id, NULL, now()
              FROM loans_ratechange r JOIN origination_contract c ON c.id = r.contract_id
             WHERE r.effective_from = %(first)s AND c.id %% 3 = 0 AND c.maturity_date > %(second)s""",
            {"first": FIRST_CUT, "second": SECOND_CUT},
        )
    conn.commit()
    with conn.cursor() as cur:
        cur.execute("ANALYZE loans_ratechange")
    conn.commit()
    return repriced


def scalar_check(conn, on: int, size: int) -> dict:
    """Kernel vs scalar core on ``size`` repriced accounts (interest only: the principal due does
    not depend on the rate)."""
    from xuedai.core.interest import Accrual, stretch_accrual
    from xuedai.core.rates import RateChange, split_by_rate
    from xuedai.core.subsidy import Period, split_by_payer

    params = {"on": exact.to_date(on), "lo": 0, "hi": 2**62, "size": size}
    where = SELECTION + " AND EXISTS (SELECT 1 FROM loans_ratechange r WHERE r.contract_id = a.contract_id)"
    cols = io.copy_out(conn, READ, where + " ORDER BY 1 LIMIT %(size)s", params)
    if len(cols["id"]) == 0:
        return {"repriced_sample": 0}
    params["hi"] = int(cols["id"].max())
    changes = io.copy_out(conn, RATE_CHANGES_READ, RATE_CHANGES_FROM, params)
    policies = policy_columns(conn)
    kernel = compute(on, cols, policies, changes)
    by_id: dict[int, list[RateChange]] = {}
    for cid, day, rate in zip(changes["id"], changes["day"], changes["rate"], strict=True):
        by_id.setdefault(int(cid), []).append(
            RateChange(exact.to_date(day), Decimal(int(rate)) / exact.RATE_SCALE)
        )
    pv = cols["policy"]
    day = exact.to_date(on)
    same = 0
    for i, cid in enumerate(cols["id"]):
        start, self_pay = exact.to_date(cols["period_start"][i]), exact.to_date(cols["self_pay_from"][i])
        signing = Decimal(int(cols["rate"][i])) / exact.RATE_SCALE
        basis = "actual_360" if policies["actual_360"][pv[i]] else "pboc"
        shares = {"state": Accrual(), "borrower": Accrual()}
        for a, b, payer in split_by_payer(start, day, (Period(self_pay),) if self_pay else ()):
            for c, d, rate in split_by_rate(a, b, signing, by_id.get(int(cid), [])):
                shares[payer] += stretch_accrual(exact.yuan(cols["not_yet_due"][i]), rate, c, d, basis)
        want = (exact.fen(shares["state"].rounded()), exact.fen(shares["borrower"].rounded()))
        got = (int(kernel["subsidy_interest"][i]), int(kernel["borrower_interest"][i]))
        same += (want == got) or not bool(kernel["settles"][i])
    return {"repriced_sample": len(cols["id"]), "repriced_kernel_equals_scalar": same == len(cols["id"])}


def _settle(on: dt.date, *, chunk: int, settle_leftovers, out) -> dict:
    from xuedai.batch.runs import loans_settlement

    started = time.perf_counter()
    timings = loans_settlement(on, settle_leftovers=settle_leftovers, chunk=chunk, out=out)
    stage = _stage(timings, time.perf_counter() - started)
    stage["totals_fen"] = timings.totals
    return stage


def run(loans: int, *, share: float, chunk: int, settle_leftovers=None, sample: int = 2000, out=None) -> dict:
    from django.db import connection

    connection.ensure_connection()
    have = portfolio.existing(connection.connection)
    if have not in (0, loans):
        raise SystemExit(f"数据库已有 {have:,} 笔基准合同（不是 {loans:,}）/ the database holds {have:,}")
    report: dict = {"loans": loans, "repriced_share": share}
    if have == 0:
        started = time.perf_counter()
        portfolio.build(connection.connection, loans, out=out)
        report["build_s"] = round(time.perf_counter() - started, 1)
    on = portfolio.BENCH_DAY
    for name in ("none", "repriced"):
        source, target, _ = _copy_database(connection)
        try:
            connection.ensure_connection()
            if name == "repriced":
                report["repriced_contracts"] = reprice(connection.connection, share)
                report.update(scalar_check(connection.connection, exact.day(on), sample))
            report[name] = _settle(on, chunk=chunk, settle_leftovers=settle_leftovers, out=out)
        finally:
            _drop_database(connection, source, target)
    none, repriced = report["none"]["end_to_end_s"], report["repriced"]["end_to_end_s"]
    report["repriced_over_none"] = round(repriced / none, 3) if none else None
    report["within_20_percent"] = bool(none) and repriced <= 1.2 * none
    return report


def table(report: dict) -> str:
    lines = [
        f"settlement at {report['loans']:,} contracts, {report['repriced_share']:.0%} repriced vs none "
        f"({report.get('repriced_contracts', 0):,} repriced; kernel = core on "
        f"{report.get('repriced_sample', 0):,} repriced: {report.get('repriced_kernel_equals_scalar')})",
        f"{'run':<10}{'rows':>12}{'read s':>9}{'compute s':>11}{'write s':>9}{'total s':>9}"
        f"{'loans/s in batch':>18}",
    ]
    for name in ("none", "repriced"):
        s = report[name]
        lines.append(
            f"{name:<10}{s['rows']:>12,}{s['read_s']:>9.2f}{s['compute_s']:>11.3f}{s['write_s']:>9.2f}"
            f"{s['end_to_end_s']:>9.2f}{s.get('compute_loans_per_s_in_batch') or 0:>18,}"
        )
    lines.append(
        f"repriced / none = {report['repriced_over_none']} (target ≤ 1.2: "
        f"{'✓' if report['within_20_percent'] else '✗'})"
    )
    return "\n".join(lines)
