"""The sparse snapshot (``reports.quarter.snapshot`` step 1): rows only where a contract needs one, the
正常-and-unchanged contracts as one line per unit and project year — and every figure as the dense
snapshot (a row per contract) gives it.

The mixed portfolio is conftest's five (every one of them needs a row) plus four 正常 contracts
disbursed after the 2019 settlement (nothing due, nothing overdue): F and G in 三台县 2018; H, a
second 2018 contract of B's borrower (B is 次级: that borrower is counted once); I, F's borrower's
2019 contract (a line with no rows beside it). The dense reference is built from the sparse one by
giving each line member a row of its own — so the test checks the lines' arithmetic (borrowers once,
balances, contracts) against plain row counting, and the members against the live accounts.
"""

import datetime as dt
from decimal import Decimal

import pytest

from tests.loans.conftest import make_contract
from tests.reports.conftest import Q1, Q2
from xuedai import businessdate
from xuedai.loans.batches import classification_batch, settlement_batch
from xuedai.loans.models import LoanAccount
from xuedai.loans.services import contract_disburse
from xuedai.reports.quarter import dashboard, figures, forecast, special_account, workpaper
from xuedai.reports.quarter.designations import grade_designate
from xuedai.reports.quarter.lines import members
from xuedai.reports.quarter.models import GradeMove, QuarterGrade, QuarterNormalLine, QuarterSnapshot
from xuedai.reports.quarter.snapshot import quarter_snapshot_take
from xuedai.reports.quarter.submissions import quality_report_get, quality_report_submit

D = Decimal


@pytest.fixture
def mixed(portfolio):
    b_borrower = portfolio.accounts["B"].contract.borrower

    def disburse(name, *, borrower=None, on=dt.date(2018, 9, 1)):
        contract = make_contract(portfolio.province, borrower=borrower, disbursed_on=on)
        portfolio.accounts[name] = contract_disburse(actor=None, contract=contract, on=on)

    disburse("F")
    disburse("G")
    disburse("H", borrower=b_borrower)
    disburse("I", borrower=portfolio.accounts["F"].contract.borrower, on=dt.date(2019, 9, 1))
    return portfolio


def _dense_copy(snapshot: QuarterSnapshot) -> QuarterSnapshot:
    """The same quarter with a row per contract (each line member as a 正常 row), no lines; dated the
    day before (the same quarter and settlement year, so every date-driven figure reads the same)."""
    from xuedai.origination.models import Contract

    dense = QuarterSnapshot.objects.create(
        as_of=snapshot.as_of - dt.timedelta(days=1), contracts=snapshot.contracts
    )
    rows = list(QuarterGrade.objects.filter(snapshot=snapshot))
    for row in rows:
        row.pk, row.snapshot, row.borrower_in_line = None, dense, False
    for line in QuarterNormalLine.objects.filter(snapshot=snapshot):
        for contract_id, balance in members(line):
            c = Contract.objects.get(pk=contract_id)
            rows.append(
                QuarterGrade(
                    snapshot=dense,
                    contract_id=contract_id,
                    borrower_id=c.borrower_id,
                    product=c.product,
                    unit_id=line.unit_id,
                    county_id=c.county_id,
                    university_id=c.university_id,
                    project_year=line.project_year,
                    rule="",
                    computed_rank=0,
                    rank=0,
                    principal_outstanding=balance,
                )
            )
    QuarterGrade.objects.bulk_create(rows)
    for move in GradeMove.objects.filter(snapshot=snapshot):
        move.pk, move.snapshot = None, dense
        move.save()
    return dense


def _drop(dense: QuarterSnapshot) -> None:
    """Forget the dense copy (it would count as a quarter of history for the roll rates)."""
    QuarterGrade.objects.filter(snapshot=dense).delete()
    GradeMove.objects.filter(snapshot=dense).delete()
    dense.delete()


def _without_date(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "as_of"}


def _assert_same_figures(sparse, units_years):
    dense = _dense_copy(sparse)
    assert figures.unit_summary(sparse) == figures.unit_summary(dense)
    for unit_id, year in units_years:
        assert _without_date(figures.quality_figures(sparse, unit_id, year)) == _without_date(
            figures.quality_figures(dense, unit_id, year)
        )
        assert figures.overdue_statistics(sparse, [unit_id], year) == figures.overdue_statistics(
            dense, [unit_id], year
        )
        s, d = (special_account.special_account_facts(x, unit_id, year) for x in (sparse, dense))
        assert _without_date({**s, "paragraph": ""}) == _without_date({**d, "paragraph": ""})
        s, d = (workpaper.working_paper(x, unit_id, year) for x in (sparse, dense))
        assert s["repayment"] == d["repayment"] and s["moves"] == d["moves"]
        assert forecast.scheduled(sparse, unit_id, year) == forecast.scheduled(dense, unit_id, year)
    assert figures.overdue_statistics(sparse) == figures.overdue_statistics(dense)  # the whole portfolio
    _drop(dense)


