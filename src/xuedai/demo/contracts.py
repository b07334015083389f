"""The contracts: one per academic year of study so far, in the states the business date implies.

As of 2026-11-20 (DOMAIN.md §3, §4, §8):
- the 2026 academic year is mid-cycle: applications, reviews and approvals, a few already paid out
  (disbursement runs around mid-November), a few declined or withdrawn;
- earlier years of students still studying were disbursed in mid-November of their year;
- graduates pay their own interest from 1 September of the graduation year and principal after the
  grace period: repaying, overdue (since a missed 20 December), or settled.
Amounts respect the signing version's range and multiple; rate, term and maturity come from it.
"""

from dataclasses import dataclass, fields

import numpy as np

from xuedai.origination.models import ContractState as S

from .people import BUSINESS_DATE, CURRENT_YEAR, MASTER, Students, day, weighted
from .places import COUNTIES, UNIVERSITIES
from .policy import PolicyLookup

STATES = ["applied", "signed", "receipted", "in_review", "returned", "approved", "disbursed",
          "repaying", "overdue", "settled", "declined", "refused", "withdrawn",
          "in_notice", "office_reviewed", "office_sent", "bank_checked", "qualified", "application"]
# Issue 4 adds the 生源地 and campus steps; on a schema without them, each folds into the state that
# covered it before.
FALLBACK = {"signed": "in_review", "receipted": "in_review", "returned": "in_review", "refused": "declined",
            "in_notice": "in_review", "office_reviewed": "in_review", "office_sent": "in_review",
            "bank_checked": "in_review", "qualified": "approved", "application": "applied"}
(APPLIED, SIGNED, RECEIPTED, IN_REVIEW, RETURNED, APPROVED, DISBURSED, REPAYING, OVERDUE, SETTLED,
 DECLINED, REFUSED, WITHDRAWN, IN_NOTICE, OFFICE_REVIEWED, OFFICE_SENT, BANK_CHECKED, QUALIFIED,
 APPLICATION) = range(len(STATES))
# APPLICATION is not a contract: the student's online application, waiting for the county to turn
# it into one (新增合同); season.split_applications takes those rows out of the contracts.

# The 2026 season on 20 November (DOMAIN.md §3.1), county by county: each county is at one step of
# its year, so every role has work waiting. A county that has reported its batch can no longer add
# contracts (the year is locked, [001 附件三 四.1]); 三台县, where the demo's county staff work, is
# still accepting, so its operator can create contracts and its supervisor has a batch to report.
ACCEPTING, COUNTY_SUBMITTED, PROVINCE_AUDITED, PROVINCE_SUBMITTED, BANK_REVIEWED = range(5)
COUNTY_STAGES = [ACCEPTING, BANK_REVIEWED, COUNTY_SUBMITTED, PROVINCE_AUDITED, PROVINCE_SUBMITTED,
                 PROVINCE_SUBMITTED, BANK_REVIEWED, BANK_REVIEWED, BANK_REVIEWED, BANK_REVIEWED]
STAGE_MIX = {
    # Online applications, contracts waiting for the supervisor, for receipts, for the summary; the
    # rest summarised in a batch the supervisor has not reported yet.
    ACCEPTING: {APPLICATION: 10, APPLIED: 10, SIGNED: 16, RECEIPTED: 14, IN_REVIEW: 44, DECLINED: 3},
    COUNTY_SUBMITTED: {IN_REVIEW: 88, DECLINED: 4, WITHDRAWN: 8},
    PROVINCE_AUDITED: {IN_REVIEW: 88, DECLINED: 4, WITHDRAWN: 8},
    # The bank is half-way through the batch: some reviewed (审查) and waiting for the approver.
    PROVINCE_SUBMITTED: {IN_REVIEW: 30, BANK_CHECKED: 20, APPROVED: 32, RETURNED: 4, REFUSED: 2, DECLINED: 4,
                         WITHDRAWN: 8},
    # Reviewed: approved waiting for the payout, the first disbursements, returned contracts the county
    # has to fix and resubmit.
    BANK_REVIEWED: {APPROVED: 24, DISBURSED: 52, RETURNED: 5, REFUSED: 3, DECLINED: 4, WITHDRAWN: 8},
}
# Campus loans of the year (§3.2): entered and waiting for the department, department review and
# 公示, the loan office, the bank, then the contract is signed in person (approved) and paid out.
CAMPUS_MIX = {APPLIED: 5, IN_NOTICE: 5, OFFICE_REVIEWED: 6, OFFICE_SENT: 8, IN_REVIEW: 6, BANK_CHECKED: 10,
              QUALIFIED: 12, APPROVED: 15, DISBURSED: 36, REFUSED: 4, DECLINED: 4}
