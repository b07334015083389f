"""Fifty clients at once against one run and one borrower, on PostgreSQL (issue 15 §2): counts.

    XUEDAI_PG_PORT=54331 scripts/with-postgres.sh .venv/bin/python bench/bench_import_races.py \
        [--rounds 5] [--per-county 300] [--clients 50]

Each round: a fresh database with ``--per-county`` accounts in each of two counties (one Alipay run,
one agent-bank run of the 20 Dec deduction), then ``--clients`` threads released together through
the real pages and services (tests/harness/races.py): the same Alipay result file re-uploaded, a
partial and a full agent-bank file, repayments and early-repayment clicks for one borrower.
Prints every count per round and the totals; exit code 1 if any bad count is not zero.
"""

import argparse
import sys
import time
from collections import Counter

from harness_db import fresh_database, vendor

from tests import factories
from tests.harness.races import BAD, build, run_clients


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-county", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    if vendor() != "postgresql":
        print("需要 PostgreSQL：scripts/with-postgres.sh .venv/bin/python bench/bench_import_races.py")
        return 2
    total: Counter = Counter()
    for round_no in range(1, args.rounds + 1):
        with fresh_database() as folder:
            world = build(factories.build_province(), args.per_county, folder)
            started = time.perf_counter()
            counts = run_clients(world, args.clients)
            seconds = time.perf_counter() - started
        print(f"round {round_no}: {seconds:.1f} s")
        for key, value in sorted(counts.items()):
            print(f"  {key}: {value}")
        total.update(counts)
    print(f"== {args.rounds} rounds × {args.clients} clients, {2 * args.per_county} lines per round")
    for key in ("clients", "lines", "lines_paid", "repayments_posted", "early_applications", *BAD):
        print(f"{key}: {total[key]}")
    return 1 if any(total[key] for key in BAD) else 0


if __name__ == "__main__":
    sys.exit(main())
