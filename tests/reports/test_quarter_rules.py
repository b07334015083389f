"""Both rule sets at the quarter end, at their boundaries (DOMAIN.md §6): the snapshot keeps each
contract's rule, and the same arrears read differently under the seed rule and the 2023 rule."""

import datetime as dt

import pytest

from tests.reports.conftest import Q1, Q2
from xuedai.loans.batches import classification_batch
from xuedai.policies.models import PolicyVersion
from xuedai.reports.quarter.models import GradeMove, QuarterGrade
from xuedai.reports.quarter.snapshot import quarter_snapshot_take


@pytest.fixture
def rule_2023(db):
    PolicyVersion.objects.update(classification_rule="2023")


def _ranks(snapshot, portfolio):
    rows = dict(QuarterGrade.objects.filter(snapshot=snapshot).values_list("contract_id", "computed_rank"))
    return {name: rows[a.pk] for name, a in portfolio.accounts.items()}


def test_2023_rule_keeps_193_days_substandard_where_the_seed_rule_says_doubtful(rule_2023, portfolio):
    # rule_2023 comes first: the fixture's 31 Mar grading is under the 2023 rule too (102 days → 次级).
    quarter_snapshot_take(actor=None, on=Q1)
    classification_batch(on=Q2)
    snapshot = quarter_snapshot_take(actor=None, on=Q2)
    # 20 Dec 2019 → 30 Jun 2020 = 193 days: 2023 rule 91–270 → 次级 (seed: > 6 months → 可疑).
    assert _ranks(snapshot, portfolio) == {"A": 0, "B": 2, "C": 2, "D": 2, "E": 2}
    assert set(QuarterGrade.objects.filter(snapshot=snapshot).values_list("rule", flat=True)) == {"2023"}
    assert not GradeMove.objects.filter(snapshot=snapshot, reason="overdue_worse").exists()


@pytest.mark.parametrize(
    ("on", "rank"),
    [
        (dt.date(2020, 9, 30), 3),  # 285 days: 271–360 → 可疑
        (dt.date(2020, 12, 31), 4),  # 377 days: more than 360 → 损失
    ],
)
def test_2023_rule_later_quarters(rule_2023, portfolio, on, rank):
    classification_batch(on=on)
    snapshot = quarter_snapshot_take(actor=None, on=on)
    assert _ranks(snapshot, portfolio)["B"] == rank
