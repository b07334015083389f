"""The deduction files and the penalty accrual on Celery workers (``xuedai.batch.deduct_parts``,
``xuedai.batch.penalty_io``) with a real Redis and real worker processes on PostgreSQL: the same
files, byte for byte, and the same penalty cache as the embedded path on a copy of the same
portfolio; a worker SIGKILLed in the middle of a partition (its part file written, its cache update
not committed) — the partition is retried by another worker and nothing is written twice.

Needs a Redis server (``scripts/with-redis.sh``, as the PostgreSQL lane of ``scripts/test.sh``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.batch import test_distributed_postgres as base
from xuedai.batch import national, portfolio
from xuedai.batch.runs import loans_deduction_files, loans_settlement
from xuedai.jobs.models import JobRun, JobStatus
from xuedai.loans.batches import penalty_batch, settlement_batch
from xuedai.loans.fastpath import kernel_layouts
from xuedai.loans.models import LoanAccount, ReliefProgramme
from xuedai.loans.services import account_take_on, relief_apply, repayment_post
from xuedai.orgs.models import OrgKind
from xuedai.orgs.services import organisation_create
from xuedai.origination.models import Contract

pytestmark = base.pytestmark
broker, workers = base.broker, base.workers  # the real Redis and worker processes of the settlement's tests

TAKE_ON = dt.date(2026, 11, 30)  # the ledgers' start: every instalment unpaid so far is overdue
DAY = dt.date(2027, 1, 20)  # a deduction day a month after the settlement: its amounts are overdue
CACHE = """SELECT contract_id, penalty_accrued, penalty_accrued_on, principal_due, interest_due, penalty_due,
                  credit, oldest_unpaid_due FROM loans_loanaccount"""
CONTRACTS = "SELECT id, state, overdue_since, outstanding_principal FROM origination_contract"
# Not the event's business date: the scalar service stamps the business-date service's today, the
# kernel the batch's day (as the settlement kernel's events do).
EVENTS = "SELECT contract_id, from_state, to_state FROM origination_contractevent"


def _state(db: str, folder: Path | None = None) -> dict:
    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=db) as conn:
        state = {"cache": {r[0]: r[1:] for r in conn.execute(CACHE).fetchall()},
                 "contracts": {r[0]: r[1:] for r in conn.execute(CONTRACTS).fetchall()},
                 "events": Counter(conn.execute(EVENTS).fetchall())}
    if folder is not None:
        state["files"] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    return state


def _build_with_agent_banks(n: int) -> None:
    """The national portfolio, with half the counties of two provinces served by an agent bank
    (each its own 批量扣款信息表(代理行版) file): made before the portfolio, which then uses them."""
    for province in ("44", "51"):
        name, region = national.POPULATION[province][0], f"{province}0000"
        centre = organisation_create(actor=None, name=f"{name}学生资助管理中心(基准)", parent=None,
                                     code=f"BENCH-P{province}", kind=OrgKind.PROVINCE_CENTRE,
                                     region_code=region)
        bank = organisation_create(actor=None, name=f"{name}农村信用社(测试代理行)", parent=centre,
                                   code=f"TEST-AGENT-{province}", kind=OrgKind.AGENT_BANK, region_code=region)
        codes = national.county_codes(province, national.COUNTIES_PER_PROVINCE)
        for i, county in enumerate(codes[: len(codes) // 2]):
            organisation_create(actor=None, name=f"{name}基准{i}县资助中心", parent=centre, agent_bank=bank,
                                code=f"BENCH-P{province}-C{i}", kind=OrgKind.COUNTY_CENTRE,
                                region_code=county)
    base._build(n)


def _build_with_ledgers(n: int) -> None:
    """The national portfolio with each account's ledger taken on through the loans service (the
    scalar penalty service replays the postings: the bench portfolio's synthetic history is not
    one it would replay to the same figures)."""
    connection.ensure_connection()
    portfolio.build(connection.connection, n, chunk=400, ledger=False, places=national.places)
    for contract in Contract.objects.select_related("policy_version").order_by("pk"):
        account_take_on(actor=None, contract=contract, as_of=TAKE_ON)


def _deduction_steps(folder: Path) -> list:
    return [lambda: loans_settlement(base.ON, chunk=25),
            lambda: loans_deduction_files(DAY, folder, layouts=kernel_layouts(), chunk=25)]


def _run_id(kind: str, on: dt.date) -> int:
    return JobRun.objects.get(kind=kind, business_date=on).pk


def test_distributed_deduction_files_are_the_embedded_files_byte_for_byte(workers, tmp_path):
    _build_with_agent_banks(480)
    embedded, distributed = tmp_path / "embedded", tmp_path / "distributed"
    reference = base._embedded_reference(_deduction_steps(embedded),
                                         snapshot=lambda db: _state(db, embedded))
    assert len(reference["files"]) == 3  # Alipay's file and the two agent banks'
    assert sum(1 for accrued, on, *_ in reference["cache"].values() if on == DAY and accrued > 0) > 20
    workers.start("w1")
    workers.start("w2")

    for step in _deduction_steps(distributed):
        step()

    got = _state(connection.settings_dict["NAME"], distributed)
    assert list(got["files"]) == list(reference["files"])  # the same files, no part left beside them
    for name, data in reference["files"].items():
        assert got["files"][name] == data, name
    assert got["cache"] == reference["cache"]
    run = JobRun.objects.get(kind="loans.deduction_files", business_date=DAY)
    assert run.status == JobStatus.DONE
    plan, recorded = run.checkpoint["partitions"]["plan"], run.checkpoint["kernel"]
    assert set(recorded) == {f"{p}:{lo}" for p, lo, *_ in plan}
    assert sum(1 for entry in recorded.values() if entry["rows"]) > 10  # lines from many partitions
    lines = sum(data.count(b"\n") - 1 for data in reference["files"].values())  # less each header
    assert run.result["lines"] == run.progress_done == lines
    assert [Path(p).name for p in run.result["paths"]] == list(reference["files"])


def _part_payments() -> None:
    """A part payment on five overdue accounts on 5 Jan (after the settlement's amounts fell due): it
    charges the penalty accrued so far, which then accrues afresh from that day on what is still
    unpaid (the kernel reads the last charge)."""
    owing = list(LoanAccount.objects.filter(oldest_unpaid_due__isnull=False, interest_due__gt=20)
                 .filter(reliefs=None)
                 .select_related("contract__policy_version").order_by("pk")[:5])
    assert len(owing) == 5
    for account in owing:
        repayment_post(actor=None, account=account, on=dt.date(2027, 1, 5), amount=Decimal("10.00"),
                       source="测试：部分还款")
        account.refresh_from_db()
        assert account.oldest_unpaid_due <= base.ON  # still overdue: accruing again from 5 Jan


def test_distributed_penalty_accrual_caches_what_the_scalar_batch_caches(workers):
    _build_with_ledgers(200)
    # Two overdue accounts under a relief programme before the settlement: the kernel leaves them
    # to the scalar service (a waiver restarts the accrual), in the coordinator's leftovers phase.
    programme = ReliefProgramme.objects.create(name="2026年度免息延期（测试）", year=2026)
    relieved = list(LoanAccount.objects.filter(oldest_unpaid_due__lt=base.ON, principal_due__gt=0)
                    .select_related("contract__policy_version").order_by("-pk")[:2])
    assert len(relieved) == 2
    for account in relieved:
        relief_apply(actor=None, programme=programme, account=account, on=base.ON - dt.timedelta(days=1))
    steps = [lambda: settlement_batch(on=base.ON), _part_payments, lambda: penalty_batch(on=DAY)]
    reference = base._embedded_reference(steps, snapshot=_state)
    accrued = [a for a, on, *_ in reference["cache"].values() if on == DAY]
    assert len(accrued) > 100 and sum(accrued, Decimal(0)) > 0
    workers.start("w1")
    workers.start("w2")

    for step in steps:
        step()

    got = _state(connection.settings_dict["NAME"])
    assert got["cache"] == reference["cache"]  # penalty_accrued / _on (and balances) on every account
    assert got["contracts"] == reference["contracts"]
    assert got["events"] == reference["events"]
    run = JobRun.objects.get(kind="loans.penalty", business_date=DAY)
    assert run.status == JobStatus.DONE
    assert run.checkpoint["leftovers"]["accrued"] == 2  # the relieved accounts, by the scalar service
    plan = run.checkpoint["partitions"]["plan"]
    assert set(run.checkpoint["kernel"]) == {f"{p}:{lo}" for p, lo, *_ in plan}
    assert run.result["rows"] == len(accrued)


def test_a_deduction_partition_whose_worker_is_killed_is_retried_and_written_once(workers, tmp_path):
    _build_with_agent_banks(240)
    embedded, distributed = tmp_path / "embedded", tmp_path / "distributed"
    reference = base._embedded_reference(_deduction_steps(embedded), snapshot=lambda db: _state(db, embedded))
    victim = max(a for a, (accrued, on, *_) in reference["cache"].items() if on == DAY and accrued > 0)
    workers.start("w1")
    loans_settlement(base.ON, chunk=20)
    seen: list[str] = []

    def look() -> None:  # the killed worker's part is on disk under its partition's name
        run_id = _run_id("loans.deduction_files", DAY)
        seen.extend(p.name for p in distributed.glob(f".扣款明细表-分区-{run_id}/*.part"))

    def coordinate() -> None:
        loans_deduction_files(DAY, distributed, layouts=kernel_layouts(), chunk=20)

    base.kill_mid_partition(workers, victim, coordinate, before_kill=look)

    got = _state(connection.settings_dict["NAME"], distributed)
    run = JobRun.objects.get(kind="loans.deduction_files", business_date=DAY)
    province, lo, *_ = next(p for p in run.checkpoint["partitions"]["plan"] if p[1] < victim <= p[2])
    assert any(name.endswith(f".{province}-{lo}.part") for name in seen), seen  # written, not committed
    assert got["files"] == reference["files"]  # no line twice, none missing
    assert got["cache"] == reference["cache"]
    assert run.status == JobStatus.DONE
    assert run.progress_done == sum(data.count(b"\n") - 1 for data in reference["files"].values())


class CoordinatorKilled(BaseException):
    """The coordinator's process dying (not an error a phase would catch)."""


def test_a_coordinator_killed_in_the_merge_redoes_it_from_the_same_parts(workers, tmp_path, monkeypatch):
    _build_with_agent_banks(240)
    embedded, distributed = tmp_path / "embedded", tmp_path / "distributed"
    reference = base._embedded_reference(_deduction_steps(embedded), snapshot=lambda db: _state(db, embedded))
    workers.start("w1")
    loans_settlement(base.ON, chunk=20)
    rename = os.replace
    renamed: list[str] = []

    def dies_after_the_first_file(src, dst) -> None:  # the files recorded, one of them renamed
        if str(dst).endswith(".csv") and renamed:
            raise CoordinatorKilled
        rename(src, dst)
        renamed.append(str(dst))

    monkeypatch.setattr(os, "replace", dies_after_the_first_file)
    with pytest.raises(CoordinatorKilled):
        loans_deduction_files(DAY, distributed, layouts=kernel_layouts(), chunk=20)
    monkeypatch.setattr(os, "replace", rename)
    assert len([p for p in distributed.iterdir() if p.suffix == ".csv"]) == 1

    paths, timings = loans_deduction_files(DAY, distributed, layouts=kernel_layouts(), chunk=20)  # resumed

    got = _state(connection.settings_dict["NAME"], distributed)
    assert got["files"] == reference["files"]  # the merged files, no part nor parts folder left
    assert got["cache"] == reference["cache"]
    assert [p.name for p in paths] == list(reference["files"])
    assert timings.rows == sum(data.count(b"\n") - 1 for data in reference["files"].values())


def test_a_penalty_partition_whose_worker_is_killed_is_retried_and_cached_once(workers):
    _build_with_ledgers(120)
    steps = [lambda: settlement_batch(on=base.ON), lambda: penalty_batch(on=DAY)]
    reference = base._embedded_reference(steps, snapshot=_state)
    victim = max(a for a, (accrued, on, *_) in reference["cache"].items() if on == DAY and accrued > 0)
    workers.start("w1")
    settlement_batch(on=base.ON)

    base.kill_mid_partition(workers, victim, lambda: penalty_batch(on=DAY))

    got = _state(connection.settings_dict["NAME"])
    assert got["cache"] == reference["cache"]
    assert got["contracts"] == reference["contracts"]
    assert got["events"] == reference["events"]  # each contract's move to 逾期 recorded once
    run = JobRun.objects.get(kind="loans.penalty", business_date=DAY)
    assert run.status == JobStatus.DONE
    assert run.progress_done == sum(1 for _, on, *_ in reference["cache"].values() if on == DAY)
