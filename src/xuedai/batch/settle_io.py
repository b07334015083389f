"""The annual settlement batch at scale: COPY out, :func:`xuedai.batch.settle_kernel.settle`, COPY in.

Does for a chunk of accounts what ``loans.services.settlement_post`` does for one (DOMAIN.md §4
Settlement): posts 贴息 (``subsidy_interest``), the borrower's interest (``interest``) and the plan's
principal (``principal``), all with ``due_on`` = the settlement day and memo 结息 as
``loans.replay`` maps a settlement row, then moves the cached balances the way
``loans.services.ledger.account_refresh`` would derive them from those postings (subsidy
receivable, interest due, principal due, oldest unpaid due day, last settled day; the contract's
state, through the servicing rows of the transition table with one event per changed contract —
see :func:`write` for the one difference).

Terms come from the contract row and its policy version exactly as ``loans.terms.contract_terms``
builds them: principal, signing rate and the rate schedule (``loans_ratechange``: the rate on the
period start, the changes inside the period, computed vectorised by ``batch.rate_kernel``),
disbursement, maturity, self-pay start; the version's settlement day,
basis and grace years; the default plan from the first settlement after the self-pay start moved on
by the grace years (none while the self-pay start is unknown, or if that falls after maturity).

Accounts the kernel does not cover — waiting credit (it pays the new amounts at once: an
allocation), a relief programme (waivers, deferral), an early-repayment application due that day, a
chosen plan or a suspension — are left unsettled by the chunk; :func:`leftover_ids` hands them, in
id order, to the caller's scalar service as a later phase of the same job (``batch.runs``).
"""

from __future__ import annotations

import time

import numpy as np

from xuedai.batch import io, partitions
from xuedai.batch.dates import BASE, FIRST_YEAR, LAST_YEAR, SPAN, from_ymd
from xuedai.batch.dates import field as calendar_field
from xuedai.batch.exact import NO_DATE, RATE_SCALE, KernelRangeError, to_date
from xuedai.batch.io import LIVE, Timings
from xuedai.batch.parallel import map_chunks
from xuedai.batch.rate_kernel import period_rates, sparse
from xuedai.batch.settle_kernel import settle
from xuedai.origination.services.transitions import contract_states_copy

READ = [
    io.Column("id", "a.contract_id"),
    io.Column("principal", io.fen_sql("c.amount")),
    io.Column("not_yet_due", io.fen_sql("a.principal_outstanding - a.principal_due")),
    io.Column("rate", f"(c.annual_rate * {RATE_SCALE})::int8"),
    io.Column("disbursed_on", io.day_sql("c.disbursed_on"), 4),
    io.Column("maturity", io.day_sql("c.maturity_date"), 4),
    io.Column("period_start", io.day_sql("COALESCE(a.last_settled_on, c.disbursed_on)"), 4),
    io.Column("self_pay_from", io.day_sql("c.self_pay_from"), 4),
    io.Column("oldest", io.day_sql("a.oldest_unpaid_due"), 4),
    io.Column("policy", "c.policy_version_id"),
    io.Column("state", "CASE c.state WHEN 'disbursed' THEN 0 WHEN 'repaying' THEN 1 ELSE 2 END::int4", 4),
]
STATES = ("disbursed", "repaying", "overdue")

# The accounts a settlement on %(on)s concerns, in a chunk of contract ids (lo, hi].
SELECTION = f"""
    FROM loans_loanaccount a JOIN origination_contract c ON c.id = a.contract_id
    WHERE a.contract_id > %(lo)s AND a.contract_id <= %(hi)s AND c.state IN {LIVE}
      -- the same range on the contract side: PostgreSQL does not carry a range across a join, and
      -- without it every chunk would scan all contracts (quadratic at 10⁷)
      AND c.id > %(lo)s AND c.id <= %(hi)s
      AND a.opened_on < %(on)s AND a.principal_outstanding > 0
      AND (a.last_settled_on IS NULL OR a.last_settled_on < %(on)s)
"""


