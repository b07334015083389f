"""``xuedai quote`` against hostile JSON: every answer is a quote or a Chinese refusal naming the field."""

import io
import json

import pytest

from xuedai.core.quote_cli import MAX_DEPTH, MAX_REQUEST_CHARS, main

BASE = {"annual_rate": "0.0565", "principal": "6000", "disbursed_on": "2018-09-01",
        "self_pay_from": "2019-09-01", "maturity": "2024-12-20", "as_of": "2022-12-20"}


def _answer(text: str) -> tuple[int, dict]:
    out = io.StringIO()
    code = main(io.StringIO(text), out)
    out.getvalue().encode("utf-8")  # printable on a UTF-8 terminal
    return code, json.loads(out.getvalue())


def _with(field: str, raw_json: str) -> str:
    return json.dumps(BASE)[:-1] + f', "{field}": {raw_json}' + "}"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 100_000])
def test_deep_nesting_is_refused_naming_the_field(depth):
    code, answer = _answer(_with("payments", "[" * depth + "]" * depth))
    assert code == 2 and answer["field"] == "payments" and "嵌套过深" in answer["error"]


def test_nesting_inside_a_string_is_just_text():
    code, answer = _answer(_with("basis", json.dumps("[" * 10_000)))
    assert code == 2 and answer["field"] == "basis"


def test_numbers_too_long_for_python_ints_and_too_big_for_money():
    code, answer = _answer(json.dumps(BASE)[:-1].replace('"6000"', "9" * 10_000) + "}")
    assert code == 2 and answer["field"] == "principal" and "超出支持的范围" in answer["error"]
    code, answer = _answer(_with("penalty_multiplier", "1e100000"))
    assert code == 2 and answer["field"] == "penalty_multiplier"
    code, answer = _answer(json.dumps({**BASE, "annual_rate": "1e-100000"}))
    assert code == 0  # a tiny rate is still a rate


def test_a_lone_surrogate_in_a_key_is_echoed_escaped():
    code, answer = _answer('{"x\\ud800": 1}')
    assert code == 2 and answer["field"] == "x\\ud800"


def test_oversize_requests_and_long_lists():
    code, answer = _answer(" " * (MAX_REQUEST_CHARS + 1))
    assert code == 2 and answer["field"] == "request" and "过大" in answer["error"]
    payments = [{"on": "2019-12-20", "amount": "1"}] * 1001
    code, answer = _answer(json.dumps({**BASE, "payments": payments}))
    assert code == 2 and answer["field"] == "payments" and "最多 1000 项" in answer["error"]


def test_huge_strings_are_not_echoed_whole():
    code, answer = _answer(json.dumps({**BASE, "as_of": "9" * 200_000}))
    assert code == 2 and answer["field"] == "as_of" and len(answer["error"]) < 200
