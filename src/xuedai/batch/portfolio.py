"""A benchmark portfolio of N home-county contracts in a repaying state, built with COPY.

Shape (DOMAIN.md §1, §4): borrowers enrol 2012–2026 on 4-year programmes and sign one contract a
year (4 per borrower; contract ids are consecutive); the signing policy version follows the
academic year (2012 Sichuan version before 2020: maturity 10 years after graduation on 20 Dec, no
grace; the 2020+ national versions: 15 years, final settlement 20 Sep, 5 grace years); self-pay
from 1 September of the graduation year. The history up to the last settlement before the bench day
is produced by the settlement kernel itself, year by year, every amount paid on its due day except:
5 % of the graduated contracts left last year's interest and principal unpaid, 1 % also the year
before (so classification and the deduction file have overdue work).

The ledger holds each contract's disbursement and its unpaid items; cached balances match them (a
take-on state — the earlier settlements and payments are not re-posted, which would only multiply
the build time).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from xuedai.batch import exact, io
from xuedai.batch.classify_io import rules_for
from xuedai.batch.classify_kernel import GRADES, grade_2023, grade_seed
from xuedai.batch.dates import field, from_ymd, ymd
from xuedai.batch.exact import NO_DATE
from xuedai.batch.settle_kernel import settle
from xuedai.batch.tablecopy import copy_columns, fixed_text, reset_identity

BENCH_DAY = dt.date(2026, 12, 20)  # the settlement the bench runs (the day before is the state)
PREVIOUS_QUARTER_END = dt.date(2026, 6, 30)  # the grades the accounts carry
PREFIX = "BN"  # contract numbers BN000000000001 …: how an existing portfolio is recognised
COUNTIES = 100
PER_BORROWER = 4
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def existing(conn) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM origination_contract WHERE contract_no LIKE %s", (PREFIX + "%",))
        return cur.fetchone()[0]


def organisations() -> tuple[np.ndarray, np.ndarray]:
    """A province centre with 100 county centres (every tenth served by an agent bank); returns
    their ids and region codes. Made through the orgs service (paths, audit)."""
    from xuedai.orgs.models import Organisation, OrgKind
    from xuedai.orgs.services import organisation_create

    province = Organisation.objects.filter(code="BENCH-51").first() or organisation_create(
        actor=None, name="四川省学生资助管理中心(基准)", kind=OrgKind.PROVINCE_CENTRE, code="BENCH-51",
        parent=None, region_code="510000")
    bank = Organisation.objects.filter(code="BENCH-AGENT").first() or organisation_create(
        actor=None, name="农村信用社(基准代理行)", kind=OrgKind.AGENT_BANK, code="BENCH-AGENT",
        parent=province, region_code="510000")
    ids, regions = [], []
    for i, region in enumerate(sichuan_counties(COUNTIES)):
        code = f"BENCH-C{i:03d}"
        county = Organisation.objects.filter(code=code).first() or organisation_create(
            actor=None, name=f"基准{i:03d}县资助中心", kind=OrgKind.COUNTY_CENTRE, code=code,
            parent=province, region_code=region, agent_bank=bank if i % 10 == 9 else None)
        ids.append(county.pk)
        regions.append(int(region))
    return np.array(ids), np.array(regions)


def sichuan_counties(count: int) -> list[str]:
    """Real Sichuan county codes (python-stdnum's GB/T 2260 table) valid for 1994–2004 births, so
    the borrowers' identity numbers pass ``stdnum.cn.ric``."""
    from stdnum.cn import ric

    found = []
    for code in map(str, range(510100, 513500)):
        body = [f"{code}{year}0101001" for year in (1994, 2004)]
        numbers = [b + chr(_ID_CHECK[sum(int(c) * w for c, w in zip(b, _ID_WEIGHTS, strict=True)) % 11])
                   for b in body]
        if all(_valid(ric, n) for n in numbers):
            found.append(code)
            if len(found) == count:
                return found
    raise ValueError("not enough Sichuan county codes")


def _valid(ric, number: str) -> bool:
    try:  # python-stdnum raises KeyError (not a validation error) for some unassigned prefixes
        return bool(ric.validate(number))
    except Exception:
        return False


def _days(year: np.ndarray, month: int, day: int) -> np.ndarray:
    return from_ymd(np.asarray(year, dtype=np.int64), month, day)


def contracts(first: int, n: int) -> dict[str, np.ndarray]:
    """Terms of contracts ``first`` … ``first + n − 1`` (0-based; the same for the same indices)."""
    k = np.arange(first, first + n, dtype=np.int64)
    borrower = k // PER_BORROWER
    rng = np.random.default_rng(first)
    enrolled = 2012 + (borrower * 2654435761 % 2**32) % 12  # 2012 … 2023
    year = enrolled + k % PER_BORROWER  # one contract per academic year
    graduation = enrolled + PER_BORROWER
    old = year < 2020
    self_pay = _days(graduation, 9, 1)
    return {
        "k": k, "borrower": borrower, "academic_year": year, "graduation": graduation,
        "policy": np.select([old, year < 2021, year < 2023, year < 2024], [1, 3, 4, 6], 7),
        "rate": np.select([old, year < 2023, year < 2024], [490_000, 435_000, 360_000], 325_000),
        "amount": rng.integers(40, 121, n) * 100 * 100,  # 4000 … 12000 yuan, in fen
        "disbursed_on": _days(year, 10, 15) + rng.integers(0, 45, n),
        # 2012 version: 10 years after graduation, 20 Dec; 2020+: 15 years, final settlement 20 Sep.
        "maturity": np.where(old, _days(graduation + 10, 12, 20), _days(graduation + 15, 9, 20)),
        "self_pay_from": self_pay,
        # loans.terms.principal_from: the first 20 Dec after 1 Sep is that year's, + grace years.
        "first_due": _days(graduation + np.where(old, 0, 5), 12, 20),
        "unpaid_years": np.select([rng.random(n) < 0.01, rng.random(n) < 0.04], [2, 1], 0),
    }


def history(t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Balances on the bench day's eve: every settlement up to last year's, through the kernel;
    ``unpaid`` maps a due day to the (interest, principal) left unpaid on it."""
    n = len(t["k"])
    not_yet_due, repaid = t["amount"].copy(), np.zeros(n, dtype=np.int64)
    period_start = t["disbursed_on"].copy()
    unpaid: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    last = BENCH_DAY.year - 1
    for y in range(2012, last + 1):
        on = exact.day(dt.date(y, 12, 20))
        r = settle(on, principal=t["amount"], not_yet_due=not_yet_due, rate=t["rate"],
                   disbursed_on=t["disbursed_on"], maturity=t["maturity"], period_start=period_start,
                   self_pay_from=t["self_pay_from"], first_principal_due=t["first_due"])
        left = r.settles & (t["unpaid_years"] > last - y)
        if left.any():
            unpaid[on] = (np.where(left, r.borrower_interest, 0), np.where(left, r.principal_due, 0))
        repaid += np.where(left, 0, r.principal_due)
        not_yet_due -= r.principal_due
        period_start = np.where(r.settles, on, period_start)
    oldest = np.full(n, NO_DATE)
    for on in sorted(unpaid, reverse=True):
        interest, principal = unpaid[on]
        oldest = np.where(interest + principal > 0, on, oldest)
    return {"principal_outstanding": t["amount"] - repaid,
            "principal_due": sum((p for _, p in unpaid.values()), np.zeros(n, dtype=np.int64)),
            "interest_due": sum((i for i, _ in unpaid.values()), np.zeros(n, dtype=np.int64)),
            "oldest": oldest, "unpaid": unpaid,
            "last_settled": np.where(period_start > t["disbursed_on"], period_start, NO_DATE)}


def id_numbers(borrower: np.ndarray, regions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique GB 11643 identity numbers with valid check characters, and the birth day numbers."""
    # Each borrower a (birth day, sequence) pair of its own: 10 years of birth days × 1,000 sequence
    # numbers from 1994, then a second block born 1985–1993 (9 years: 1984 is before some county
    # codes were issued, which GB 11643 checks) past 3.65 million borrowers — a 2 × 10⁷-contract
    # portfolio has 5 million — so the numbers stay unique up to 6.94 million borrowers.
    first_days, second_days = 3653, 3287
    if int(borrower.max(initial=0)) >= (first_days + second_days) * 1000:
        raise ValueError("the identity-number scheme covers 6.94 million borrowers")
    second = borrower >= first_days * 1000
    index = np.where(second, borrower - first_days * 1000, borrower)
    days = np.where(second, second_days, first_days)
    birth = np.where(second, exact.day(dt.date(1985, 1, 1)), exact.day(dt.date(1994, 1, 1))) + index % days
    seq = index // days % 1000
    y, m, d = (part.astype(np.int64) for part in ymd(birth))  # the tables are int32
    body = fixed_text("", regions * 10**11 + (y * 10000 + m * 100 + d) * 1000 + seq, 17)
    digits = body.view(np.uint8).reshape(len(borrower), 17)
    check = _ID_CHECK[((digits.astype(np.int64) - 48) * _ID_WEIGHTS).sum(axis=1) % 11]
    full = np.empty((len(borrower), 18), dtype=np.uint8)
    full[:, :17], full[:, 17] = digits, check
    return full.view("S18").ravel(), birth


def spread(borrower: np.ndarray, counties: np.ndarray) -> np.ndarray:
    """A borrower's county (an index into ``counties``), spread over the province."""
    return borrower * 7919 % len(counties)


def build_chunk(conn, first: int, n: int, counties: np.ndarray, regions: np.ndarray, offsets: dict,
                ledger: bool = True, place=None) -> None:
    """COPY borrowers, contracts, accounts and postings of contracts ``first`` … (``first`` a
    multiple of 4; caller's transaction). ``offsets``: ids already used in each table. Without
    ``ledger`` only borrowers and contracts: the caller opens each ledger (the loans take-on)."""
    place = place or (lambda borrower: spread(borrower, counties))
    t = contracts(first, n)
    t["policy"] = offsets["versions"][t["policy"]]
    h = history(t)
    eve = exact.day(BENCH_DAY) - 1
    people = np.unique(t["borrower"])
    home = place(people)
    id_no, birth = id_numbers(people, regions[home])
    graduation = t["graduation"][::PER_BORROWER]
    copy_columns(conn, "borrowers_borrower", len(people), {
        "id": offsets["borrower"] + people + 1, "name": fixed_text("学生", people % 10**7, 7),
        "id_number": id_no, "gender": np.where(people // 3653 % 2 == 1, b"M", b"F"),
        "birth_date": birth, "ethnicity": "汉族", "mobile": fixed_text("139", people % 10**8, 8),
        "household_region_code": fixed_text("", regions[home], 6), "address": "四川省",
        "education_level": "undergraduate", "enrolled_year": graduation - PER_BORROWER,
        "study_years": PER_BORROWER, "graduation_date": _days(graduation, 6, 30),
        "county_id": counties[home]})
    ids = offsets["contract"] + t["k"] + 1
    county = counties[place(t["borrower"])]
    state = np.where(h["oldest"] < eve, b"overdue", np.where(t["self_pay_from"] <= eve, b"repaying",
                                                              b"disbursed"))
    copy_columns(conn, "origination_contract", n, {
        "id": ids, "contract_no": fixed_text(PREFIX, t["k"] + 1, 12), "product": "home_county",
        "academic_year": t["academic_year"], "amount": t["amount"], "tuition": 0, "accommodation": 0,
        "annual_rate": t["rate"] // 100, "term_years": field("year", t["maturity"]) - t["academic_year"],
        "state": state, "applied_on": t["disbursed_on"] - 30, "signed_on": t["disbursed_on"] - 20,
        "disbursed_on": t["disbursed_on"], "maturity_date": t["maturity"],
        "self_pay_from": t["self_pay_from"],
        "outstanding_principal": h["principal_outstanding"], "overdue_since": h["oldest"],
        "borrower_id": offsets["borrower"] + t["borrower"] + 1, "policy_version_id": t["policy"],
        "county_id": county})
    if not ledger:
        return
    # The grade of the previous quarter end (the state has not moved since last December), so a
    # classification run finds the steady state: most grades unchanged.
    quarter = exact.day(PREVIOUS_QUARTER_END)
    rule = rules_for(quarter, np.zeros(n, dtype=np.int64),
                     6 * 10**6 + regions[np.searchsorted(counties, county)], t["policy"])
    rank = np.where(rule == 1, grade_2023(h["oldest"], quarter), grade_seed(h["oldest"], quarter))
    opened = t["disbursed_on"] <= quarter
    copy_columns(conn, "loans_loanaccount", n, {
        "grade": np.where(opened, np.array([g.value.encode() for g in GRADES])[rank], b""),
        "graded_on": np.where(opened, quarter, NO_DATE),
        "contract_id": ids, "opened_on": t["disbursed_on"],
        "channel_account": fixed_text("zxdk", offsets["borrower"] + t["borrower"] + 1, 8),
        "principal_outstanding": h["principal_outstanding"], "principal_due": h["principal_due"],
        "interest_due": h["interest_due"], "last_settled_on": h["last_settled"],
        "oldest_unpaid_due": h["oldest"]})
    postings = io.Postings(0, memo="期初建账")
    postings.add("disburse_student", ids, t["amount"], None, business_date=t["disbursed_on"])
    for on, (interest, principal) in sorted(h["unpaid"].items()):
        postings.on, postings.memo = on, "结息"
        postings.add("interest", ids, interest, on)
        postings.add("principal", ids, principal, on)
    postings.write(conn)


TABLES = ("borrowers_borrower", "origination_contract", "loans_loanaccount", "loans_posting")


def _drop_for_load(conn) -> list[str]:
    """Drop the loaded tables' secondary indexes and foreign keys; return the DDL that restores them.

    A bulk load is several times faster without them: one index build and one validating join per
    constraint afterwards instead of a b-tree insert per index and a checked row lock per key per
    row. Primary keys and unique constraints stay (they guard the generated data too).
    """
    with conn.cursor() as cur:
        cur.execute("""
            SELECT indexname, indexdef FROM pg_indexes
             WHERE schemaname = current_schema() AND tablename = ANY(%s)
               AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))""",
                    (list(TABLES),))
        indexes = cur.fetchall()
        cur.execute("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
             WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)""", (list(TABLES),))
        keys = cur.fetchall()
    for table, name, _ in keys:
        io.execute(conn, f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        io.execute(conn, f'DROP INDEX "{name}"')
    return [ddl for _, ddl in indexes] + [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in keys]


def build(conn, n: int, *, chunk: int = 1_000_000, ledger: bool = True, out=None, places=None) -> None:
    """Build an ``n``-contract portfolio: one transaction per chunk of contracts, the tables'
    secondary indexes and foreign keys dropped for the load and rebuilt after it (always).

    ``ledger=False`` leaves out the accounts and postings (the take-on ledger above is the kernel's
    shortcut: cached balances without the history the core engine would post, so ``reconcile``
    differs): the caller opens every ledger through the loans take-on service instead."""
    # ``places(n) → (county ids, region codes, place)``: the national portfolio's (``.national``);
    # by default one province's 100 counties, every borrower's county by ``spread``.
    counties, regions, place = places(n) if places else (*organisations(), None)
    with conn.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM borrowers_borrower")
        borrower = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM origination_contract")
        contract = cur.fetchone()[0]
        # The terms name the seeded policy versions by their place in the seed (1 = the first):
        # a test database that flushed and re-seeded them (the browser tests do) gives them new ids.
        cur.execute("SELECT id FROM policies_policyversion ORDER BY id")
        versions = np.array([0, *(row[0] for row in cur.fetchall())], dtype=np.int64)
    offsets = {"borrower": borrower, "contract": contract, "versions": versions}
    chunk -= chunk % PER_BORROWER
    with conn.transaction():
        restore = _drop_for_load(conn)
    try:
        for first in range(0, n, chunk):
            with conn.transaction():
                build_chunk(conn, first, min(chunk, n - first), counties, regions, offsets, ledger, place)
            if out:
                out(f"  portfolio: {min(first + chunk, n):,}/{n:,}")
    finally:
        with conn.transaction():
            for ddl in restore:
                io.execute(conn, ddl)
    with conn.transaction():
        for table in ("borrowers_borrower", "origination_contract"):
            reset_identity(conn, table)
    for table in TABLES:
        io.execute(conn, f"VACUUM ANALYZE {table}")  # visibility map and statistics for the batches
