"""The COPY path end to end on PostgreSQL: a 2,000-contract bench portfolio, settled, filed, graded.

Checks that what lands in the database is what the kernels computed (postings fen for fen, cached
balances moved by exactly those amounts), that the kernels equal the scalar core on the same rows,
that a second run posts nothing, that the deduction file's penalties are the core's, and that the
grades are the core's.
"""

import csv
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection

from xuedai.batch import exact, io, portfolio
from xuedai.batch.bench import scalar_sample
from xuedai.batch.classify_kernel import GRADES
from xuedai.batch.runs import loans_classification, loans_deduction_files, loans_settlement
from xuedai.batch.settle_io import READ, SELECTION, compute, policy_columns, settle_chunk
from xuedai.core.classification import grade
from xuedai.core.interest import Accrual
from xuedai.core.overdue import penalty_accrual
from xuedai.loans.fastpath import kernel_layouts

# transaction=True: the batches commit on connections of their own; serialized_rollback restores the
# policy versions the migrations seed (a transactional test flushes every table after it).
# The portfolio names the shipped policy versions: restored if an earlier test flushed them.
pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("migration_data")]

N = 2000
ON = portfolio.BENCH_DAY


def _conn():
    if connection.vendor != "postgresql":
        pytest.skip("COPY needs PostgreSQL")
    connection.ensure_connection()
    return connection.connection