# Days from a campus application to each step's state (院系初审 then 5 days of 公示, the loan office,
# the province within 3 working days, the bank within 5): the in-progress ones are dated from them.
CAMPUS_STEP_DAYS = {APPLIED: 0, IN_NOTICE: 2, OFFICE_REVIEWED: 8, OFFICE_SENT: 9, IN_REVIEW: 11,
                    BANK_CHECKED: 13, QUALIFIED: 14}
CAMPUS_SIGNED_AFTER = 16
# States before the contract is signed (campus: until the signing after the bank's approval).
UNSIGNED = [APPLICATION, APPLIED, IN_NOTICE, OFFICE_REVIEWED, OFFICE_SENT, BANK_CHECKED, QUALIFIED]
# States that went through the university's electronic receipt (电子回执, home-county loans).
RECEIPTED_STATES = [RECEIPTED, IN_REVIEW, BANK_CHECKED, RETURNED, APPROVED, DISBURSED, REPAYING, OVERDUE,
                    SETTLED, DECLINED, REFUSED]


def state_codes() -> list[str]:
    """The stored code of each generated state, on this schema."""
    return [code if code in S.values else FALLBACK[code] for code in STATES]


def draw_mix(rng: np.random.Generator, mix: dict[int, int], count: int) -> np.ndarray:
    """States in the given proportions; the last draws cover every state once, so that even a
    small demo (the tests' 200 students) shows each step of the workflow. (The last, because the
    first row is the demo student's, whose state is fixed.)"""
    states = np.array(list(mix))[weighted(rng, list(mix.values()), count)]
    k = min(count, len(mix))
    if k:
        states[count - k:] = list(mix)[:k]
    return states


HOME_COUNTY, CAMPUS = 0, 1
PRODUCTS = ["home_county", "campus"]
NAT = np.datetime64("NaT", "D")


@dataclass
class Contracts:
    n: int
    borrower: np.ndarray      # student row (0 … N-1)
    year: np.ndarray          # academic year
    product: np.ndarray
    state: np.ndarray
    version: np.ndarray       # index into lookup.versions
    rate: np.ndarray          # index into lookup.rates
    amount: np.ndarray        # whole yuan
    tuition: np.ndarray
    accommodation: np.ndarray
    term_years: np.ndarray
    applied_on: np.ndarray
    signed_on: np.ndarray
    receipted_on: np.ndarray
    disbursed_on: np.ndarray
    maturity: np.ndarray
    self_pay_from: np.ndarray
    outstanding: np.ndarray
    overdue_since: np.ndarray
    is_renewal: np.ndarray    # 续贷: not the student's first contract
    first_year: np.ndarray    # per student: first and last academic year with a contract
    last_year: np.ndarray


def among(state: np.ndarray, *states: int) -> np.ndarray:
    """state ∈ states, by table lookup (np.isin sorts, which is slow on millions of rows)."""
    table = np.zeros(len(STATES), dtype=bool)
    table[list(states)] = True
    return table[state]


def _years(s: Students, rng) -> tuple[np.ndarray, np.ndarray]:
    """Per student, the academic years borrowed for: from entry (some start in the second year)
    to the last year of study reached by the business date."""
    last = np.minimum(s.enrolled + s.study_years - 1, CURRENT_YEAR)
    late = (rng.random(s.n) < 0.15) & (s.enrolled < last)
    first = s.enrolled + late
    if s.n:
        first[0] = s.enrolled[0]
    return first, last


def _graduate_status(s: Students, rng) -> tuple[np.ndarray, np.ndarray]:
    """Per graduate: repaying, overdue or settled, and the year of the first missed 20 December."""
    since = CURRENT_YEAR - s.grad_year
    u = rng.random(s.n)
    p_settled = np.minimum(0.04 + 0.05 * since, 0.45)
    p_overdue = np.where(s.grad_year <= CURRENT_YEAR - 1, 0.09, 0.0)
    status = np.select([u < p_settled, u < p_settled + p_overdue], [SETTLED, OVERDUE], REPAYING)
    # Most arrears are recent: the last 20 December, then geometrically fewer further back.
    back = np.minimum(rng.geometric(0.55, s.n) - 1, np.maximum(CURRENT_YEAR - 1 - s.grad_year, 0))
    return status, CURRENT_YEAR - 1 - back


