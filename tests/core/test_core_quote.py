"""``quote()`` and the ``xuedai quote`` CLI entry: the contract, defaults and every refusal."""

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuedai.core.quote import FIELDS, QuoteError, quote
from xuedai.core.quote_cli import main

BASE: dict[str, Any] = {
    "annual_rate": "0.0565",
    "principal": "6000",
    "disbursed_on": "2018-09-01",
    "self_pay_from": "2019-09-01",
    "maturity": "2024-12-20",
    "principal_from": "2021-12-20",
    "as_of": "2022-12-20",
}


def _rows(answer: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (r["date"], r["subsidy_interest"], r["borrower_interest"], r["principal_due"])
        for r in answer["settlements"]
    ]


def test_actual_360_basis() -> None:
    # 2020 is a leap year: 6000 × 0.0565 × 366/360 = 344.65; 2021: × 365/360 = 343.708… → 343.71;
    # 2022: 4500 × 0.0565 × 365/360 = 257.781… → 257.78.
    assert _rows(quote({**BASE, "basis": "actual_360"})) == [
        ("2018-12-20", "103.58", "0.00", "0.00"),
        ("2019-12-20", "240.13", "103.58", "0.00"),
        ("2020-12-20", "0.00", "344.65", "0.00"),
        ("2021-12-20", "0.00", "343.71", "1500.00"),
        ("2022-12-20", "0.00", "257.78", "1500.00"),
    ]


def test_without_principal_from_the_plan_starts_after_self_pay() -> None:
    request = {k: v for k, v in BASE.items() if k != "principal_from"}
    rows = _rows(quote({**request, "as_of": "2024-12-20"}))
    # 6 settlement dates from 20 Dec 2019 to 2024: 1000 each
    assert [r[3] for r in rows] == ["0.00"] + ["1000.00"] * 6
    assert rows[2] == ("2020-12-20", "0.00", "282.50", "1000.00")  # 5000 × 5.65%


def test_still_subsidised_everything_falls_due_at_maturity() -> None:
    request = {k: v for k, v in BASE.items() if k not in ("principal_from", "self_pay_from")}
    rows = _rows(quote({**request, "as_of": "2025-06-01"}))
    assert all(r[2] == "0.00" for r in rows)
    assert rows[-1] == ("2024-12-20", "339.00", "0.00", "6000.00")
    answer = quote({**request, "self_pay_from": None, "as_of": "2025-06-01"})
    assert answer["as_of"]["overdue_principal"] == "6000.00"
    assert answer["as_of"]["grade_2023"] == "次级"  # 163 days


def test_custom_plan_and_settlement_day_and_a_september_maturity() -> None:
    answer = quote(
        {
            **BASE,
            "maturity": "2024-09-20",
            "settlement_day": "12-20",
            "principal_plan": [
                {"due": "2022-12-20", "amount": "2000"},
                {"due": "2024-09-20", "amount": "4000"},
            ],
            "as_of": "2024-09-20",
        }
    )
    # 20 Dec 2023 → 20 Sep 2024 is 275 days: 4000 × 0.0565 × 275/360 = 172.638… → 172.64
    assert _rows(answer)[-3:] == [
        ("2022-12-20", "0.00", "339.00", "2000.00"),
        ("2023-12-20", "0.00", "226.00", "0.00"),  # 4000 × 5.65%, a whole year
        ("2024-09-20", "0.00", "172.64", "4000.00"),  # maturity: everything left falls due
    ]


def test_settlements_stop_at_maturity_and_payments_after_as_of_are_ignored() -> None:
    answer = quote({**BASE, "as_of": "2030-01-01", "payments": [{"on": "2031-01-01", "amount": "99999"}]})
    assert answer["settlements"][-1]["date"] == "2024-12-20"
    assert answer["as_of"]["credit"] == "0.00"
    assert answer["as_of"]["grade_seed"] == "损失"


