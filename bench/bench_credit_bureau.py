"""The 征信报送 file on PostgreSQL (issue 10 §5) for the whole benchmark portfolio
(``xuedai.batch.portfolio``: N home-county contracts, 5 % one year and 1 % two years in arrears, the
ledger through 20 Dec 2025): the November 2025 file (the first: the whole ledger read, the checkpoint
written), the December file (November's checkpoint plus December's postings), then — after 1 % of the
December principal payments are reversed back-dated — the January file with its correction records,
and the December file streamed (COPY, and the Python formatter for the ratio).

    XUEDAI_PG_PORT=55442 XUEDAI_PG_DIR=/tmp/xuedai-pg-55442-bench XUEDAI_PG_KEEP=1 scripts/with-postgres.sh \
        .venv/bin/python bench/bench_credit_bureau.py --loans 1000000

Each stage goes through the entry points the page's job uses (export.credit_file_make: INSERT …
SELECT from the checkpoint; download.credit_file_lines). Re-runs on a built database first drop the
previous run's files and checkpoints (bench data only); each run reverses another 1 %.
"""

import argparse
import datetime as dt
import hashlib
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
from django.db.models import Max  # noqa: E402

from xuedai.batch import portfolio  # noqa: E402
from xuedai.jobs.models import JobRun  # noqa: E402
from xuedai.loans.models import Posting  # noqa: E402
from xuedai.orgs.models import Organisation  # noqa: E402
from xuedai.reports.bureau.download import credit_file_lines_copy, credit_file_lines_python  # noqa: E402
from xuedai.reports.bureau.export import FILE_KIND, credit_file_make  # noqa: E402
from xuedai.reports.bureau.models import CreditFile  # noqa: E402

NOVEMBER, DECEMBER, JANUARY = dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1)
MEMO = "bench-credit-reversal"
HISTORY = "bench-credit-history"


def _history(cur) -> int:
    """The portfolio's ledger is a take-on (disbursement and the unpaid charges only); a serviced
    ledger also holds each year's charges and payments. Add them for 2020–2025 — interest 5 % and
    principal 10 % of the amount, charged and paid on 20 Dec — so the statement reads as many
    postings per account as a real one (≈ 26 more). Bench data only: the balances it implies are
    not the cached ones."""
    cur.execute("SELECT count(*) FROM loans_posting WHERE memo = %s", [HISTORY])
    if cur.fetchone()[0]:
        return 0
    cur.execute(
        "INSERT INTO loans_posting (account_id, business_date, kind, amount, due_on, memo) "
        "SELECT a.contract_id, make_date(y, 12, 20), k.kind, "
        "       round(c.amount * k.share, 2), make_date(y, 12, 20), %s "
        "FROM loans_loanaccount a JOIN origination_contract c ON c.id = a.contract_id "
        "CROSS JOIN generate_series(2020, 2025) y "
        "CROSS JOIN (VALUES ('interest', 0.05), ('principal', 0.10), ('pay_interest', 0.05), "
        "                   ('pay_principal', 0.10)) k(kind, share)",
        [HISTORY],
    )
    return cur.rowcount


def _reset(cur) -> None:
    cur.execute("DELETE FROM reports_creditcheckpoint")
    cur.execute("DELETE FROM reports_creditrecord")
    cur.execute("DELETE FROM reports_creditfile")
    JobRun.objects.filter(kind=FILE_KIND).delete()


def timed(results: dict, label: str, fn):
    started = time.perf_counter()
    value = fn()
    results[label] = round(time.perf_counter() - started, 2)
    print(f"  {label}: {results[label]} s", file=sys.stderr, flush=True)
    return value


def _file(org, month, sequence) -> CreditFile:
    mark = Posting.objects.aggregate(m=Max("id"))["m"] or 0
    return CreditFile.objects.create(organisation=org, month=month, sequence=sequence, posting_mark=mark)


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
        added = timed(report, "add_serviced_history_s", lambda: _history(cur))
        report["history_postings_added"] = added
        cur.execute("ANALYZE loans_posting")
        cur.execute("SELECT count(*) FROM loans_posting")
        report["postings"] = cur.fetchone()[0]
    org = Organisation.objects.get(code="BENCH-51")
    stages: dict = {}
    november = _file(org, NOVEMBER, 1)
    timed(stages, "november_file_whole_ledger_s", lambda: credit_file_make(november))
    first = _file(org, DECEMBER, 2)
    timed(stages, "december_file_from_checkpoint_s", lambda: credit_file_make(first))
    first.refresh_from_db()
    with connection.cursor() as cur:
        # The bank returns 1 % of December's principal deductions, back-dated to 20 Dec by the ledger's
        # rule (a reversal counts on its posting's day). Postings are append-only and reversed once:
        # run n of a kept database reverses the accounts whose id ≡ n (mod 100).
        cur.execute("SELECT count(DISTINCT memo) FROM loans_posting WHERE memo LIKE %s", [MEMO + "%"])
        run = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO loans_posting (account_id, business_date, kind, amount, due_on, reverses_id, memo) "
            "SELECT account_id, DATE '2026-01-10', 'reversal', amount, due_on, id, %s FROM loans_posting "
            "WHERE kind IN ('pay_principal', 'pay_overdue_principal') AND business_date = DATE '2025-12-20' "
            "AND account_id %% 100 = %s",
            [f"{MEMO}-{run}", run],
        )
        report["reversals"] = cur.rowcount
    second = _file(org, JANUARY, 3)
    timed(stages, "january_file_with_corrections_s", lambda: credit_file_make(second))
    second.refresh_from_db()

    def stream(lines) -> tuple[int, str]:
        digest, size = hashlib.sha256(), 0
        for chunk in lines(first):
            digest.update(chunk)
            size += len(chunk)
        return size, digest.hexdigest()

    size, copied = timed(stages, "stream_december_file_copy_s", lambda: stream(credit_file_lines_copy))
    python = timed(stages, "stream_december_file_python_s", lambda: stream(credit_file_lines_python))
    report["same_bytes"] = python == (size, copied)
    report.update(
        stages=stages,
        december={"base": first.base_records, "not_reportable": first.not_reportable, "bytes": size},
        january={"base": second.base_records, "corrections": second.corrections},
    )
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
