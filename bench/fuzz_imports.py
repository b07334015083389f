"""Hypothesis fuzzing of every import and of ``xuedai quote`` (issue 15 §2): counts per fuzzer.

    .venv/bin/python bench/fuzz_imports.py [--examples 2000]                 # SQLite in memory
    XUEDAI_PG_PORT=54331 scripts/with-postgres.sh .venv/bin/python bench/fuzz_imports.py

Fuzzers (tests/harness/fuzz.py): the deduction result import in both layouts (扣款明细表 and
批量扣款信息表(代理行版), .xlsx and CSV in five encodings, bent and damaged), the receipts import,
the generic .xlsx reader (documents.imports) and ``xuedai quote``. Each prints its examples,
accepted and refused counts and its bad counts (crashes, partial saves, inconsistent imports,
unclear refusals); exit code 1 if any bad count is not zero.
"""

import argparse
import datetime as dt
import sys
import time

from harness_db import fresh_database, vendor

from tests import factories
from tests.harness.deduction import DAY, settled_accounts
from tests.harness.fuzz import BAD, fuzz_deduction_imports, fuzz_quote, fuzz_read_xlsx, fuzz_receipts


def _receipts(examples: int):
    from tests.loans.conftest import make_contract
    from xuedai.orgs.models import Role
    from xuedai.origination.models import ContractState

    province = factories.build_province()
    university, county = province.universities[0], province.counties[0]
    officer = factories.make_user(university, Role.UNIVERSITY_OFFICER)

    def make_signed():
        borrower = factories.BorrowerFactory(county=county, university=university, enrolled_year=2025,
                                             graduation_date=dt.date(2029, 6, 30))
        return make_contract(province, county=county, university=university, borrower=borrower,
                             state=ContractState.SIGNED, disbursed_on=dt.date(2026, 9, 1),
                             maturity=dt.date(2040, 12, 20))

    return fuzz_receipts(officer, [make_signed() for _ in range(3)], examples, make_signed=make_signed)


def _deduction(examples: int, folder):
    from xuedai.loans.deduction.services import deduction_prepare

    settled_accounts(factories.build_province(), 25)  # 50 lines: room for many corrections
    return fuzz_deduction_imports(deduction_prepare(on=DAY), folder, examples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=2000)
    args = parser.parse_args()
    bad = 0
    fuzzers = [("deduction result files", lambda folder: _deduction(args.examples, folder)),
               ("receipts", lambda folder: _receipts(args.examples)),
               ("documents.imports.read_xlsx", lambda folder: fuzz_read_xlsx(args.examples)),
               ("xuedai quote", lambda folder: fuzz_quote(args.examples))]
    print(f"database: {vendor()}, {args.examples} examples per fuzzer")
    for name, run in fuzzers:
        started = time.perf_counter()
        with fresh_database() as folder:
            counts = run(folder)
        seconds = time.perf_counter() - started
        main_counts = ", ".join(f"{k} {counts[k]}" for k in ("examples", "accepted", "refused"))
        bad_counts = ", ".join(f"{k} {counts[k]}" for k in BAD)
        print(f"{name}: {main_counts}; {bad_counts} ({seconds:.0f} s)")
        for key, value in counts.most_common():
            if key.startswith("crash"):
                print(f"    {key} ×{value}")
        bad += sum(counts[k] for k in BAD)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
