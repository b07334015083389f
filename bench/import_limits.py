"""How a deduction result import copes with size (issue 15 §1 "imports stream with a row limit").

    XUEDAI_PG_PORT=54331 scripts/with-postgres.sh .venv/bin/python bench/import_limits.py [--per-county 500]

On a fresh database: ``--per-county`` accounts in each of two counties, settled and filed for
20 Dec 2019. Timed, through ``deduction_import`` / ``deduction_post``: the Alipay run's full result
file (recorded set-based, then posted line by line through the engine); the same file again
(refused by its hash); a 1,000,000-row CSV against the same run (refused at the row limit, reading
stops there); a 70 MB CSV (refused by its size before it is read). Prints seconds and the peak
memory of the process.
"""

import argparse
import resource
import sys
import time

from harness_db import fresh_database, vendor

from tests import factories
from tests.harness.deduction import DAY, answered, result_file, settled_accounts
from xuedai.loans.deduction.services import ImportError_, deduction_import, deduction_post, deduction_prepare
from xuedai.loans.models import Channel


def _timed(label: str, action) -> None:
    started = time.perf_counter()
    try:
        outcome = action()
    except ImportError_ as error:
        outcome = f"refused: {error.errors[0][:60]}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<48} {seconds:8.2f} s   peak RSS {peak:,.0f} MB   {outcome}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-county", type=int, default=500)
    args = parser.parse_args()
    with fresh_database() as folder:
        started = time.perf_counter()
        settled_accounts(factories.build_province(), args.per_county)
        run = {r.channel: r for r in deduction_prepare(on=DAY)}[Channel.ALIPAY]
        print(f"database: {vendor()}; set-up {time.perf_counter() - started:.0f} s; "
              f"Alipay run {run.lines_count:,} lines")
        path = result_file(run, folder / "full.csv", fmt="csv", encoding="gbk")
        _timed(f"import {run.lines_count:,} rows (record)",
               lambda: deduction_import(actor=None, run=run, path=path))
        _timed(f"post {run.lines_count:,} rows", lambda: deduction_post(actor=None, run=run))
        _timed("the same file again", lambda: deduction_import(actor=None, run=run, path=path))
        header = answered(run, default=None)[0]
        big = folder / "million.csv"
        with big.open("w", encoding="utf-8") as handle:  # short rows: under the size limit
            handle.write(",".join(header) + "\n")
            handle.writelines(f"{n},C{n:08d},,,,,,0,0,0,0,成功,1.00,\n" for n in range(1, 1_000_001))
        size = big.stat().st_size / 1024 / 1024
        _timed(f"1,000,000-row CSV ({size:.0f} MB)", lambda: deduction_import(actor=None, run=run, path=big))
        huge = folder / "huge.csv"
        with huge.open("wb") as handle:
            handle.write(",".join(header).encode() + b"\n")
            for _ in range(70):
                handle.write(b"1,C00000001,,,,,,0,0,0,0,x,1.00,\n" * 32_768)
        size = huge.stat().st_size / 1024 / 1024
        _timed(f"{size:.0f} MB CSV", lambda: deduction_import(actor=None, run=run, path=huge))
    return 0


if __name__ == "__main__":
    sys.exit(main())