def test_numbers_may_be_decimals_or_ints_but_not_floats() -> None:
    same = quote({**BASE, "annual_rate": Decimal("0.0565"), "principal": 6000, "as_of": date(2022, 12, 20)})
    assert same == quote(BASE)
    with pytest.raises(QuoteError) as caught:
        quote({**BASE, "annual_rate": 0.0565})
    assert caught.value.field == "annual_rate"


def test_amounts_and_dates_in_the_answer_are_strings() -> None:
    answer = quote(BASE)
    assert set(answer) == {"settlements", "as_of"}
    assert set(answer["as_of"]) == {
        "outstanding_principal",
        "overdue_principal",
        "overdue_interest",
        "penalty_interest",
        "overdue_days",
        "grade_seed",
        "grade_2023",
        "credit",
    }
    assert isinstance(answer["as_of"]["overdue_days"], int)
    assert all(isinstance(v, str) for row in answer["settlements"] for v in row.values())


def _without(field: str) -> dict[str, Any]:
    return {k: v for k, v in BASE.items() if k != field}


@pytest.mark.parametrize(
    ("request_", "field", "message"),
    [
        (_without("annual_rate"), "annual_rate", "缺少必填字段"),
        (_without("principal"), "principal", "缺少必填字段"),
        (_without("disbursed_on"), "disbursed_on", "缺少必填字段"),
        (_without("maturity"), "maturity", "缺少必填字段"),
        (_without("as_of"), "as_of", "缺少必填字段"),
        ({**BASE, "annual_rate": "5.65"}, "annual_rate", "小数"),
        ({**BASE, "annual_rate": "-0.01"}, "annual_rate", "负"),
        ({**BASE, "annual_rate": "五厘"}, "annual_rate", "十进制"),
        ({**BASE, "basis": "30/360"}, "basis", "pboc"),
        ({**BASE, "principal": "0"}, "principal", "大于 0"),
        ({**BASE, "principal": "100.001"}, "principal", "两位小数"),
        ({**BASE, "disbursed_on": "2018/09/01"}, "disbursed_on", "YYYY-MM-DD"),
        ({**BASE, "disbursed_on": "2018-02-30"}, "disbursed_on", "不是存在的日期"),
        ({**BASE, "maturity": "2018-09-01"}, "maturity", "晚于"),
        ({**BASE, "as_of": "2018-08-31"}, "as_of", "不能早于"),
        ({**BASE, "self_pay_from": "20190901"}, "self_pay_from", "YYYY-MM-DD"),
        ({**BASE, "settlement_day": "02-29"}, "settlement_day", "没有第 29 日"),
        ({**BASE, "settlement_day": "1220"}, "settlement_day", "MM-DD"),
        ({**BASE, "settlement_day": 1220}, "settlement_day", "MM-DD"),
        ({**BASE, "principal_from": "2025-01-01"}, "principal_from", "不晚于到期日"),
        ({**BASE, "principal_from": "2018-09-01"}, "principal_from", "晚于放款日"),
        ({**BASE, "principal_plan": "1500 a year"}, "principal_plan", "应为列表"),
        ({**BASE, "principal_plan": ["2022-12-20"]}, "principal_plan[0]", "应为对象"),
        ({**BASE, "principal_plan": [{"amount": "6000"}]}, "principal_plan[0].due", "缺少 due"),
        (
            {**BASE, "principal_plan": [{"due": "2024-12-20", "amount": "6000", "x": 1}]},
            "principal_plan[0].x",
            "未知",
        ),
        (
            {**BASE, "principal_plan": [{"due": "2024-12-20", "amount": "-6000"}]},
            "principal_plan[0].amount",
            "大于 0",
        ),
        (
            {**BASE, "principal_plan": [{"due": "2024-12-21", "amount": "6000"}]},
            "principal_plan[0].due",
            "到期日",
        ),
        (
            {**BASE, "principal_plan": [{"due": "2020-12-20", "amount": "6000"}]},
            "principal_plan[0].due",
            "首次还本日",
        ),
        (
            {**BASE, "principal_plan": [{"due": "2023-06-20", "amount": "6000"}]},
            "principal_plan[0].due",
            "不是结息日",
        ),
        (
            {**BASE, "principal_plan": [{"due": "2023-12-20", "amount": "5000"}]},
            "principal_plan",
            "与本金 6000.00 元不符",
        ),
        ({**BASE, "payments": {"on": "2020-01-01"}}, "payments", "应为列表"),
        ({**BASE, "payments": [{"on": "2020-01-01"}]}, "payments[0].amount", "缺少 amount"),
        ({**BASE, "payments": [{"on": "2018-01-01", "amount": "1"}]}, "payments[0].on", "早于放款日"),
        ({**BASE, "payments": [{"on": "2020-01-01", "amount": "0"}]}, "payments[0].amount", "大于 0"),
        ({**BASE, "payments": [{"on": "x", "amount": "1"}]}, "payments[0].on", "YYYY-MM-DD"),
        ({**BASE, "penalty_multiplier": "0.5"}, "penalty_multiplier", "1 到 10"),
        ({**BASE, "penalty_multiplier": "1e999999"}, "penalty_multiplier", "1 到 10"),
        ({**BASE, "principal": "1e30"}, "principal", "范围"),
        ({**BASE, "maturity": "9999-12-21"}, "maturity", "年份范围"),
        ({**BASE, "maturity": "2199-12-20"}, "maturity", "超过 60 年"),
        ({**BASE, "penalty_multiplier": "abc"}, "penalty_multiplier", "十进制"),
        ({**BASE, "principle_plan": []}, "principle_plan", "未知字段"),
        ({**BASE, "rate_changes": {"from": "2020-01-01"}}, "rate_changes", "应为列表"),
        ({**BASE, "misuse_from": "2018-09-01"}, "misuse_from", "晚于 disbursed_on"),
        ({**BASE, "misuse_from": "2020-02-30"}, "misuse_from", "不是存在的日期"),
        (
            {**BASE, "rate_changes": [{"from": "2020-01-01"}]},
            "rate_changes[0].annual_rate",
            "缺少 annual_rate",
        ),
        (
            {**BASE, "rate_changes": [{"on": "2020-01-01", "annual_rate": "0.04"}]},
            "rate_changes[0].on",
            "未知",
        ),
        (
            {**BASE, "rate_changes": [{"from": "2018-09-01", "annual_rate": "0.04"}]},
            "rate_changes[0].from",
            "晚于 disbursed_on（放款日）",
        ),
        (
            {**BASE, "rate_changes": [{"from": "2020/01/01", "annual_rate": "0.04"}]},
            "rate_changes[0].from",
            "YYYY-MM-DD",
        ),
        (
            {
                **BASE,
                "rate_changes": [
                    {"from": "2021-01-01", "annual_rate": "0.04"},
                    {"from": "2020-01-01", "annual_rate": "0.035"},
                ],
            },
            "rate_changes[1].from",
            "升序",
        ),
        (
            {
                **BASE,
                "rate_changes": [
                    {"from": "2021-01-01", "annual_rate": "0.04"},
                    {"from": "2021-01-01", "annual_rate": "0.035"},
                ],
            },
            "rate_changes[1].from",
            "升序",
        ),
        (
            {**BASE, "rate_changes": [{"from": "2021-01-01", "annual_rate": "3.15"}]},
            "rate_changes[0].annual_rate",
            "小数",
        ),
        (
            {**BASE, "rate_changes": [{"from": "2021-01-01", "annual_rate": "-0.01"}]},
            "rate_changes[0].annual_rate",
            "负",
        ),
        (
            {**BASE, "rate_changes": [{"from": "2021-01-01", "annual_rate": "三厘"}]},
            "rate_changes[0].annual_rate",
            "十进制",
        ),
    ],
)
def test_every_refusal_names_its_field(request_: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(QuoteError) as caught:
        quote(request_)
    assert caught.value.field == field
    assert message in caught.value.message_zh
    assert caught.value.as_dict() == {"error": caught.value.message_zh, "field": field}


def test_every_request_field_is_covered_by_a_refusal_test() -> None:
    # keeps the table above honest when a field is added to the request
    tested = {"annual_rate", "principal", "disbursed_on", "maturity", "as_of", "basis", "self_pay_from"}
    tested |= {"settlement_day", "principal_from", "principal_plan", "payments", "penalty_multiplier"}
    tested |= {"rate_changes", "misuse_from"}
    assert tested == set(FIELDS)


def test_a_request_that_is_not_an_object() -> None:
    with pytest.raises(QuoteError) as caught:
        quote(["not", "a", "dict"])  # type: ignore[arg-type]
    assert caught.value.field == "request"


# -- the CLI entry ----------------------------------------------------------------------------------


def test_main_answers_with_json_and_exit_0() -> None:
    out = io.StringIO()
    request = json.dumps({**BASE, "annual_rate": 0.0565})  # a JSON number is read as a decimal
    assert main(io.StringIO(request), out) == 0
    answer = json.loads(out.getvalue())
    assert answer["settlements"][1]["subsidy_interest"] == "240.13"
    assert answer["settlements"][1]["borrower_interest"] == "103.58"


def test_main_refuses_with_error_and_field_and_exit_2() -> None:
    out = io.StringIO()
    assert main(io.StringIO(json.dumps(_without("maturity"))), out) == 2
    assert json.loads(out.getvalue()) == {"error": "缺少必填字段 maturity", "field": "maturity"}
    assert "缺少" in out.getvalue()  # Chinese is written as is, not \\u-escaped


def test_main_refuses_broken_json() -> None:
    out = io.StringIO()
    assert main(io.StringIO("{not json"), out) == 2
    assert json.loads(out.getvalue())["field"] == "request"


# -- whatever arrives, the answer is a quote or a QuoteError ----------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.text(max_size=12)
    | st.sampled_from(
        ["0", "-1", "1e999", "NaN", "2020-02-29", "2021-02-29", "12-20", "0.0565", "9999-12-31"]
    )
    | st.dates(min_value=date(1900, 1, 1), max_value=date(2300, 1, 1)).map(date.isoformat)
    | st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["on", "due", "amount", "x"]), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(changes=st.dictionaries(st.sampled_from([*FIELDS, "extra"]), json_values, max_size=3))
