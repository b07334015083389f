"""money: Decimal only, half-up to the fen in one helper (ARCHITECTURE.md principle 1)."""

from decimal import Decimal

import pytest

from xuedai.core.money import MoneyError, format_money, round_fen, to_decimal, to_money


@pytest.mark.parametrize(
    ("exact", "fen"),
    [
        ("240.125", "240.13"),  # the published example's state share
        ("0.125", "0.13"),  # half-even would give 0.12
        ("0.135", "0.14"),
        ("103.5833333", "103.58"),
        ("-0.005", "-0.01"),  # half away from zero
        ("-0.004", "0.00"),  # no negative zero
    ],
)
def test_round_fen_is_half_up(exact: str, fen: str) -> None:
    assert str(round_fen(Decimal(exact))) == fen


def test_to_money_reads_yuan_and_fen() -> None:
    assert to_money("6000") == Decimal("6000.00")
    assert to_money(" 103.5800 ") == Decimal("103.58")
    assert to_money(15) == Decimal("15.00")
    assert to_money(Decimal("0.01")) == Decimal("0.01")


@pytest.mark.parametrize("bad", [0.1, True, "abc", "1.005", "NaN", "Infinity", None, [1]])
def test_to_money_refuses_what_is_not_an_exact_amount(bad: object) -> None:
    with pytest.raises(MoneyError):
        to_money(bad)


def test_to_decimal_keeps_all_digits_of_a_rate() -> None:
    assert to_decimal("0.0565") == Decimal("0.0565")
    with pytest.raises(MoneyError, match="浮点数"):
        to_decimal(0.0565)


def test_format_money_always_two_decimals() -> None:
    assert format_money(Decimal("339")) == "339.00"
    assert format_money(Decimal("0")) == "0.00"
    assert format_money(Decimal("1E+3")) == "1000.00"
    assert format_money(Decimal("254.25")) == "254.25"
