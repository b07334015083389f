"""The quarter-end snapshot: taken once, hand-set grades and the relief hold applied, moves kept."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.reports.conftest import Q1, Q2
from xuedai import businessdate
from xuedai.audit.models import AuditEntry
from xuedai.loans.batches import classification_batch
from xuedai.reports.quarter.designations import DesignationError, grade_designate, grade_designation_withdraw
from xuedai.reports.quarter.models import GradeMove, QuarterGrade
from xuedai.reports.quarter.snapshot import SnapshotError, quarter_snapshot_take

D = Decimal


def _grades(snapshot, portfolio):
    rows = {r.contract_id: r for r in QuarterGrade.objects.filter(snapshot=snapshot)}
    return {name: rows[a.pk] for name, a in portfolio.accounts.items()}


def test_first_quarter_applies_designations_and_the_relief_hold(portfolio):
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    rows = _grades(snapshot, portfolio)
    assert {n: (r.computed_rank, r.rank, r.reason) for n, r in rows.items()} == {
        "A": (0, 1, "collection"),  # paid, but only after collection: 关注 by hand
        "B": (2, 2, ""),
        "C": (2, 2, ""),  # 102 days overdue, seed rule: 次级
        "D": (2, 4, "unrecoverable"),  # 损失 by hand wins over 次级
        "E": (2, 0, "relief_hold"),  # deferred: no previous quarter → stays 正常
    }
    assert (rows["B"].days_overdue, rows["B"].principal_overdue, rows["B"].interest_overdue) == (
        102,
        D("1500.00"),
        D("103.58"),
    )
    assert (rows["A"].principal_outstanding, rows["A"].principal_overdue) == (D("4500.00"), D("0.00"))
    assert (rows["B"].unit_id, rows["B"].project_year) == (portfolio.county.pk, 2018)
    assert snapshot.contracts == 5 and not GradeMove.objects.exists()  # no previous quarter: no moves
    entry = AuditEntry.objects.get(action="reports.quarter_snapshot_take")
    assert entry.after["contracts"] == "5" and entry.after["designated"] == "2"


def test_a_snapshot_is_never_recomputed_and_needs_the_batch(portfolio):
    quarter_snapshot_take(actor=None, on=Q1)
    with pytest.raises(SnapshotError, match="已生成，不再重新计算"):
        quarter_snapshot_take(actor=None, on=Q1)
    with pytest.raises(SnapshotError, match="不是"):
        quarter_snapshot_take(actor=None, on=dt.date(2020, 4, 30))
    with pytest.raises(SnapshotError, match="尚未完成"):
        quarter_snapshot_take(actor=None, on=Q2)
    assert QuarterGrade.objects.count() == 5


def test_second_quarter_keeps_the_moves_with_their_reasons(portfolio):
    quarter_snapshot_take(actor=None, on=Q1)
    classification_batch(on=Q2)
    snapshot = quarter_snapshot_take(actor=None, on=Q2)
    rows = _grades(snapshot, portfolio)
    # 30 Jun 2020 is more than 6 months after 20 Dec 2019: 可疑; E stays at its 31 Mar grade.
    assert {n: r.rank for n, r in rows.items()} == {"A": 1, "B": 3, "C": 3, "D": 4, "E": 0}
    moves = sorted(
        GradeMove.objects.filter(snapshot=snapshot).values_list(
            "contract_id", "from_rank", "to_rank", "reason"
        )
    )
    b, c = portfolio.accounts["B"].pk, portfolio.accounts["C"].pk
    assert moves == [(b, 2, 3, "overdue_worse"), (c, 2, 3, "overdue_worse")]


def test_a_designation_in_the_open_quarter_moves_it_with_who_and_why(portfolio):
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    with businessdate.business_date(dt.date(2020, 4, 1)):
        designation, moved = grade_designate(
            actor=portfolio.operator,
            contract=portfolio.accounts["E"].contract,
            rank=1,
            reason="lost_contact",
            note="电话停机，县中心追踪中",
        )
    assert moved
    move = GradeMove.objects.get(snapshot=snapshot)
    assert (move.from_rank, move.to_rank, move.reason, move.actor) == (0, 1, "designated", portfolio.operator)
    assert "失联" in move.note
    assert QuarterGrade.objects.get(snapshot=snapshot, contract_id=portfolio.accounts["E"].pk).rank == 1
    with businessdate.business_date(dt.date(2020, 4, 2)):
        assert grade_designation_withdraw(actor=portfolio.operator, designation=designation, note="已联系上")
    row = QuarterGrade.objects.get(snapshot=snapshot, contract_id=portfolio.accounts["E"].pk)
    assert (row.rank, row.reason) == (2, "")  # back to the days' grade: the hold is not restored by hand


@pytest.mark.parametrize(
    ("rank", "reason", "note", "message"),
    [
        (2, "collection", "x", "只能人工认定"),
        (1, "death", "x", "原因"),
        (4, "lost_contact", "x", "原因"),
        (1, "collection", "  ", "说明"),
    ],
)
def test_bad_designations_are_refused_and_nothing_is_saved(portfolio, rank, reason, note, message):
    from xuedai.reports.quarter.models import GradeDesignation

    before = GradeDesignation.objects.count()
    with pytest.raises(DesignationError, match=message):
        grade_designate(
            actor=portfolio.operator,
            contract=portfolio.accounts["B"].contract,
            rank=rank,
            reason=reason,
            note=note,
        )
    assert GradeDesignation.objects.count() == before


def test_a_sparse_run_leaves_normal_accounts_unrecorded_and_they_are_normal(portfolio):
    from xuedai.loans.models import GradeRecord

    GradeRecord.objects.filter(
        as_of=Q1, account=portfolio.accounts["A"]
    ).delete()  # as a sparse run leaves it
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    row = _grades(snapshot, portfolio)["A"]
    assert (row.computed_rank, row.rank, row.principal_outstanding, snapshot.contracts) == (
        0,
        1,
        D("4500.00"),
        5,
    )


def test_the_administrator_takes_the_snapshot_as_a_background_job(client, portfolio, make_user):
    from tests.web.helpers import login
    from xuedai.jobs.models import JobRun
    from xuedai.orgs.models import Role
    from xuedai.reports.quarter.tasks import SNAPSHOT_KIND, snapshot_job_run

    login(client, make_user(portfolio.province.head, Role.ADMIN))
    page = client.post("/reports/quarter/snapshot/", {"as_of": "2020-06-30"}, follow=True).content.decode()
    assert "尚未完成" in page and not JobRun.objects.filter(kind=SNAPSHOT_KIND).exists()
    page = client.post("/reports/quarter/snapshot/", {"as_of": "2020-03-31"}, follow=True).content.decode()
    assert "已开始生成2020年03月31日季末分类快照" in page  # the test settings run tasks at once
    run = JobRun.objects.get(kind=SNAPSHOT_KIND, business_date=Q1)
    assert (run.status, run.result["contracts"], run.progress_done) == ("done", 5, 1)
    assert "已完成" in client.get("/reports/quarter/").content.decode()
    page = client.post("/reports/quarter/snapshot/", {"as_of": "2020-03-31"}, follow=True).content.decode()
    assert "不再重新计算" in page
    assert snapshot_job_run(on=Q1, actor=None).pk == run.pk  # a done run is returned as it is
    assert QuarterGrade.objects.count() == 5


def test_a_payment_after_the_quarter_end_does_not_change_the_days_overdue_amounts(portfolio):
    """The amounts are the day's: today's cached amounts less the postings dated after the quarter
    end (``snapshot._LATER_EFFECTS``) — a payment on 10 Apr, before the 31 Mar snapshot is taken,
    leaves B's 1,500.00 principal and 103.58 interest overdue on 31 Mar."""
    from xuedai.loans.services import repayment_post

    account = portfolio.accounts["B"]
    repayment_post(actor=None, account=account, on=dt.date(2020, 4, 10), amount=D("800.00"))
    account.refresh_from_db()
    assert account.principal_due + account.interest_due < D("1603.58")  # the payment reached both
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    row = _grades(snapshot, portfolio)["B"]
    assert (row.principal_overdue, row.interest_overdue) == (D("1500.00"), D("103.58"))
