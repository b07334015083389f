"""Quarter-end five-tier classification at scale: COPY out, :mod:`xuedai.batch.classify_kernel`, COPY in.

Does for a chunk of accounts what ``loans.fastpath.classify_accounts`` does (DOMAIN.md §6): one
``loans_graderecord`` row per account (rule, grade, oldest unpaid due day, days overdue, principal
outstanding) and the account's cached ``grade`` / ``graded_on``.

The rule is the one in force on the as-of day for the contract's product and region
(``loans.services.servicing.classification_rule`` → ``policies.selectors.policy_for``, falling back
to the signing version's rule). The region is derived in NumPy from the organisations' region codes
as ``contract_region_code`` does (:func:`regions`); the rule is then resolved once per distinct
(product, region, signing version), not per contract.
"""

from __future__ import annotations

import datetime as dt
import time
from functools import lru_cache

import numpy as np

from xuedai.batch import io, partitions
from xuedai.batch.classify_kernel import GRADES, grade_2023, grade_counts, grade_seed
from xuedai.batch.exact import NO_DATE, to_date
from xuedai.batch.io import LIVE, Timings
from xuedai.batch.pgbinary import Block

PRODUCTS = ("home_county", "campus", "commercial")  # origination.products.Product values

# A confirmed death (loans.TermsChange, as ``loans.fastpath.loss_contracts`` reads it): 损失 whatever
# the days.
DEAD = "a.contract_id IN (SELECT t.contract_id FROM loans_termschange t WHERE t.kind = 'death')"
READ = [
    io.Column("id", "a.contract_id"),
    io.Column("oldest", io.day_sql("a.oldest_unpaid_due"), 4),
    io.Column("outstanding", io.fen_sql("a.principal_outstanding")),
    io.Column("product", "CASE c.product WHEN 'home_county' THEN 0 WHEN 'campus' THEN 1 ELSE 2 END::int4", 4),
    io.Column("county", "COALESCE(c.county_id, 0)"),
    io.Column("university", "COALESCE(c.university_id, 0)"),
    io.Column("policy", "c.policy_version_id"),
    io.Column("cached", "CASE a.grade " + " ".join(f"WHEN '{g.value}' THEN {r}" for r, g in enumerate(GRADES))
              + " ELSE -1 END::int4", 4),
    io.Column("dead", f"({DEAD})::int4", 4),
]
_IN_CHUNK = f"""
    WHERE a.contract_id > %(lo)s AND a.contract_id <= %(hi)s AND c.state IN {LIVE}
      AND a.opened_on <= %(on)s AND a.graded_on IS DISTINCT FROM %(on)s
"""
SELECTION = f"""
    FROM loans_loanaccount a JOIN origination_contract c ON c.id = a.contract_id
    {_IN_CHUNK}
      -- the same range on the contract side: PostgreSQL does not carry a range across a join, and
      -- without it every chunk would scan all contracts (quadratic at 10⁷)
      AND c.id > %(lo)s AND c.id <= %(hi)s
"""
# A sparse run's few accounts (≈ 4 %) find their contracts by key: the planner would otherwise hash
# the chunk's whole contract range (110 of a chunk's 290 ms at 10⁷); OFFSET 0 keeps the probe.
SPARSE_SELECTION = f"""
    FROM loans_loanaccount a
    CROSS JOIN LATERAL (SELECT * FROM origination_contract c WHERE c.id = a.contract_id OFFSET 0) AS c
    {_IN_CHUNK}
"""
# A sparse run reads only the accounts whose grade can be other than 正常-and-unchanged: cached other
# than 正常 (or never graded), or owing a due date before the day (either rule grades an account
# with none 正常), or a confirmed death (the overrides grade it 损失 on its record). The rest —
# ≈ 94 % of a portfolio — would be read only to be left alone (at 10⁶ the read was 17 of the
# run's 20 s); not reading them is what makes the 10⁷ quarter end fit (bench/RESULTS.md).
MAY_CHANGE = f"""
      AND (a.grade IS DISTINCT FROM '{GRADES[0].value}' OR a.oldest_unpaid_due < %(on)s OR {DEAD})
"""


def _encode_region(code: str) -> int:
    """A region code as a number that keeps its length: '510722' → 6510722, '' → 0."""
    return int(f"{len(code)}{code}") if code else 0


def regions(conn, cols: dict[str, np.ndarray]) -> np.ndarray:
    """``policies.selectors.contract_region_code`` per contract, encoded by :func:`_encode_region`:
    the signing county's region, else the university's (the other way round for campus loans), else
    for a home-county loan the borrower's household county (looked up only for those rows)."""
    with conn.cursor() as cur:
        cur.execute("SELECT id, region_code FROM orgs_organisation")
        orgs = cur.fetchall()
    by_org = np.zeros(max((pk for pk, _ in orgs), default=0) + 1, dtype=np.int64)
    for pk, code in orgs:
        by_org[pk] = _encode_region(code or "")
    county, university = by_org[cols["county"]], by_org[cols["university"]]
    campus = cols["product"] == 1
    first, second = np.where(campus, university, county), np.where(campus, county, university)
    region = np.where(first != 0, first, second)
    household = np.flatnonzero((region == 0) & (cols["product"] == 0))
    if household.size:
        with conn.cursor() as cur:
            cur.execute("""SELECT c.id, b.household_region_code FROM origination_contract c
                           JOIN borrowers_borrower b ON b.id = c.borrower_id WHERE c.id = ANY(%s)""",
                        (cols["id"][household].tolist(),))
            codes = dict(cur.fetchall())
        region[household] = [_encode_region(codes.get(int(i), "") or "") for i in cols["id"][household]]
    return region


