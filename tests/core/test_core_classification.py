"""Five-tier classification under the seed rule and the 2023 rule (DOMAIN.md §4, §6; [004] 第七条)."""

from datetime import date, timedelta

import pytest

from xuedai.core.classification import Grade, grade, grade_2023, grade_2023_for_days, grade_seed

D = date(2020, 12, 20)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2020, 12, 1), "正常"),  # not yet due
        (date(2020, 12, 20), "正常"),  # the due day itself
        (date(2020, 12, 21), "次级"),  # 1 day
        (date(2021, 6, 20), "次级"),  # exactly 6 months: 6个月（含）以内
        (date(2021, 6, 21), "可疑"),  # 6 months and a day
        (date(2021, 12, 19), "可疑"),
        (date(2021, 12, 20), "损失"),  # a full year: 1年（含）以上
        (date(2030, 1, 1), "损失"),
    ],
)
def test_seed_rule_boundaries(as_of: date, expected: str) -> None:
    assert grade_seed(D, as_of).label_zh == expected


def test_seed_rule_months_clamp_at_month_end() -> None:
    due = date(2020, 8, 31)
    assert grade_seed(due, date(2021, 2, 28)) is Grade.SUBSTANDARD  # 31 Aug + 6 months = 28 Feb
    assert grade_seed(due, date(2021, 3, 1)) is Grade.DOUBTFUL
    assert grade_seed(due, date(2021, 8, 30)) is Grade.DOUBTFUL
    assert grade_seed(due, date(2021, 8, 31)) is Grade.LOSS


def test_seed_rule_judgements() -> None:
    assert grade_seed(None, D) is Grade.NORMAL
    assert grade_seed(None, D, needs_collection=True) is Grade.SPECIAL_MENTION
    assert grade_seed(None, D, unrecoverable=True) is Grade.LOSS


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "正常"),
        (1, "关注"),
        (90, "关注"),
        (91, "次级"),
        (270, "次级"),
        (271, "可疑"),
        (360, "可疑"),
        (361, "损失"),
    ],
)
def test_2023_rule_boundaries(days: int, expected: str) -> None:
    assert grade_2023_for_days(days).label_zh == expected
    assert grade_2023(D, D + timedelta(days=days)).label_zh == expected


def test_grade_names_and_labels() -> None:
    assert [g.value for g in Grade] == ["normal", "special_mention", "substandard", "doubtful", "loss"]
    assert [g.label_zh for g in Grade] == ["正常", "关注", "次级", "可疑", "损失"]
    assert [g.non_performing for g in Grade] == [False, False, True, True, True]
    assert grade_2023(None, D) is Grade.NORMAL
    assert grade_2023(D, D, unrecoverable=True) is Grade.LOSS


def test_grade_dispatches_on_the_rule() -> None:
    as_of = date(2021, 3, 1)  # 71 days
    assert grade("seed", D, as_of) is Grade.SUBSTANDARD
    assert grade("2023", D, as_of) is Grade.SPECIAL_MENTION
    with pytest.raises(ValueError):
        grade("1998", D, as_of)  # type: ignore[arg-type]
