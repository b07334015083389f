"""The state's money at scale (issue 11 §6): the 20 Dec risk-fund settlement and the quarter's
subsidy summary over the benchmark portfolio (``xuedai.batch.portfolio``: home-county contracts in
100 counties, the ledger on the eve of 20 Dec 2026, 5 % one year and 1 % two years in arrears).

    XUEDAI_PG_PORT=54352 XUEDAI_PG_DIR=/tmp/xuedai-pg-54352-bench XUEDAI_PG_KEEP=1 scripts/with-postgres.sh \
      bash -c '.venv/bin/xuedai migrate -v0 && .venv/bin/python bench/bench_state_money.py --loans 1000000'

The portfolio is built once (kept with XUEDAI_PG_KEEP=1); each run first empties the funds tables of
this bench database (TRUNCATE: the fund ledger refuses DELETE), then times, through the services
and selectors the pages call:

1. 实际发放汇总表 of the academic year 2025—2026 (grouped reads of the disbursement postings);
2. the accrual request and the bank's confirmation (postings into every county's fund);
3. the 20 Dec 2026 settlement of every fund (one GROUP BY over the accounts, the waterfall per
   fund, every part posted to the fund's and the parties' ledgers); beside it that read alone and
   the read of the year's recoveries a next settlement makes (``recovered_since``);
4. the 贴息资金汇总表 of Q3 2026 (binary COPY of the contracts' columns → NumPy kernel → groups);
5. the pre-settlement (预结息) list for 20 Dec 2026 (the same kernel per contract);
6. a finance transfer paying up to 200,000 receivables (checked whole, posted contract by contract).

Step 6 posts SUBSIDY_RECEIVED to the portfolio's ledger (loans_posting is append-only), so each
run pays what the previous ones left receivable: rebuild the portfolio for a like-for-like rerun.
"""

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.base")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402

from xuedai.batch import portfolio  # noqa: E402
from xuedai.funds.models import Accrual, FundPosting, SharePosting  # noqa: E402
from xuedai.funds.selectors import disbursement_summary  # noqa: E402
from xuedai.funds.services import accrual_confirm, accrual_request, settlement_run  # noqa: E402
from xuedai.funds.services.settlement import fund_positions, recovered_since  # noqa: E402
from xuedai.funds.services.subsidy import PaymentLine, subsidy_payment_record  # noqa: E402
from xuedai.funds.subsidy_summary import presettlement, quarter_summary  # noqa: E402
from xuedai.loans.batches import settlement_batch  # noqa: E402
from xuedai.loans.models import Kind, LoanAccount, Posting  # noqa: E402

TRANSFER_LINES = 200_000  # one finance transfer; a province pays in several


def timed(results: dict, name: str, fn):
    started = time.perf_counter()
    value = fn()
    results[name] = round(time.perf_counter() - started, 2)
    return value