def _scalar_only(staged: str) -> str:
    """Whether the account goes to the scalar service, with ``staged`` the test for a staged
    disbursement. Chosen plans (还款计划变更), suspensions (休学) and staged disbursements change the
    principal plan, the payer periods or the interest base inside a period, which the kernel does not
    model (loans.terms reads them from the loans-owned terms changes and origination's instalment
    plan, as here)."""
    return f"""
    (a.credit > 0
     -- staged disbursement (loans.DisbursementTranche): the base grows inside a period
     OR {staged}
     OR EXISTS (SELECT 1 FROM loans_termschange t
                WHERE t.contract_id = a.contract_id AND t.kind IN ('chosen_plan', 'suspension'))
     OR EXISTS (SELECT 1 FROM loans_reliefapplication r WHERE r.account_id = a.contract_id)
     OR EXISTS (SELECT 1 FROM loans_earlyrepaymentapplication e
                WHERE e.account_id = a.contract_id AND e.deduct_on = %(on)s AND e.status = 'pending'))
"""


SCALAR_ONLY = _scalar_only("""EXISTS (SELECT 1 FROM origination_instalment i
                WHERE i.contract_id = a.contract_id AND i.due_on > a.opened_on)""")
# The same test for a chunk's whole range at once: the instalment plans of the range are read once,
# as one hashed set, instead of an index probe per account (0.4 s of a 250,000-account chunk's 1.4 s
# read, nearly all of them finding nothing).
SCALAR_ONLY_IN_CHUNK = _scalar_only("""a.contract_id IN (SELECT i.contract_id FROM origination_instalment i
                                JOIN loans_loanaccount o ON o.contract_id = i.contract_id
                               WHERE i.contract_id > %(lo)s AND i.contract_id <= %(hi)s
                                 AND i.due_on > o.opened_on)""")
# One read per chunk: the kernel's columns and, per account, whether the scalar service takes it.
CHUNK_READ = [*READ, io.Column("scalar", f"(CASE WHEN {SCALAR_ONLY_IN_CHUNK} THEN 1 ELSE 0 END)::int4", 4)]
# The chunk's rate schedules (loans.RateChange, DOMAIN.md §4): every change before the settlement day, so
# the kernel knows the rate on each period start and the changes inside the period (rate_kernel).
RATE_CHANGES_READ = [
    io.Column("id", "r.contract_id"),
    io.Column("day", io.day_sql("r.effective_from"), 4),
    io.Column("rate", f"(r.annual_rate * {RATE_SCALE})::int8"),
]
RATE_CHANGES_FROM = """
    FROM loans_ratechange r
    WHERE r.contract_id > %(lo)s AND r.contract_id <= %(hi)s AND r.effective_from < %(on)s
    ORDER BY r.contract_id, r.effective_from"""


def policy_columns(conn) -> dict[str, np.ndarray]:
    """Per policy version id (dense lookup arrays): settlement month and day, grace years, basis;
    ``first_due``, :func:`first_due_table`; ``one_day``, ``[month, day]`` when every version settles
    on the same month-day (the kernel then takes scalars), else empty."""
    with conn.cursor() as cur:
        cur.execute("SELECT id, settlement_day, grace_years, interest_basis FROM policies_policyversion")
        rows = cur.fetchall()
    size = max((r[0] for r in rows), default=0) + 1
    table = {k: np.zeros(size, dtype=np.int64) for k in ("month", "dom", "grace", "actual_360")}
    days = set()
    for pk, settlement_day, grace, basis in rows:
        month, dom = (int(x) for x in settlement_day.split("-"))
        table["month"][pk], table["dom"][pk] = month, dom
        table["grace"][pk], table["actual_360"][pk] = grace, basis == "actual_360"
        days.add((month, dom))
    table["one_day"] = np.array(days.pop() if len(days) == 1 else (), dtype=np.int64)
    table["first_due"] = first_due_table(table)
    return table


def first_principal_due(self_pay_from: np.ndarray, month: np.ndarray, dom: np.ndarray,
                        grace: np.ndarray) -> np.ndarray:
    """``loans.terms.principal_from``: the first settlement day strictly after the self-pay start
    (``core.daycount.next_occurrence``), moved on by the grace years; NO_DATE while unknown."""
    known = self_pay_from != NO_DATE
    start = np.where(known, self_pay_from, 0)
    year = calendar_field("year", start) + (calendar_field("key", start) >= month * 32 + dom)
    return np.where(known, from_ymd(year + grace, month, dom), NO_DATE)