def _rows(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_settlement_deduction_and_classification_through_copy(tmp_path):
    conn = _conn()
    schema = _schema()
    portfolio.build(conn, N, chunk=700)
    assert _schema() == schema  # every index and foreign key dropped for the load is back
    assert portfolio.existing(conn) == N
    from stdnum.cn import ric

    assert all(ric.is_valid(n) for (n,) in _rows("SELECT id_number FROM borrowers_borrower"))
    on = exact.day(ON)
    before = io.copy_out(conn, READ, SELECTION, {"on": ON, "lo": 0, "hi": 2**62})
    expected = compute(on, before, policy_columns(conn))
    assert scalar_sample(conn, on, N, 20)["kernel_equals_scalar"]
    balances = {row[0]: row[1:] for row in _rows(
        "SELECT contract_id, interest_due, principal_due, subsidy_receivable FROM loans_loanaccount")}

    timings = loans_settlement(ON, chunk=700, connections=2)

    assert timings.rows == N and timings.scalar_rows == 0
    posted = _rows("SELECT account_id, kind, amount FROM loans_posting WHERE business_date = %s "
                   "AND memo = '结息' AND kind IN ('subsidy_interest', 'interest', 'principal')", [ON])
    got = {(a, k): exact.fen(amount) for a, k, amount in posted}
    want = {}
    for kind, column in (("subsidy_interest", "subsidy_interest"), ("interest", "borrower_interest"),
                         ("principal", "principal_due")):
        for account, fen in zip(before["id"].tolist(), expected[column].tolist(), strict=True):
            if fen:
                want[(account, kind)] = fen
        assert timings.totals[kind] == int(expected[column].sum())
    assert got == want
    after = _rows("SELECT contract_id, interest_due, principal_due, subsidy_receivable, last_settled_on "
                  "FROM loans_loanaccount")
    for account, interest, principal, subsidy, settled in after:
        old = balances.pop(account)  # (interest, principal, subsidy) before the settlement
        assert exact.fen(interest - old[0]) == got.get((account, "interest"), 0)
        assert exact.fen(principal - old[1]) == got.get((account, "principal"), 0)
        assert exact.fen(subsidy - old[2]) == got.get((account, "subsidy_interest"), 0)
        assert settled == ON

    # Idempotent: the day's job is done (a second call reports its counts and does nothing), and a
    # forced second pass over every account finds nothing left to settle.
    again = loans_settlement(ON, chunk=700)
    assert (again.rows, again.postings, again.read_s) == (N, timings.postings, 0)
    with conn.transaction():
        assert settle_chunk(conn, on, 0, 2**62).rows == 0
    settled = _rows("SELECT 1 FROM loans_posting WHERE business_date = %s AND memo = '结息'", [ON])
    assert len(settled) == len(got)
    from xuedai.audit.models import AuditEntry

    entry, = AuditEntry.objects.filter(action="loans.settlement_batch")  # one entry for the run
    assert entry.after["rows"] == str(N) and entry.after["business_date"] == str(ON)
    assert entry.after["posted.interest"] == (f"{timings.counts['interest']:,} 笔 "
                                              f"{exact.yuan(timings.totals['interest']):,.2f}")

    paths, deduct = loans_deduction_files(ON, tmp_path, layouts=kernel_layouts())
    lines = [row for path in paths for row in list(csv.reader(path.open(encoding="utf-8-sig")))[1:]]
    owing = _rows("SELECT count(*) FROM loans_loanaccount WHERE principal_due + interest_due > 0")[0][0]
    assert deduct.rows == len(lines) == owing
    _check_penalties(lines)

    quarter = dt.date(2026, 12, 31)
    loans_classification(quarter, chunk=700, dense=True)
    graded = _rows("SELECT g.account_id, g.rule, g.grade, a.oldest_unpaid_due FROM loans_graderecord g "
                   "JOIN loans_loanaccount a ON a.contract_id = g.account_id WHERE g.as_of = %s", [quarter])
    assert len(graded) == N
    assert all(g == grade(rule, oldest, quarter).value for _, rule, g, oldest in graded)
    assert {g.value for g in GRADES} >= {g for _, _, g, _ in graded}


def _schema() -> set[tuple]:
    tables = list(portfolio.TABLES)
    return set(_rows("SELECT tablename, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])) | set(
        _rows("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
              "WHERE conrelid::regclass::text = ANY(%s)", [tables]))


def _check_penalties(lines: list[list[str]]) -> None:
    """Overdue lines: penalty = the core's accruals on each unpaid item since its due day."""
    by_contract = {row[1]: row for row in lines}
    overdue = _rows("""
        SELECT c.contract_no, c.annual_rate, p.kind, p.due_on, p.amount FROM loans_posting p
          JOIN origination_contract c ON c.id = p.account_id
         WHERE p.kind IN ('principal', 'interest') AND p.due_on < %s""", [ON])
    assert overdue, "the bench portfolio has overdue accounts"
    accruals: dict[str, dict[str, Accrual]] = {}
    for contract_no, rate, kind, due_on, amount in overdue:
        acc = accruals.setdefault(contract_no, {"principal": Accrual(), "interest": Accrual()})
        acc[kind] += penalty_accrual(amount, rate, Decimal("1.3"), due_on, ON)
    for contract_no, acc in accruals.items():
        row = by_contract[contract_no]
        assert Decimal(row[9]) == acc["principal"].rounded() + acc["interest"].rounded(), contract_no
        assert Decimal(row[10]) == Decimal(row[7]) + Decimal(row[8]) + Decimal(row[9])


def test_binary_copy_round_trips_amounts_and_dates():
    conn = _conn()
    with conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE t (a numeric(14, 2), d date, r numeric(7, 5))")
    from xuedai.batch.pgbinary import Block

    fen = np.array([1, 10358, 99_999_999_999_999, 123_456_789_012])
    days = exact.days([dt.date(1970, 1, 1), dt.date(2000, 1, 1), dt.date(2026, 12, 20),
                       dt.date(2199, 12, 31)])
    rate = np.array([565_000, 435_000, 0, 10_000_000]) // 100
    io.copy_in(conn, "t", ["a", "d", "r"], [Block(4).numeric(fen, 2).date(days).numeric(rate, 5, 1)])
    back = io.copy_out(conn, [io.Column("a", io.fen_sql("a")), io.Column("d", io.day_sql("d"), 4),
                              io.Column("r", "(r * 100000)::int8")], "FROM t")
    assert back["a"].tolist() == fen.tolist()
    assert back["d"].tolist() == days.tolist()
    assert back["r"].tolist() == rate.tolist()


def test_a_bulk_copy_naming_a_missing_account_writes_nothing():
    """Migration 0004's statement check on COPY: one unknown account fails the whole statement."""
    import psycopg

    conn = _conn()
    portfolio.build(conn, 8, chunk=8)
    ids = np.array([r[0] for r in _rows("SELECT contract_id FROM loans_loanaccount ORDER BY 1")])
    missing = int(ids.max()) + 17
    before = _rows("SELECT count(*) FROM loans_posting")[0][0]
    postings = io.Postings(exact.day(ON), memo="结息")
    postings.add("interest", np.append(ids, missing), np.full(len(ids) + 1, 100), exact.day(ON))
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match=f"account {missing} does not exist"):
        with conn.transaction():
            postings.write(conn)
    assert _rows("SELECT count(*) FROM loans_posting")[0][0] == before
    postings = io.Postings(exact.day(ON), memo="结息")
    postings.add("interest", ids, np.full(len(ids), 100), exact.day(ON))
    with conn.transaction():
        assert postings.write(conn) == len(ids)


def test_kernel_settlements_reconcile_with_the_engine(province):
    """Accounts opened through the loans services, settled year after year by the kernel path
    (some paying, some not, one with credit waiting → the scalar path), then ``xuedai reconcile``'s
    check: ledger, cache and the core engine agree fen for fen."""
    _conn()
    from tests.loans.conftest import make_contract
    from xuedai.loans.batches import settle_leftovers
    from xuedai.loans.models import LoanAccount
    from xuedai.loans.reconcile import account_differences
    from xuedai.loans.services import contract_disburse, repayment_post

    cases = [  # amount, rate, disbursed, self-pay from, maturity
        ("6000.00", "0.05650", dt.date(2018, 9, 1), dt.date(2019, 9, 1), dt.date(2022, 12, 20)),
        ("8000.00", "0.04900", dt.date(2018, 10, 15), dt.date(2021, 9, 1), dt.date(2026, 12, 20)),
        ("12345.67", "0.04350", dt.date(2019, 11, 2), dt.date(2020, 9, 1), dt.date(2025, 9, 20)),
        ("3000.00", "0.03600", dt.date(2020, 10, 20), None, dt.date(2024, 12, 20)),
        ("16000.00", "0.02950", dt.date(2019, 2, 28), dt.date(2019, 7, 1), dt.date(2023, 2, 28)),
    ]
    accounts = []
    for amount, rate, disbursed, self_pay, maturity in cases:
        contract = make_contract(province, amount=amount, rate=rate, disbursed_on=disbursed,
                                 self_pay_from=self_pay, maturity=maturity, tuition="0", accommodation="0")
        accounts.append(contract_disburse(actor=None, contract=contract, on=disbursed))
    days = sorted({day for account in accounts for day in _settlement_days(account)})
    paths = {"kernel": 0, "scalar": 0}
    for day in days:
        done = loans_settlement(day, settle_leftovers=settle_leftovers, chunk=2)
        paths["kernel"] += done.rows
        paths["scalar"] += done.scalar_rows
        for i, account in enumerate(LoanAccount.objects.order_by("pk")):
            owed = account.principal_due + account.interest_due
            if owed and i % 2 == 0:  # even accounts pay on the day (odd ones stay overdue)
                repayment_post(actor=None, account=account, on=day, amount=owed + (1 if i == 0 else 0))
    assert paths["kernel"] > 10 and paths["scalar"] > 0  # account 0's spare yuan waits as credit
    for account in LoanAccount.objects.select_related("contract__policy_version"):
        assert account_differences(account, days[-1]) == []


def _settlement_days(account) -> list[dt.date]:
    from xuedai.loans.terms import contract_terms

    return contract_terms(account.contract).settlement_dates()
