"""The state's subsidy interest (贴息) arriving: ``SUBSIDY_RECEIVED`` against each contract's
receivable (DOMAIN.md §4 Subsidy split, §6; seed [003] 资金管理办法 第二十一条).

Settlement posts ``SUBSIDY_INTEREST`` (the receivable grows); this is the only writer of the other
side. Callers (the funds app's payment record) pass the whole transfer at once: every line is checked
against the locked receivables before anything is posted, so a transfer is posted whole or not at
all, and no receivable ever goes below zero (the account's CHECK would refuse it anyway).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db import connection, transaction

from xuedai.audit.services import audit_bulk
from xuedai.batch import exact, io

from ..models import Kind, LoanAccount, Posting

CHUNK = 500  # ids per statement: well under SQLite's bound-parameter limit


class SubsidyReceiptError(ValueError):
    """Lines the receivables refuse: {contract id: Chinese reason}."""

    def __init__(self, problems: dict[int, str]) -> None:
        super().__init__("；".join(f"{k}：{v}" for k, v in sorted(problems.items())))
        self.problems = problems


def _move_receivables(ids: list[int], amounts: dict[int, Decimal]) -> None:
    """One UPDATE … FROM (VALUES …) per chunk: the cache moved by exactly the posted amounts
    (set-based; a CASE WHEN per id would compare every row with every id). VALUES columns are
    column1, column2 on both PostgreSQL and SQLite (≥ 3.33 for UPDATE … FROM)."""
    rows = ", ".join(["(%s, %s)"] * len(ids))
    params = [value for i in ids for value in (i, amounts[i])]
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE loans_loanaccount SET subsidy_receivable = subsidy_receivable - v.column2 "
            f"FROM (VALUES {rows}) AS v WHERE loans_loanaccount.contract_id = v.column1",
            params,
        )


def _lock_receivables(ids: list[int]) -> dict[int, Decimal]:
    """Lock the accounts in primary-key order and read their receivables. PostgreSQL: one
    statement joining a temporary table of the ids (a 500-id IN list per query cost ~36 ms each
    over a million accounts); SQLite (one writer at a time): chunks."""
    if connection.vendor == "postgresql":
        conn = connection.connection
        io.temp_table(conn, "subsidy_lock", {"id": np.array(ids, dtype=np.int64)})
        with conn.cursor() as cur:
            cur.execute("""SELECT a.contract_id, a.subsidy_receivable FROM loans_loanaccount a
                             JOIN subsidy_lock t ON t.id = a.contract_id
                            ORDER BY a.contract_id FOR UPDATE OF a""")
            return dict(cur.fetchall())
    receivable: dict[int, Decimal] = {}
    for part in _chunks(ids):
        rows = (
            LoanAccount.objects.select_for_update()
            .filter(pk__in=part)
            .order_by("pk")
            .values_list("pk", "subsidy_receivable")
        )
        receivable.update(rows)
    return receivable


def _post_by_copy(
    ids: list[int], amounts: dict[int, Decimal], on: dt.date, memo: str, job_run_id: int | None
) -> None:
    """PostgreSQL: the postings in one binary COPY and the receivables moved by one UPDATE … FROM a
    temporary table — the batch writers' path (``batch.io``). loans_posting's reference check runs
    once per statement (migration 0004), so 500-row INSERTs would pay it hundreds of times."""
    conn = connection.connection
    account = np.array(ids, dtype=np.int64)
    fen = np.array([exact.fen(amounts[i]) for i in ids], dtype=np.int64)
    postings = io.Postings(exact.day(on), job_run_id, memo=memo[:200])
    postings.add(Kind.SUBSIDY_RECEIVED, account, fen, None)
    postings.write(conn)
    io.temp_table(conn, "subsidy_received", {"id": account, "fen": fen})
    io.execute(
        conn,
        """
        UPDATE loans_loanaccount a SET subsidy_receivable = a.subsidy_receivable - t.fen::numeric / 100
          FROM subsidy_received t WHERE a.contract_id = t.id""",
    )


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@transaction.atomic
def subsidy_received_post(*, actor, amounts: dict[int, Decimal], on: dt.date, memo: str, job_run=None) -> int:
    """Post ``amounts`` (contract id → yuan, each > 0) as 贴息到账; returns the postings written.

    Accounts are locked in primary-key order (no deadlock with a settlement chunk), then checked:
    an unknown account or an amount above its receivable refuses the whole transfer.
    """
    ids = sorted(amounts)
    receivable = _lock_receivables(ids)
    problems = {}
    for contract_id in ids:
        amount = amounts[contract_id]
        if contract_id not in receivable:
            problems[contract_id] = "该合同没有贷款账户"
        elif amount <= 0:
            problems[contract_id] = "到账金额必须大于零"
        elif amount > receivable[contract_id]:
            problems[contract_id] = f"到账金额 {amount} 超过应收贴息余额 {receivable[contract_id]}"
    if problems:
        raise SubsidyReceiptError(problems)
    if connection.vendor == "postgresql":
        _post_by_copy(ids, amounts, on, memo, getattr(job_run, "pk", None))
    else:
        Posting.objects.bulk_create(
            [
                Posting(
                    account_id=i,
                    business_date=on,
                    kind=Kind.SUBSIDY_RECEIVED,
                    amount=amounts[i],
                    job_run=job_run,
                    memo=memo[:200],
                )
                for i in ids
            ],
            batch_size=CHUNK,
        )
        for part in _chunks(ids):
            _move_receivables(part, amounts)
    if ids:
        audit_bulk(
            actor=actor,
            action="loans.subsidy_received",
            model=LoanAccount,
            ids=ids,
            what=f"贴息到账 {len(ids)} 份合同",
            after={"memo": memo, "on": on.isoformat(), "total": str(sum(amounts.values()))},
        )
    return len(ids)