GRADE_COLUMNS = ("account_id", "as_of", "rule", "grade", "oldest_unpaid_due", "days_overdue",
                 "principal_outstanding", "job_run_id")


@lru_cache(maxsize=4096)
def _rule_in_force(product: str, region_code: str, day: dt.date) -> str | None:
    from xuedai.policies.selectors import PolicyNotFound, policy_for

    try:
        return policy_for(product, region_code, day).classification_rule
    except PolicyNotFound:
        return None


@lru_cache(maxsize=256)
def _signing_rule(version: int) -> str:
    from xuedai.policies.models import PolicyVersion

    return PolicyVersion.objects.get(pk=version).classification_rule


def rules_for(on: int, product: np.ndarray, region: np.ndarray, policy: np.ndarray) -> np.ndarray:
    """0 = seed rule, 1 = 2023 rule, per contract (``loans.services.servicing.classification_rule``:
    the version in force on the day for the product and region, else the signing version's rule);
    resolved once per distinct (product, region, signing version), not per contract."""
    keys = np.stack([product, region, policy], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    day = to_date(on)
    codes = np.array([(_rule_in_force(PRODUCTS[p], str(r)[1:] if r else "", day) or _signing_rule(v))
                      == "2023" for p, r, v in unique.tolist()], dtype=np.int64)
    return codes[inverse.ravel()]


def classify_chunk(conn, on: int, lo: int, hi: int, *, job_run_id: int | None = None,
                   dense: bool = True, scope: dict | None = None) -> Timings:
    """Grade the live accounts with contract ids in ``(lo, hi]`` at ``on`` (caller's transaction);
    ``scope``: only those of one province (:func:`xuedai.batch.partitions.scope_params`).

    ``dense`` (the loans services' semantics): a grade record for every account and every
    account's ``grade`` / ``graded_on`` set. Sparse (at tens of millions, where a row per account
    per quarter costs more than the whole computation): records only for accounts not 正常 or whose
    grade changed, and the cache only where the grade changed — no record for a quarter means 正常
    and unchanged; such accounts are not even read (:data:`MAY_CHANGE`), so the totals' 正常 counts
    only the accounts read. Sparse re-runs rely on the job's checkpoint (a repeated range fails on
    the records' unique key rather than doubling them).
    """
    timings = Timings()
    params = {"on": to_date(on), "lo": lo, "hi": hi, **(scope or {})}
    started = time.perf_counter()
    where = (SELECTION if dense else SPARSE_SELECTION + MAY_CHANGE) + (partitions.FILTER if scope else "")
    cols = io.copy_out(conn, READ, where, params)
    rule = rules_for(on, cols["product"], regions(conn, cols), cols["policy"])  # look-ups: a read
    timings.read_s = time.perf_counter() - started
    timings.rows = len(cols["id"])
    if timings.rows == 0:
        return timings
    started = time.perf_counter()
    oldest = cols["oldest"]
    rank = np.where(rule == 1, grade_2023(oldest, on), grade_seed(oldest, on))
    days = np.where(oldest == NO_DATE, 0, np.maximum(on - oldest, 0))
    # A death is written whatever its days, record and cache: the overrides then make both 损失.
    changed = (rank != cols["cached"]) | (cols["dead"] == 1)
    record = np.ones(len(rank), dtype=bool) if dense else (rank != 0) | changed
    timings.compute_s = time.perf_counter() - started
    started = time.perf_counter()
    timings.postings = write(conn, on, cols, rule, rank, days, record,
                             np.ones(len(rank), dtype=bool) if dense else changed, job_run_id)
    timings.totals = {g.value: count for g, count in grade_counts(rank).items()}
    timings.write_s = time.perf_counter() - started
    return timings


def write(conn, on: int, cols: dict, rule: np.ndarray, rank: np.ndarray, days: np.ndarray,
          record: np.ndarray, cache: np.ndarray, job_run_id: int | None) -> int:
    """Grade records of the ``record`` rows (one fixed-width block per rule × grade × oldest-day-or-
    NULL) and the account cache of the ``cache`` rows."""
    blocks = []
    has_oldest = cols["oldest"] != NO_DATE
    for rule_code, rule_name in ((0, "seed"), (1, "2023")):
        for r, grade in enumerate(GRADES):
            for dated in (True, False):
                mask = record & (rule == rule_code) & (rank == r) & (has_oldest == dated)
                count = int(mask.sum())
                if not count:
                    continue
                block = Block(count).int8(cols["id"][mask]).date(on).text(rule_name).text(grade.value)
                block.date(cols["oldest"][mask]) if dated else block.null()
                block.int4(days[mask]).numeric(cols["outstanding"][mask], 2)
                block.int8(job_run_id) if job_run_id is not None else block.null()
                blocks.append(block)
    written = io.copy_in(conn, "loans_graderecord", GRADE_COLUMNS, blocks)
    if cache.any():
        ids = cols["id"][cache]
        io.temp_table(conn, "batch_graded", {"id": ids, "rank": rank[cache].astype(np.int64)})
        names = ", ".join(f"({r}, '{g.value}')" for r, g in enumerate(GRADES))
        # The id range: this chunk's accounts by primary key, not a scan of every account per chunk.
        io.execute(conn, f"""
            UPDATE loans_loanaccount a SET grade = g.name, graded_on = %(on)s
              FROM batch_graded t JOIN (VALUES {names}) AS g(rank, name) ON g.rank = t.rank
             WHERE a.contract_id = t.id AND a.contract_id >= %(first)s AND a.contract_id <= %(last)s""",
                   {"on": to_date(on), "first": int(ids.min()), "last": int(ids.max())})
    return written
