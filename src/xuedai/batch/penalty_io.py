"""The penalty accrual (罚息复利计提) at scale: one partition of accounts, set-based.

Does for the accounts of one partition (:mod:`.partitions`) what ``loans.services.penalty_accrue``
does for one (DOMAIN.md §4 Overdue): the penalty and compound interest accrued and not yet charged,
to the day, cached on the account (``penalty_accrued`` / ``penalty_accrued_on``; no posting). The
amounts are the deduction run's kernel (:func:`.deduct_io.accrued_penalties`: each unpaid item from
the later of its due day and the last charge, at the rate in force, 150 % from a misuse flag; 罚息 and
复利 rounded separately), 0 for an account owing only what falls due that day.

The scalar service also re-derives the account's cached balances from its postings and moves the
contract row after them (``account_refresh``); here only what the balances already say is mirrored
on the contract — its outstanding principal, its first overdue day and its servicing state (one
event per contract that moves, through ``contract_states_copy``) — since the balances themselves
are held by every posting's writer and checked by ``xuedai reconcile``.

Accounts whose accrual the kernel does not follow are left to the scalar service, as the
settlement's are (:data:`SCALAR_ONLY`): a relief programme (its waiver restarts the accrual on the
day even when nothing was waived; a deferral moves principal that was already accruing), an early
repayment, waiting credit. :func:`leftover_ids` hands them to the coordinator's scalar phase.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import numpy as np

from xuedai.batch import deduct_io, io
from xuedai.batch.exact import NO_DATE, to_date
from xuedai.batch.io import Timings
from xuedai.origination.services.transitions import contract_states_copy

SCALAR_ONLY = """
    (a.credit > 0
     OR EXISTS (SELECT 1 FROM loans_reliefapplication r WHERE r.account_id = a.contract_id)
     OR EXISTS (SELECT 1 FROM loans_earlyrepaymentapplication e WHERE e.account_id = a.contract_id))
"""
STATES = ("disbursed", "repaying", "overdue")  # settle_io's codes, the states an owing account can be in
READ = [
    io.Column("id", "a.contract_id"),
    io.Column("oldest", io.day_sql("a.oldest_unpaid_due"), 4),
    io.Column("self_pay_from", io.day_sql("c.self_pay_from"), 4),
    io.Column("state", "CASE c.state WHEN 'disbursed' THEN 0 WHEN 'repaying' THEN 1 ELSE 2 END::int4", 4),
]


def penalty_chunk(conn, on: int, lo: int, hi: int, *, scope: Mapping) -> Timings:
    """Accrue penalty to ``on`` on the kernel's accounts of the partition ``(lo, hi]`` of ``scope``'s
    province (caller's transaction): ``rows`` the accounts cached, ``postings`` those with an
    amount accrued, ``scalar_rows`` the accounts left to the scalar service, ``totals["accrued"]``
    the fen cached."""
    timings = Timings()
    params = {"lo": lo, "hi": hi, **scope, "on": to_date(on)}
    where = f"{deduct_io.PARTITION} AND NOT {SCALAR_ONLY}"
    started = time.perf_counter()
    cols = io.copy_out(conn, READ, f"{deduct_io.OWING}{where} ORDER BY 1", params)
    with conn.cursor() as cur:
        cur.execute(f"SELECT count(*) {deduct_io.OWING}{deduct_io.PARTITION} AND {SCALAR_ONLY}", params)
        timings.scalar_rows = int(cur.fetchone()[0])
    timings.read_s = time.perf_counter() - started
    overdue, fen, kernel = deduct_io.accrued_penalties(conn, on, where=where, params=params)
    timings.read_s += kernel.read_s
    timings.compute_s = kernel.compute_s
    started = time.perf_counter()
    ids = cols["id"]
    accrued = np.zeros(len(ids), dtype=np.int64)  # owing only what falls due today: nothing accrues
    accrued[np.searchsorted(ids, overdue)] = fen
    deduct_io.penalty_table(conn, ids, accrued)
    deduct_io.penalty_cache(conn, on, ids)
    _follow_contracts(conn, on, cols)
    timings.write_s = time.perf_counter() - started
    timings.rows, timings.postings = len(ids), int((accrued > 0).sum())
    timings.totals = {"accrued": int(accrued.sum())}
    return timings


def _follow_contracts(conn, on: int, cols: dict[str, np.ndarray]) -> None:
    """The contract row after its account, as ``account_refresh`` leaves it: outstanding principal
    and first overdue day (only the rows that differ: a contract row carries ~20 indexes), then
    the state the balances imply on ``on`` — overdue once something was unpaid before the day, else
    repaying once self-pay has started, else disbursed (an owing account is never settled)."""
    ids = cols["id"]
    if len(ids) == 0:
        return
    io.execute(conn, """
        UPDATE origination_contract c
           SET outstanding_principal = a.principal_outstanding, overdue_since = a.oldest_unpaid_due
          FROM loans_loanaccount a JOIN batch_penalty t ON t.id = a.contract_id
         WHERE c.id = a.contract_id AND c.id >= %(first)s AND c.id <= %(last)s
           AND a.contract_id >= %(first)s AND a.contract_id <= %(last)s
           AND (c.outstanding_principal IS DISTINCT FROM a.principal_outstanding
                OR c.overdue_since IS DISTINCT FROM a.oldest_unpaid_due)""",
               {"first": int(ids.min()), "last": int(ids.max())})
    oldest, self_pay = cols["oldest"], cols["self_pay_from"]
    state = np.where((oldest != NO_DATE) & (oldest < on), 2,
                     np.where((self_pay != NO_DATE) & (self_pay <= on), 1, 0))
    moved = state != cols["state"]
    if moved.any():
        names = np.array(STATES)
        contract_states_copy(conn, ids[moved].tolist(), names[cols["state"][moved]].tolist(),
                             names[state[moved]].tolist(), business_date=to_date(on), comment="账务变化")


def leftover_ids(conn, on: int, *, after: int, limit: int) -> list[int]:
    """The next ``limit`` owing accounts (contract ids above ``after``, in order) the kernel leaves to
    the scalar service; keyset on the id, so a resumed phase continues after its last chunk."""
    with conn.cursor() as cur:
        cur.execute(f"SELECT a.contract_id {deduct_io.OWING} AND a.contract_id > %(after)s AND {SCALAR_ONLY} "
                    "ORDER BY 1 LIMIT %(limit)s", {"on": to_date(on), "after": after, "limit": limit})
        return [row[0] for row in cur.fetchall()]