def make_contracts(s: Students, lookup: PolicyLookup, rng: np.random.Generator) -> Contracts:
    first, last = _years(s, rng)
    counts = last - first + 1
    b = np.repeat(np.arange(s.n), counts)
    n = len(b)
    offsets = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)
    year = first[b] + offsets
    graduated = s.grad_year[b] <= BUSINESS_DATE.year - (BUSINESS_DATE.month < 7)

    # --- state ---------------------------------------------------------------------------------------
    current = year == CURRENT_YEAR
    state = np.full(n, DISBURSED)
    stage = np.array(COUNTY_STAGES)[s.county[b]]
    for step, mix in STAGE_MIX.items():
        rows = np.flatnonzero(current & (stage == step))
        state[rows] = draw_mix(rng, mix, len(rows))
    g_status, g_overdue_year = _graduate_status(s, rng)
    state = np.where(graduated, g_status[b], state)
    # A past year that never paid out: declined by the county, refused by the bank, or lapsed.
    skipped = (~current) & (rng.random(n) < 0.025) & (b != 0)
    state = np.where(skipped, np.array([DECLINED, REFUSED, WITHDRAWN])[weighted(rng, [4, 2, 4], n)], state)
    if n:
        state[(b == 0) & current] = IN_REVIEW  # the demo student's renewal is with the county

    # --- product: campus where a version offers it on the application day, home-county otherwise ----
    campus = s.campus[b]
    applied = np.where(campus, day(year, 9, 5) + rng.integers(0, 30, n),
                       day(year, 7, 1) + rng.integers(0, 76, n))
    idx = np.flatnonzero(campus)
    on_campus = np.zeros(n, dtype=bool)
    on_campus[idx] = lookup.resolve(PRODUCTS[CAMPUS], applied[idx])[0] >= 0
    product = np.where(on_campus, CAMPUS, HOME_COUNTY)
    # Campus loans have their own steps and skip the county ones (receipt, batch, county decline).
    this_year = on_campus & current
    # The demo's university (四川大学, its officer's and department's logins) sees every step, and
    # so does the province as a whole.
    demo_university = s.university[b] == 0
    # A past campus year that never paid out was refused by the bank: a campus loan has no county to
    # decline it and no receipt deadline to lapse (its table has neither move).
    state = np.where(on_campus & among(state, DECLINED, WITHDRAWN), REFUSED, state)
    for rows in (np.flatnonzero(this_year & demo_university), np.flatnonzero(this_year & ~demo_university)):
        state[rows] = draw_mix(rng, CAMPUS_MIX, len(rows))

    # --- dates ----------------------------------------------------------------------------------------
    # A campus application still on its way reached its present step a few days ago (the steps'
    # clocks are days, [003 第十二–十五条]): the stragglers of the season, entered in November.
    waiting = this_year & among(state, *CAMPUS_STEP_DAYS)
    step_days = np.zeros(len(STATES), dtype=np.int64)
    step_days[list(CAMPUS_STEP_DAYS)] = list(CAMPUS_STEP_DAYS.values())
    applied = np.where(waiting, day(year, 11, 18) - step_days[state] - rng.integers(0, 3, n), applied)
    signed = np.minimum(applied + rng.integers(0, 21, n), day(year, 10, 25))
    # A campus contract is signed in person after the bank's approval (14 days after the application).
    signed = np.where(on_campus, applied + CAMPUS_SIGNED_AFTER + rng.integers(0, 6, n), signed)
    # A 生源地 contract is signed at the county's check; a campus one after the bank's approval (not
    # while the bank has it in review or checked either).
    unsigned = np.where(on_campus, among(state, *UNSIGNED) | (state == IN_REVIEW),
                        among(state, APPLICATION, APPLIED))
    signed = np.where(unsigned, NAT, signed)
    money_out = among(state, DISBURSED, REPAYING, OVERDUE, SETTLED)
    disbursed = np.where(money_out, day(year, 11, 10) + rng.integers(0, 11, n), NAT)

    # --- policy version and rate in force on the signing day (the application day if unsigned) ------
    reference = np.where(np.isnat(signed), applied, signed)
    version = np.full(n, -1)
    rate = np.full(n, -1)
    for code in (HOME_COUNTY, CAMPUS):
        idx = np.flatnonzero(product == code)
        version[idx], rate[idx] = lookup.resolve(PRODUCTS[code], reference[idx])
    if n and version.min() < 0:
        raise RuntimeError("没有适用的贷款政策版本：请先运行 xuedai migrate。")
    # The receipt comes once the student has registered at the university (September–October).
    receipted = np.minimum(np.maximum(signed, day(year, 9, 3)) + rng.integers(0, 30, n), day(year, 10, 31))
    receipted = np.where(among(state, *RECEIPTED_STATES) & ~on_campus, receipted, NAT)

    # --- amounts: tuition and accommodation first, living costs on top, within the version's range ---
    lo, cap_ug, cap_grad, multiple = lookup.caps()
    uni = s.university[b]
    master = s.level[b] == MASTER
    tuition = np.where(master, 8000, np.array([u.tuition for u in UNIVERSITIES])[uni])
    accommodation = np.array([u.accommodation for u in UNIVERSITIES])[uni] + 100 * rng.integers(-2, 3, n)
    living = 1000 * weighted(rng, [20, 10, 15, 15, 15, 10, 15], n)  # 0 … 6000 yuan
    # Some families borrow only part of the fees (the rest is saved up or comes from relatives).
    partial = rng.random(n) < 0.12
    living = np.where(partial, 0, living)
    tuition_need = np.where(partial, tuition * rng.uniform(0.4, 0.9, n), tuition).astype(np.int64)
    cap = np.where(master, cap_grad[version], cap_ug[version])
    step = np.lcm(multiple[version], 100)  # multiples of 100 satisfy every version's multiple rule
    need = tuition_need + np.where(partial, 0, accommodation) + living
    amount = np.clip(need, np.maximum(lo[version], 1000), cap) // step * step
    tuition = np.minimum(tuition, amount)
    accommodation = np.minimum(accommodation, amount - tuition)

    # --- term, maturity, self-pay start ----------------------------------------------------------------
    grad_year = s.grad_year[b]
    remaining = np.clip(grad_year - year, 1, 6)
    term = lookup.term_table()[version, remaining, np.clip(s.study_years[b], 1, 6)]
    final_m, final_d = lookup.month_day("final_settlement_day")
    maturity = day(year + term, final_m[version], final_d[version])
    month_after = np.array([v.self_pay_rule == "month_after_certificate" for v in lookup.versions])[version]
    self_pay = np.where(month_after, day(grad_year, 7, 1), day(grad_year, 9, 1))

    # --- balances: principal in equal yearly instalments after the grace period ------------------------
    grace = lookup.column("grace_years")[version]
    first_principal = grad_year + grace
    instalments = np.maximum(year + term - first_principal + 1, 1)
    due_before_now = np.clip(CURRENT_YEAR - first_principal, 0, instalments)  # 20 Decs already past
    overdue_year = g_overdue_year[b]
    paid = np.where(state == OVERDUE, np.clip(overdue_year - first_principal, 0, instalments - 1),
                    due_before_now)
    outstanding = amount - paid * (amount // instalments)
    state = np.where((state == REPAYING) & (paid >= instalments), SETTLED, state)
    outstanding = np.where(among(state, DISBURSED, REPAYING, OVERDUE), outstanding, 0)
    repay_m, repay_d = lookup.month_day("repayment_day")
    overdue_since = np.where(state == OVERDUE, day(overdue_year, repay_m[version], repay_d[version]), NAT)
    contracts = Contracts(
        n=n, borrower=b, year=year, product=product, state=state, version=version, rate=rate,
        amount=amount, tuition=tuition, accommodation=accommodation, term_years=term,
        applied_on=applied, signed_on=signed, receipted_on=receipted, disbursed_on=disbursed,
        maturity=maturity,
        self_pay_from=self_pay, outstanding=outstanding, overdue_since=overdue_since,
        is_renewal=year > first[b], first_year=first, last_year=last,
    )
    # Rows in contract-number order (product, year, county or university, then id; see
    # render.contracts), as a county files them: PostgreSQL then rebuilds the two contract_no
    # indexes from presorted input.
    university_region = np.array([int(u.region_code) for u in UNIVERSITIES])[s.university[b]]
    county_region = np.array([int(c.code) for c in COUNTIES])[s.county[b]]
    region = np.where(product == CAMPUS, university_region, county_region)
    order = np.lexsort((region, year, product))
    for f in fields(contracts):
        value = getattr(contracts, f.name)
        if isinstance(value, np.ndarray) and f.name not in ("first_year", "last_year"):
            setattr(contracts, f.name, value[order])
    return contracts