def _branch_above_the_province(conn) -> None:
    """The bench portfolio's tree starts at the province centre; a settlement's 4 share needs the
    bank branch above it (DOMAIN.md §2: 分行 → 省中心 → 县). Put one there once, moving the
    subtree's materialised paths under it in one statement (bench data, not a service path)."""
    from xuedai.orgs.models import Organisation, OrgKind
    from xuedai.orgs.services import organisation_create

    centre = Organisation.objects.get(code="BENCH-51")
    if centre.parent_id is not None:
        return
    branch = organisation_create(actor=None, name="国家开发银行四川省分行(基准)", kind=OrgKind.BANK_BRANCH,
                                 code="BENCH-CDB-51", parent=None, region_code="510000")
    with conn.cursor() as cur:
        cur.execute("UPDATE orgs_organisation SET path = %s || substr(path, 2), depth = depth + 1 "
                    "WHERE path LIKE %s", [branch.path, centre.path + "%"])
        cur.execute("UPDATE orgs_organisation SET parent_id = %s WHERE id = %s", [branch.pk, centre.pk])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the transfer (top functions)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("run under scripts/with-postgres.sh (PostgreSQL)")
    connection.ensure_connection()
    conn = connection.connection
    conn.autocommit = True
    have = portfolio.existing(conn)
    report: dict = {"loans": args.loans}
    if have not in (0, args.loans):
        raise SystemExit(f"the database holds a {have:,}-contract portfolio; use another XUEDAI_PG_DIR")
    if have == 0:
        started = time.perf_counter()
        portfolio.build(conn, args.loans)
        report["build_s"] = round(time.perf_counter() - started, 1)
    _branch_above_the_province(conn)
    with conn.cursor() as cur:
        cur.execute("TRUNCATE funds_fundposting, funds_shareposting, funds_shareaccount, funds_settlement, "
                    "funds_accrual, funds_fundaccount, funds_subsidypaymentline, funds_subsidypayment "
                    "CASCADE")
        cur.execute("ANALYZE")
    t: dict = {}
    rows = timed(t, "disbursement_summary_s", lambda: disbursement_summary(None, 2026))
    report["disbursement_rows"] = len(rows)
    report["disbursed_2025_2026"] = str(sum(r.total for r in rows))
    accruals = timed(t, "accrual_request_s",
                     lambda: accrual_request(actor=None, year=2026, on=dt.date(2026, 10, 31)))
    timed(t, "accrual_confirm_s", lambda: accrual_confirm(actor=None, accruals=list(Accrual.objects.all()),
                                                            on=dt.date(2026, 12, 1)))
    report["accruals"] = len(accruals)
    report["accrued"] = str(sum(a.total for a in accruals))
    settled = timed(t, "settlement_run_s", lambda: settlement_run(actor=None, on=portfolio.BENCH_DAY))
    report["funds_settled"] = len(settled)
    report["defaulted"] = str(sum(s.defaulted for s in settled))
    report["bands"] = {b: sum(1 for s in settled if s.band == b) for b in {s.band for s in settled}}
    report["cover_paid"] = str(sum(s.move_from_fund for s in settled))
    report["reward"] = str(sum(s.move_reward for s in settled))
    report["shortfall"] = str(sum(s.move_shortfall for s in settled))
    report["shares_5_4_1"] = str(sum(s.move_university_share + s.move_bank_share + s.move_province_share
                                      for s in settled))
    report["above_cap"] = str(sum(s.move_above_cap for s in settled))
    report["fund_postings"] = FundPosting.objects.filter(settlement__in=settled).count()
    report["share_postings"] = SharePosting.objects.filter(settlement__in=settled).count()
    timed(t, "positions_group_by_s", lambda: fund_positions(portfolio.BENCH_DAY))
    recovered = timed(t, "recovered_since_s",
                      lambda: recovered_since(dt.date(2025, 12, 20), portfolio.BENCH_DAY))
    report["recovered_2026"] = str(sum(recovered.values()))
    summary = timed(t, "subsidy_quarter_summary_s", lambda: quarter_summary(2026, 3))
    report["summary_rows"] = len(summary)
    report["summary_contracts"] = sum(r.contracts for r in summary)
    report["summary_subsidy"] = str(sum(r.subsidy for r in summary))
    _cols, subsidy = timed(t, "presettlement_s", lambda: presettlement(2026))
    report["presettlement_contracts"] = len(subsidy)
    report["presettlement_fen"] = int(subsidy.sum())
    # The loans' own 20 Dec settlement (timed by `xuedai bench`, not here) posts the 贴息 the
    # pre-settlement list predicted: the two must agree to the fen. Done once per portfolio.
    if not LoanAccount.objects.filter(last_settled_on__gte=portfolio.BENCH_DAY).exists():
        settlement_batch(on=portfolio.BENCH_DAY)
        posted = (Posting.objects.filter(business_date=portfolio.BENCH_DAY, kind=Kind.SUBSIDY_INTEREST)
                  .aggregate(total=Sum("amount"))["total"])
        report["settlement_subsidy_fen"] = fen = int(posted * 100)
        report["presettlement_matches_settlement"] = fen == report["presettlement_fen"]
    # 6. the finance department's transfer paying every receivable the accounts carry (capped),
    #    posted contract by contract through the funds and loans services.
    owed = list(LoanAccount.objects.filter(subsidy_receivable__gt=0).order_by("pk")
                .values_list("contract__contract_no", "subsidy_receivable")[:TRANSFER_LINES])
    report["transfer_lines"] = len(owed)
    if owed:
        actor = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create(
            username="bench-state-money", is_superuser=True)
        lines = [PaymentLine(i, no, amount) for i, (no, amount) in enumerate(owed, start=1)]
        def transfer():
            return subsidy_payment_record(actor=actor, received_on=dt.date(2026, 12, 18),
                                          payer="四川省财政厅", reference=f"bench-{time.time_ns()}",
                                          lines=lines)

        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            timed(t, "subsidy_transfer_s", lambda: profiler.runcall(transfer))
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        else:
            timed(t, "subsidy_transfer_s", transfer)
    report["timings"] = t
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
