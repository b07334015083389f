"""County season benchmark (issue 4 §6): one county's 3,000 contracts through the season.

    XUEDAI_PG_PORT=54370 XUEDAI_PG_DIR=/tmp/pg-orig scripts/with-postgres.sh \
        .venv/bin/python bench/bench_county_season.py

Set-up (3,000 students, co-borrowers and online applications) is bulk-inserted and not timed. Timed,
each through the real services: 新增合同 from the 3,000 applications; the supervisor's check; the
university's receipt import from a real .xlsx; 汇总并提交 plus the supervisor's report; the
借款申请汇总表 export; the bank approving the batch. Target: creating and submitting ≤ 10 s each,
and the export ≤ 10 s.
"""

import datetime as dt
import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from tests import factories  # noqa: E402
from xuedai import businessdate  # noqa: E402
from xuedai.borrowers.models import Borrower, CoBorrower  # noqa: E402
from xuedai.identity.idnumbers import make_id_number  # noqa: E402
from xuedai.orgs.models import Role  # noqa: E402
from xuedai.origination import exports, services  # noqa: E402
from xuedai.origination.models import Application, Contract  # noqa: E402
from xuedai.origination.services.receipts import COLUMNS  # noqa: E402

N = int(os.environ.get("XUEDAI_BENCH_N", "3000"))
TODAY = dt.date(2026, 11, 20)


def timed(label: str, results: list, fn):
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    results.append((label, seconds))
    print(f"{label:<40} {seconds:7.2f} s", flush=True)
    return value


def setup():
    p = factories.build_province()
    county, uni = p.counties[0], p.universities[0]
    people = {
        "operator": factories.make_user(county, Role.OPERATOR),
        "supervisor": factories.make_user(county, Role.SUPERVISOR),
        "officer": factories.make_user(uni, Role.UNIVERSITY_OFFICER),
        "prov_operator": factories.make_user(p.centre, Role.OPERATOR),
        "prov_supervisor": factories.make_user(p.centre, Role.SUPERVISOR),
        "bank": factories.make_user(p.branch, Role.BANK_REVIEWER),
    }
    borrowers = []
    for n in range(N):
        birth = dt.date(2005, 1, 1) + dt.timedelta(days=n // 900)
        borrowers.append(Borrower(
            name=f"学生{n:05d}", id_number=make_id_number("510722", birth, n % 900 + 1), gender="M",
            birth_date=birth, mobile=f"138{n:08d}", household_region_code="510722", address="三台县",
            county=county, university=uni, enrolled_year=2025, graduation_date=dt.date(2029, 6, 30)))
    Borrower.objects.bulk_create(borrowers, batch_size=1000)
    borrowers = list(Borrower.objects.filter(county=county).order_by("pk"))
    cos = [CoBorrower(borrower=b, name=f"家长{n:05d}", relation="father", birth_date=dt.date(1975, 5, 1),
                      id_number=make_id_number("510722", dt.date(1975, 5, 1) + dt.timedelta(days=n // 900),
                                               n % 900 + 1),
                      mobile=f"139{n:08d}", household_region_code="510722") for n, b in enumerate(borrowers)]
    CoBorrower.objects.bulk_create(cos, batch_size=1000)
    co_of = dict(CoBorrower.objects.filter(borrower__county=county).values_list("borrower_id", "pk"))
    Application.objects.bulk_create([Application(
        borrower=b, academic_year=2026, county=county, university=uni, amount=Decimal("12000"),
        term_years=18, tuition=Decimal("5000"), accommodation=Decimal("1200"), co_borrower_id=co_of[b.pk],
        submitted_on=TODAY)
        for b in borrowers], batch_size=1000)
    return people


def receipts_file(contracts) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for c in contracts:
        sheet.append([c.contract_no, c.borrower.name, 5000, 1200, 0])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def main() -> list:
    call_command("migrate", verbosity=0)
    results: list = []
    with businessdate.business_date(TODAY):
        people = setup()
        p = people
        apps = list(Application.objects.select_related("borrower", "co_borrower").order_by("pk"))
        contracts = timed(
            f"新增合同 ×{N} (from applications)", results,
            lambda: services.contracts_from_applications(actor=p["operator"], applications=apps))
        ids = [c.pk for c in contracts]
        timed(f"负责人复核 ×{N}", results,
              lambda: services.contracts_check(actor=p["supervisor"], contract_ids=ids))
        file = receipts_file(Contract.objects.filter(pk__in=ids).select_related("borrower")
                             .order_by("pk"))
        result = timed(f"回执导入 ×{N} (.xlsx)", results,
                       lambda: services.receipts_import(actor=p["officer"], file=file))
        assert result.ok, result.errors[:5]

        def submit():
            batch = services.batch_submit(actor=p["operator"])
            return services.batch_transition(actor=p["supervisor"], batch=batch, action="county_submit")

        batch = timed(f"汇总并提交 + 县负责人上报 ×{N}", results, submit)
        data = timed("借款申请汇总表 export (.xlsx)", results, lambda: exports.county_summary_xlsx(batch))
        print(f"  ({len(data):,} bytes)")
        for actor, action in [("prov_operator", "province_audit"), ("prov_supervisor", "province_submit")]:
            batch = services.batch_transition(actor=p[actor], batch=batch, action=action)
        timed(f"银行审批通过 ×{N}", results, lambda: services.bank_approve_rest(actor=p["bank"], batch=batch))
    print(f"database: {connection.vendor}")
    return results


if __name__ == "__main__":
    main()