def test_quote_never_crashes(changes: dict[str, Any]) -> None:
    try:
        answer = quote({**BASE, **changes})
    except QuoteError as error:
        assert error.field and error.message_zh
    else:
        assert set(answer) == {"settlements", "as_of"}


# -- rate changes (issue 12) ------------------------------------------------------------------------

CUT: dict[str, Any] = {
    "annual_rate": "0.0375",
    "principal": "10000",
    "disbursed_on": "2022-09-10",
    "maturity": "2036-09-20",
    "as_of": "2023-12-20",
    "rate_changes": [{"from": "2023-01-01", "annual_rate": "0.0315"}],
}


def test_a_cut_from_1_january_breaks_the_stretch_and_rounds_once() -> None:
    # 2022-12-20: 10000 × 3.75 % × 101/360 = 105.208… → 105.21 (before the cut: the signing rate);
    # 2023-12-20: 10000 × 3.75 % × 12/360 + 10000 × 3.15 % × 353/360 = 12.5 + 308.875 = 321.375
    # → 321.38 — rounded once per settlement (per-period rounding would give 12.50 + 308.88 = 321.38
    # too, so the next test tells the two apart).
    assert _rows(quote(CUT)) == [
        ("2022-12-20", "105.21", "0.00", "0.00"),
        ("2023-12-20", "321.38", "0.00", "0.00"),
    ]
    assert quote(CUT)["rate_periods"] == [
        {"from": "2022-09-10", "until": "2023-01-01", "annual_rate": "0.0375"},
        {"from": "2023-01-01", "until": None, "annual_rate": "0.0315"},
    ]