def test_normal_contracts_become_lines_and_every_figure_is_the_dense_one(mixed):
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    county = mixed.county.pk
    # Rows: the five that need one; F, G, H in the 2018 line, I alone in the 2019 line.
    assert set(QuarterGrade.objects.filter(snapshot=snapshot).values_list("contract_id", flat=True)) == {
        mixed.accounts[n].pk for n in "ABCDE"
    }
    lines = {line.project_year: line for line in QuarterNormalLine.objects.filter(snapshot=snapshot)}
    assert sorted(members(lines[2018])) == sorted((mixed.accounts[n].pk, D("6000.00")) for n in "FGH")
    assert (lines[2018].contracts, lines[2018].borrowers, lines[2018].balance) == (3, 3, D("18000.00"))
    assert members(lines[2019]) == [(mixed.accounts["I"].pk, D("6000.00"))]
    # The members are the live accounts with no row, at their balances (read independently here).
    live = dict(
        LoanAccount.objects.exclude(pk__in=[mixed.accounts[n].pk for n in "ABCDE"]).values_list(
            "pk", "principal_outstanding"
        )
    )
    assert dict(members(lines[2018]) + members(lines[2019])) == live
    assert snapshot.contracts == 9
    b_row = QuarterGrade.objects.get(snapshot=snapshot, contract_id=mixed.accounts["B"].pk)
    assert b_row.borrower_in_line  # B's borrower also holds H
    table = figures.quality_figures(snapshot, county, 2018)
    # 正常: E (held) + F, G, H; total borrowers 7 — B's borrower counted once over B and H.
    assert table["grades"][0] == {"grade": "正常", "borrowers": 4, "contracts": 4, "balance": "24000.00"}
    assert table["total"] == {"borrowers": 7, "contracts": 8, "balance": "46500.00"}
    _assert_same_figures(snapshot, [(county, 2018), (county, 2019)])


def test_dashboard_and_drilldown_totals_are_the_dense_ones(mixed):
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    dense = _dense_copy(snapshot)
    user = mixed.province_operator
    trend = dashboard.grade_trend(user)
    values = {s["name"]: s["values"] for s in trend["series"]}
    assert values["正常"] == [30000.0, 30000.0]  # the dense copy and the sparse quarter: E, F, G, H, I
    for rank in (None, 0, 2):
        sparse_totals = dashboard.totals(
            dashboard.contracts_behind(user, snapshot, rank=rank),
            dashboard.lines_behind(user, snapshot, rank=rank),
        )
        assert sparse_totals == dashboard.totals(dashboard.contracts_behind(user, dense, rank=rank))


def test_a_line_member_moves_out_of_its_line_and_back_into_the_moves(mixed):
    """A designation in the open quarter takes the contract out of its line (a row of its own, the
    move with who and why); a designation made once the table is locked moves it at the next quarter
    end, from 正常 in the line."""
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    county = mixed.county.pk
    with businessdate.business_date(dt.date(2020, 4, 1)):
        _, moved = grade_designate(
            actor=mixed.operator,
            contract=mixed.accounts["F"].contract,
            rank=1,
            reason="lost_contact",
            note="电话停机",
        )
    assert moved
    row = QuarterGrade.objects.get(snapshot=snapshot, contract_id=mixed.accounts["F"].pk)
    assert (row.rank, row.computed_rank, row.principal_outstanding) == (1, 0, D("6000.00"))
    line = QuarterNormalLine.objects.get(snapshot=snapshot, project_year=2018)
    assert (line.contracts, line.borrowers, line.balance) == (2, 2, D("12000.00"))
    _assert_same_figures(snapshot, [(county, 2018)])
    report = quality_report_get(snapshot, mixed.county, 2018)
    quality_report_submit(actor=mixed.operator, report=report, reasons="四人未按期还款")
    with businessdate.business_date(dt.date(2020, 4, 2)):
        _, moved = grade_designate(
            actor=mixed.operator,
            contract=mixed.accounts["G"].contract,
            rank=1,
            reason="collection",
            note="催收后方还款",
        )
    assert not moved  # locked: G stays in the Q1 line
    assert mixed.accounts["G"].pk in dict(
        members(QuarterNormalLine.objects.get(snapshot=snapshot, project_year=2018))
    )
    classification_batch(on=Q2)  # dense: a clean 正常 record for F … I too, and they still go to lines
    q2 = quarter_snapshot_take(actor=None, on=Q2)
    moves = set(
        GradeMove.objects.filter(snapshot=q2).values_list("contract_id", "from_rank", "to_rank", "reason")
    )
    assert (mixed.accounts["G"].pk, 0, 1, "designated") in moves  # from the Q1 line
    assert not any(m[0] == mixed.accounts["F"].pk for m in moves)  # 关注 both quarters
    assert set(QuarterNormalLine.objects.filter(snapshot=q2).values_list("project_year", "contracts")) == {
        (2018, 1),  # H
        (2019, 1),  # I
    }
    # 正常 on 31 Mar (E held, G and H in the line) → 30 Jun: E 正常 (held), G 关注, H 正常.
    quarterly, pairs = forecast.roll_rates(q2, county, 2018)
    assert pairs == 1 and quarterly[0][:2] == [D(2) / 3, D(1) / 3]
    _assert_same_figures(q2, [(county, 2018), (county, 2019)])


def test_a_ledger_change_after_the_quarter_end_changes_nothing_stored(mixed):
    snapshot = quarter_snapshot_take(actor=None, on=Q1)
    county = mixed.county.pk
    before = (figures.quality_figures(snapshot, county, 2018), figures.unit_summary(snapshot))
    stored = list(QuarterNormalLine.objects.filter(snapshot=snapshot).values())
    # After the quarter end: the 20 Dec 2020 settlement charges every account (postings on F … I
    # too), and a back-dated 2018 contract is disbursed (live, opened before the quarter end: a live
    # re-read of the accounts would count it).
    settlement_batch(on=dt.date(2020, 12, 20))
    contract_disburse(actor=None, contract=make_contract(mixed.province), on=dt.date(2018, 9, 1))
    assert (figures.quality_figures(snapshot, county, 2018), figures.unit_summary(snapshot)) == before
    assert list(QuarterNormalLine.objects.filter(snapshot=snapshot).values()) == stored
