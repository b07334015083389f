"""The season's paperwork around the contracts: online applications, county batches and who did
each step — what the origination services write when the work is done through the pages.

- An APPLICATION row of the plan is a student's online application the county has not turned into a
  contract yet (新增合同, DOMAIN.md §3.1 step 2): it leaves the contracts and becomes an Application.
- Every home-county contract that reached the county's summary (汇总并提交, step 4) is in its
  county's batch of that year, numbered in the batch's order (档案序号, step 8); a batch's state is
  the county's step (contracts.COUNTY_STAGES) this year and 银行已审查 in every earlier year.
- The maker and the checker of each step are the demo accounts where the demo has one for that
  organisation (三台县's operator and supervisor, 四川大学's officer, the province and the bank), so
  the maker ≠ checker rule holds on the demo as on real work.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .contracts import (
    ACCEPTING,
    APPLICATION,
    APPROVED,
    BANK_CHECKED,
    BANK_REVIEWED,
    COUNTY_STAGES,
    COUNTY_SUBMITTED,
    DISBURSED,
    HOME_COUNTY,
    IN_REVIEW,
    NAT,
    OVERDUE,
    PROVINCE_AUDITED,
    PROVINCE_SUBMITTED,
    REFUSED,
    REPAYING,
    RETURNED,
    SETTLED,
    Contracts,
    among,
)
from .people import CURRENT_YEAR, day, rank_within

BATCH_STATES = ["summarised", "county_submitted", "province_audited", "province_submitted", "bank_reviewed"]
STAGE_BATCH_STATE = {ACCEPTING: 0, COUNTY_SUBMITTED: 1, PROVINCE_AUDITED: 2, PROVINCE_SUBMITTED: 3,
                     BANK_REVIEWED: 4}
# States of a contract that went into a county batch (summarised and after, whatever the bank said).
IN_BATCH = (IN_REVIEW, BANK_CHECKED, RETURNED, APPROVED, DISBURSED, REPAYING, OVERDUE, SETTLED, REFUSED)
# (month, day) of each batch step in an ordinary year, after the receipts (by 31 Oct) and before the
# mid-November payout (§3.1 steps 3–7): summarised, reported by the county supervisor, audited and
# reported by the province, closed by the bank (its contracts decided between the last two).
USUAL_STEPS = [(11, 1), (11, 2), (11, 4), (11, 5), (11, 9)]
# This year the steps ran later in the counties still at them (contracts.COUNTY_STAGES).
THIS_YEAR_STEPS = {ACCEPTING: [(11, 18)], COUNTY_SUBMITTED: [(11, 11), (11, 13)],
                   PROVINCE_AUDITED: [(11, 10), (11, 12), (11, 16)],
                   PROVINCE_SUBMITTED: [(11, 6), (11, 9), (11, 11), (11, 12)],
                   BANK_REVIEWED: USUAL_STEPS}


@dataclass
class Applications:
    """Online applications submitted and waiting for the county (ApplicationState.SUBMITTED)."""

    n: int
    borrower: np.ndarray
    year: np.ndarray
    amount: np.ndarray
    tuition: np.ndarray
    accommodation: np.ndarray
    term_years: np.ndarray
    submitted_on: np.ndarray
    is_renewal: np.ndarray


def split_applications(plan: Contracts) -> tuple[Contracts, Applications]:
    """The plan without its APPLICATION rows, and those rows as applications."""
    is_application = plan.state == APPLICATION
    keep = ~is_application
    kept = {}
    for f in fields(plan):
        value = getattr(plan, f.name)
        if isinstance(value, np.ndarray) and f.name not in ("first_year", "last_year"):
            kept[f.name] = value[keep]
    contracts = Contracts(n=int(keep.sum()), first_year=plan.first_year, last_year=plan.last_year, **kept)
    rows = np.flatnonzero(is_application)
    applications = Applications(
        n=len(rows), borrower=plan.borrower[rows], year=plan.year[rows], amount=plan.amount[rows],
        tuition=plan.tuition[rows], accommodation=plan.accommodation[rows], term_years=plan.term_years[rows],
        submitted_on=plan.applied_on[rows], is_renewal=plan.is_renewal[rows])
    return contracts, applications


@dataclass
class Batches:
    """One batch per county and academic year (sequence 1), for the years that had a summary."""

    n: int
    county: np.ndarray  # index into places.COUNTIES
    year: np.ndarray
    state: np.ndarray  # index into BATCH_STATES
    contracts: np.ndarray
    total: np.ndarray  # yuan
    steps: np.ndarray  # (n, 5) datetime64[D] of summarised … bank closed; NaT where not reached
    of_contract: np.ndarray  # per contract row: its batch (-1: none)
    archive_no: np.ndarray  # per contract row: its line in the batch's 汇总表 (0: none)


def make_batches(plan: Contracts, county_of_contract: np.ndarray) -> Batches:
    """Every home-county contract that reached the summary, in its county's batch of the year."""
    batched = (plan.product == HOME_COUNTY) & among(plan.state, *IN_BATCH)
    key = np.where(batched, county_of_contract * 10_000 + plan.year, -1)
    keys, of_contract = np.unique(key[batched], return_inverse=True)
    of = np.full(plan.n, -1, dtype=np.int64)
    of[batched] = of_contract
    n = len(keys)
    county, year = keys // 10_000, keys % 10_000
    stage = np.where(year == CURRENT_YEAR, np.array(COUNTY_STAGES)[county], BANK_REVIEWED)
    state = np.array([STAGE_BATCH_STATE[s] for s in range(len(STAGE_BATCH_STATE))])[stage]
    steps = np.full((n, len(BATCH_STATES)), NAT, dtype="datetime64[D]")
    for i in range(n):
        table = THIS_YEAR_STEPS[int(stage[i])] if year[i] == CURRENT_YEAR else USUAL_STEPS
        for k, (month, dom) in enumerate(table):
            steps[i, k] = day(int(year[i]), month, dom)
    # The 汇总表 lists a batch's contracts in contract-number order (the plan's row order).
    archive_no = np.where(batched, rank_within(np.where(batched, of, -1)) + 1, 0)
    amount = plan.amount.astype(np.int64)
    return Batches(n=n, county=county, year=year, state=state,
                   contracts=np.bincount(of_contract, minlength=n),
                   total=np.bincount(of_contract, weights=amount[batched], minlength=n).astype(np.int64),
                   steps=steps, of_contract=of, archive_no=archive_no)


def bank_decision_day(plan: Contracts, batches: Batches, rng: np.random.Generator) -> np.ndarray:
    """The day the bank decided each batched contract it has decided (approved, returned, refused):
    between the province's report and the batch's close (or the business date while still open)."""
    decided = among(plan.state, APPROVED, DISBURSED, REPAYING, OVERDUE, SETTLED, RETURNED, REFUSED)
    of = batches.of_contract
    has = decided & (of >= 0)
    start = np.where(has, batches.steps[np.maximum(of, 0), 3], NAT)
    close = batches.steps[np.maximum(of, 0), 4]
    end = np.where(np.isnat(close), day(CURRENT_YEAR, 11, 19), close)
    span = np.maximum((end - start).astype(np.int64), 1)
    offset = (rng.random(plan.n) * span).astype(np.int64)
    decided_on = np.where(has, start + offset + 1, NAT)
    # A payout is after the approval; a disbursed contract's approval is before its disbursement.
    return np.where(has & ~np.isnat(plan.disbursed_on),
                    np.minimum(decided_on, plan.disbursed_on - np.timedelta64(1, "D")), decided_on)