def test_rounding_is_once_per_settlement_not_per_rate_period() -> None:
    # 1100 yuan, same dates: 1100 × 3.75 % × 12/360 = 1.375 and 1100 × 3.15 % × 353/360 = 33.97625.
    # Rounded per rate period that would be 1.38 + 33.98 = 35.36; once: 35.35125 → 35.35.
    request = {**CUT, "principal": "1100"}
    assert _rows(quote(request))[-1] == ("2023-12-20", "35.35", "0.00", "0.00")


def test_the_whole_year_rule_holds_only_while_the_rate_stays_the_same() -> None:
    # 20 Dec 2023 → 20 Dec 2024 at 3.15 % throughout: one whole year = 315.00 (366 days, leap year);
    # with a change to the same rate on 1 Jan 2024 the stretch is not broken: still 315.00.
    request = {**CUT, "as_of": "2024-12-20"}
    assert _rows(quote(request))[-1] == ("2024-12-20", "315.00", "0.00", "0.00")
    same = {
        **request,
        "rate_changes": [*CUT["rate_changes"], {"from": "2024-01-01", "annual_rate": "0.0315"}],
    }
    assert _rows(quote(same))[-1] == ("2024-12-20", "315.00", "0.00", "0.00")
    # A real change on 1 Jan 2024 breaks it: 10000 × (3.15 % × 12 + 2.85 % × 354)/360 = 10.5 + 280.25
    moved = {
        **request,
        "rate_changes": [*CUT["rate_changes"], {"from": "2024-01-01", "annual_rate": "0.0285"}],
    }
    assert _rows(quote(moved))[-1] == ("2024-12-20", "290.75", "0.00", "0.00")