def first_due_table(policies: dict[str, np.ndarray]) -> np.ndarray:
    """:func:`first_principal_due` for every (policy version, self-pay day), flattened: row ``policy``
    holds the ``SPAN`` days of the calendar, then NO_DATE — so a chunk's first principal dates are one
    gather instead of a dozen column operations (a fifth of the settlement kernel's time).

    A first principal date past the calendar (self-pay start in the 2190s, or after it) is stored as
    NO_DATE: both mean "no plan, everything at maturity", since a maturity inside the calendar is then
    earlier (``default_plan_due``)."""
    days = np.arange(BASE, BASE + SPAN, dtype=np.int64)
    out = np.full((len(policies["month"]), SPAN + 1), NO_DATE, dtype=np.int32)
    for pk in np.flatnonzero(policies["month"]):
        month, dom, grace = (int(policies[k][pk]) for k in ("month", "dom", "grace"))
        fits = calendar_field("year", days) + 1 + grace <= LAST_YEAR
        out[pk, :SPAN][fits] = first_principal_due(days[fits], month, dom, grace)
    return out.ravel()


def first_due_lookup(policies: dict[str, np.ndarray], policy: np.ndarray,
                     self_pay_from: np.ndarray) -> np.ndarray:
    """The chunk's first principal dates from :func:`first_due_table` (NO_DATE while unknown)."""
    if self_pay_from.size and int(self_pay_from.min()) < BASE:
        raise KernelRangeError(f"a self-pay start before {FIRST_YEAR}")
    return policies["first_due"][policy * (SPAN + 1) + np.minimum(self_pay_from - BASE, SPAN)]


def _settle_with_policy(on: int, policies: dict[str, np.ndarray], policy: np.ndarray,
                        self_pay_from: np.ndarray, change_on: np.ndarray | None = None,
                        change_rate: np.ndarray | None = None, **cols: np.ndarray):
    """One chunk: the policy version's terms looked up, the first principal date derived, settled."""
    first = first_due_lookup(policies, policy, self_pay_from)
    cols["changes"] = sparse(change_on, change_rate)  # type: ignore[assignment]
    if policies["one_day"].size:  # one settlement day for every version (the usual case): scalars
        month, dom = (int(x) for x in policies["one_day"])
    else:
        month, dom = policies["month"][policy], policies["dom"][policy]
        if (month == month[0]).all() and (dom == dom[0]).all():  # this chunk under one day
            month, dom = int(month[0]), int(dom[0])
    basis = policies["actual_360"][policy].astype(bool) if policies["actual_360"].any() else None
    return settle(on, self_pay_from=self_pay_from, first_principal_due=first,
                  actual_360=basis if basis is not None and basis.any() else None, month=month, dom=dom,
                  **cols)