def test_a_cut_splits_between_subsidy_and_borrower_and_penalty_follows_the_rate() -> None:
    # Self-pay from 2023-09-01: 20 Dec 2022 → 1 Jan 2023 at 3.75 % and → 1 Sep at 3.15 % are 贴息
    # (12.5 + 10000 × 0.0315 × 243/360 = 212.625 → 225.13); 1 Sep → 20 Dec at 3.15 % is the borrower's
    # (10000 × 0.0315 × 110/360 = 96.25).
    request = {**CUT, "self_pay_from": "2023-09-01", "principal_from": "2035-12-20"}
    assert _rows(quote(request))[-1] == ("2023-12-20", "225.13", "96.25", "0.00")
    # The 96.25 left unpaid: compound interest at 130 % of the rate in force, which falls to 2.85 %
    # from 1 Jan 2024: 96.25 × 1.3 × (0.0315 × 12 + 0.0285 × 19) / 360 = 0.31959… → 0.32 on 20 Jan
    # (at 3.15 % throughout it would be 96.25 × 1.3 × 0.0315 × 31/360 = 0.3394… → 0.34).
    later = {
        **request,
        "as_of": "2024-01-20",
        "rate_changes": [*CUT["rate_changes"], {"from": "2024-01-01", "annual_rate": "0.0285"}],
    }
    assert quote(later)["as_of"]["penalty_interest"] == "0.32"
    assert quote({**later, "rate_changes": CUT["rate_changes"]})["as_of"]["penalty_interest"] == "0.34"


def test_misuse_switches_the_penalty_multiplier_from_its_day() -> None:
    # BASE paid to 2020, then 1500 principal and 339.00 interest due 2021-12-20 left unpaid; on
    # 2022-01-20 (31 days)
    # at 130 %: 1500 × 0.07345 × 31/360 = 9.487 and 339 × 0.07345 × 31/360 = 2.144 → 9.49 + 2.14.
    # Misuse flagged 2022-01-05: 16 days at 130 %, then 15 at 150 % (8.475 %):
    # 1500 × (0.07345 × 16 + 0.08475 × 15)/360 = 1500 × 2.44645/360 = 10.193… → 10.19;
    # 339 × 2.44645/360 = 2.3037… → 2.30; 12.49 in all (against 11.63).
    paid = [{"on": "2019-12-20", "amount": "103.58"}, {"on": "2020-12-20", "amount": "339.00"}]
    request = {**BASE, "as_of": "2022-01-20", "payments": paid}
    assert quote(request)["as_of"]["penalty_interest"] == "11.63"
    assert quote({**request, "misuse_from": "2022-01-05"})["as_of"]["penalty_interest"] == "12.49"