def compute(on: int, cols: dict[str, np.ndarray], policies: dict[str, np.ndarray],
            changes: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """The settlement kernel over a chunk's columns, terms completed from the policy versions;
    ``changes``: the chunk's rate-change rows (``id``, ``day``, ``rate``; :data:`RATE_CHANGES_READ`)."""
    if len(cols["id"]) == 0:
        names = ("settles", "subsidy_interest", "borrower_interest", "principal_due", "waived_interest")
        return {k: np.zeros(0, dtype=bool if k == "settles" else np.int64) for k in names}
    rate, change_on, change_rate = cols["rate"], None, None
    if changes is not None and len(changes["id"]):
        rate, change_on, change_rate = period_rates(cols["id"], cols["period_start"], on, cols["rate"],
                                                    changes["id"], changes["day"], changes["rate"])
    return map_chunks(
        _settle_with_policy, len(cols["id"]), on=on, policies=policies, policy=cols["policy"],
        change_on=change_on, change_rate=change_rate,
        principal=cols["principal"], not_yet_due=cols["not_yet_due"], rate=rate,
        disbursed_on=cols["disbursed_on"], maturity=cols["maturity"], period_start=cols["period_start"],
        self_pay_from=cols["self_pay_from"],
    )


def write(conn, on: int, cols: dict[str, np.ndarray], result: dict[str, np.ndarray],
          job_run_id: int | None) -> tuple[int, dict[str, int], dict[str, int]]:
    """Post the chunk's settlement and move the cached balances; returns (postings, fen by kind,
    postings by kind)."""
    settles = result["settles"]
    ids = cols["id"][settles]
    subsidy, interest = result["subsidy_interest"][settles], result["borrower_interest"][settles]
    principal = result["principal_due"][settles]
    postings = io.Postings(on, job_run_id, memo="结息")
    postings.add("subsidy_interest", ids, subsidy, on)
    postings.add("interest", ids, interest, on)
    postings.add("principal", ids, principal, on)
    written = postings.write(conn)
    if len(ids) == 0:
        return written, postings.totals, postings.counts
    io.temp_table(conn, "batch_settled", {"id": ids, "subsidy": subsidy, "interest": interest,
                                          "principal": principal})
    # The id range lets PostgreSQL read just this chunk's accounts by primary key: without it the
    # join hashes the chunk and scans every account, once per chunk (quadratic over a portfolio).
    params = {"on": _date(on), "first": int(ids.min()), "last": int(ids.max())}
    io.execute(conn, """
        UPDATE loans_loanaccount a
           SET subsidy_receivable = a.subsidy_receivable + t.subsidy::numeric / 100,
               interest_due = a.interest_due + t.interest::numeric / 100,
               principal_due = a.principal_due + t.principal::numeric / 100,
               oldest_unpaid_due = CASE WHEN t.interest + t.principal > 0
                                        THEN LEAST(a.oldest_unpaid_due, %(on)s) ELSE a.oldest_unpaid_due END,
               last_settled_on = %(on)s, updated_at = now()
          FROM batch_settled t WHERE a.contract_id = t.id
           AND a.contract_id >= %(first)s AND a.contract_id <= %(last)s""", params)
    # The contract's state as account_refresh → contract_state derives it: overdue only if something
    # was unpaid before today (amounts due today are not overdue yet), else repaying once self-pay
    # has started. Only the few rows whose state changes are written (origination_contract carries
    # ~20 indexes: rewriting a row costs ~50 µs). Unlike account_refresh, ``overdue_since`` is not
    # set to today for an amount merely due today: it stays the first *overdue* day.
    state = np.where(cols["oldest"] < on, 2, np.where(cols["self_pay_from"] <= on, 1, 0))[settles]
    moved = state != cols["state"][settles]
    if moved.any():
        names = np.array(STATES)
        contract_states_copy(conn, ids[moved].tolist(), names[cols["state"][settles][moved]].tolist(),
                             names[state[moved]].tolist(), business_date=_date(on), comment="结息")
    return written, postings.totals, postings.counts


def _date(day_number: int):
    return to_date(day_number)


def settle_chunk(conn, on: int, lo: int, hi: int, *, job_run_id: int | None = None,
                 policies: dict[str, np.ndarray] | None = None, scope: dict | None = None) -> Timings:
    """Settle the kernel-covered accounts with contract ids in ``(lo, hi]`` (caller's transaction);
    ``scope``: only those of one province (:func:`xuedai.batch.partitions.scope_params`).

    The accounts the scalar service must settle are counted (``scalar_rows``) and left as they are:
    :func:`leftover_ids` finds them afterwards, still unsettled, for the same job's next phase."""
    timings = Timings()
    policies = policies if policies is not None else policy_columns(conn)
    params = {"on": _date(on), "lo": lo, "hi": hi, **(scope or {})}
    started = time.perf_counter()
    everything = io.copy_out(conn, CHUNK_READ, SELECTION + (partitions.FILTER if scope else ""), params)
    scalar = everything.pop("scalar").astype(bool)
    timings.scalar_rows = int(scalar.sum())
    cols = {name: column[~scalar] for name, column in everything.items()} if scalar.any() else everything
    timings.read_s = time.perf_counter() - started
    timings.rows = len(cols["id"])
    if timings.rows == 0:
        return timings
    started = time.perf_counter()
    changes = io.copy_out(conn, RATE_CHANGES_READ, RATE_CHANGES_FROM, params)
    timings.read_s += time.perf_counter() - started
    started = time.perf_counter()
    result = compute(on, cols, policies, changes)
    timings.compute_s = time.perf_counter() - started
    started = time.perf_counter()
    timings.postings, timings.totals, timings.counts = write(conn, on, cols, result, job_run_id)
    timings.write_s = time.perf_counter() - started
    return timings


def leftover_ids(conn, on: int, *, after: int, limit: int) -> list[int]:
    """The next ``limit`` accounts (contract ids above ``after``, in order) that a settlement on ``on``
    concerns, that the kernel leaves to the scalar service (:data:`SCALAR_ONLY`) and that are not
    settled yet. Once settled (``last_settled_on`` = the day) an account leaves this selection, so a
    resumed run finds exactly the leftovers still to do."""
    with conn.cursor() as cur:
        cur.execute(f"SELECT a.contract_id {SELECTION} AND {SCALAR_ONLY} ORDER BY 1 LIMIT %(limit)s",
                    {"on": _date(on), "lo": after, "hi": 2**62, "limit": limit})
        return [row[0] for row in cur.fetchall()]
