"""The risk-compensation fund waterfall ([003] 资金管理办法 第二十七、二十八条), worked by hand."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuedai.core.riskfund import RiskFundError, accrual, movement, recovery_return, split, waterfall

SEED = D("0.14")
LOANS = D("1000000.00")


def parts(defaulted, fund=D("140000.00"), rate=SEED, loans=LOANS):
    return waterfall(total_loans=loans, defaulted=D(defaulted), fund_held=fund, rate=rate)


def test_below_the_rate_the_difference_is_the_universitys_reward():
    w = parts("100000.00")
    assert w.band == "低于补偿比例"
    assert w.risk_ratio == D("0.1")
    p = w.parts
    assert (p.from_fund, p.reward) == (D("100000.00"), D("40000.00"))
    assert p.university_share == p.bank_share == p.province_share == p.above_cap == 0


def test_at_the_rate_the_fund_covers_all_and_nothing_is_returned():
    w = parts("140000.00")
    assert w.band == "等于补偿比例"
    assert (w.parts.from_fund, w.parts.reward, w.parts.university_share) == (D("140000.00"), 0, 0)


def test_between_the_rate_and_20_percent_the_excess_is_shared_5_4_1():
    w = parts("170000.00")
    assert w.band == "补偿比例至20%之间"
    p = w.parts
    assert p.from_fund == D("140000.00")
    assert (p.university_share, p.bank_share, p.province_share) == (
        D("15000.00"),
        D("12000.00"),
        D("3000.00"),
    )
    assert p.above_cap == 0 and p.reward == 0


def test_exactly_20_percent_is_still_all_shared():
    w = parts("200000.00")
    assert w.band == "等于20%"
    p = w.parts
    assert (p.university_share, p.bank_share, p.province_share, p.above_cap) == (
        D("30000.00"),
        D("24000.00"),
        D("6000.00"),
        0,
    )


def test_above_20_percent_the_university_bears_the_rest():
    w = parts("250000.00")
    assert w.band == "超过20%"
    p = w.parts
    assert p.above_cap == D("50000.00")
    assert p.university_total == D("80000.00")  # 30,000 shared + 50,000 above
    assert p.defaulted == D("250000.00")


def test_the_2021_rate_of_5_percent():
    w = parts("60000.00", fund=D("50000.00"), rate=D("0.05"))
    # T1 = 50,000, band 10,000 → 5,000 / 4,000 / 1,000
    assert (w.parts.from_fund, w.parts.university_share, w.parts.bank_share, w.parts.province_share) == (
        D("50000.00"),
        D("5000.00"),
        D("4000.00"),
        D("1000.00"),
    )


def test_odd_fen_of_the_shared_band_are_allocated_not_lost():
    # loans 1,000.00 at 14 %: T1 = 140.00, T2 = 200.00; 140.03 defaulted → 0.03 shared 5 : 4 : 1.
    w = parts("140.03", fund=D("140.00"), loans=D("1000.00"))
    assert (w.parts.university_share, w.parts.bank_share, w.parts.province_share) == (
        D("0.02"),
        D("0.01"),
        D("0.00"),
    )


def test_a_fund_short_of_its_cover_shows_the_shortfall():
    w = parts("100000.00", fund=D("60000.00"))
    assert (w.parts.from_fund, w.parts.shortfall, w.parts.reward) == (D("100000.00"), D("40000.00"), 0)


def test_recoveries_come_back_in_reverse_order():
    # 250,000 defaulted (above 20 %), then 70,000 recovered: 50,000 above-cap first, then 20,000
    # of the band as 5 : 4 : 1, the fund's cover untouched.
    back = recovery_return(
        total_loans=LOANS,
        defaulted=D("250000.00"),
        recovered=D("70000.00"),
        fund_held=D("140000.00"),
        rate=SEED,
    )
    assert back.above_cap == D("50000.00")
    assert (back.university_share, back.bank_share, back.province_share) == (
        D("10000.00"),
        D("8000.00"),
        D("2000.00"),
    )
    assert back.from_fund == 0 and back.reward == 0


def test_a_recovery_deep_enough_frees_the_funds_cover_as_reward():
    back = recovery_return(
        total_loans=LOANS,
        defaulted=D("150000.00"),
        recovered=D("30000.00"),
        fund_held=D("140000.00"),
        rate=SEED,
    )
    # 10,000 of band (5 000 / 4 000 / 1 000) first, then 20,000 of the fund's cover → reward +20,000.
    assert (back.university_share, back.bank_share, back.province_share) == (
        D("5000.00"),
        D("4000.00"),
        D("1000.00"),
    )
    assert back.from_fund == D("20000.00") and back.reward == D("-20000.00")


def test_the_years_movement_is_the_difference_of_cumulative_parts():
    first = parts("100000.00").parts
    second = parts("170000.00").parts
    moved = movement(first, second)
    assert moved.from_fund == D("40000.00") and moved.reward == D("-40000.00")
    assert moved.university_share == D("15000.00")
    assert movement(None, first) == first


def test_accrual_seed_and_2021():
    a = accrual(D("1234567.89"), SEED, D("0.5"), D("0.5"))
    assert (a.total, a.finance, a.university) == (D("172839.50"), D("86419.75"), D("86419.75"))
    # 0.01 cannot halve: the fen goes to the first share, the parts still add up.
    b = accrual(D("0.10"), D("0.05"), D("0.5"), D("0.5"))
    assert (b.total, b.finance, b.university) == (D("0.01"), D("0.01"), D("0.00"))


def test_bad_inputs_are_refused_in_chinese():
    with pytest.raises(RiskFundError, match="违约本息不能超过贷款总额"):
        parts("2000000.00")
    with pytest.raises(RiskFundError, match="风险补偿金比例"):
        parts("1.00", rate=D("0.25"))


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=0, max_value=D("0.20"), places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(loans=money, fraction=st.fractions(min_value=0, max_value=1), fund=money, rate=rates)
def test_parts_always_sum_to_the_whole(loans, fraction, fund, rate):
    defaulted = (loans * D(fraction.numerator) / D(fraction.denominator)).quantize(
        D("0.01"), rounding="ROUND_DOWN"
    )
    w = waterfall(total_loans=loans, defaulted=defaulted, fund_held=fund, rate=rate)
    p = w.parts
    assert p.defaulted == w.defaulted
    assert p.from_fund - p.shortfall + p.reward == w.fund_held
    for value in (
        p.from_fund,
        p.university_share,
        p.bank_share,
        p.province_share,
        p.above_cap,
        p.reward,
        p.shortfall,
    ):
        assert value >= 0 and value == value.quantize(D("0.01"))


@settings(max_examples=300, deadline=None)
@given(
    amount=money,
    weights=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=6).filter(
        lambda w: sum(w) > 0
    ),
)
def test_split_adds_up_to_the_fen(amount, weights):
    shares = split(amount, weights)
    assert sum(shares) == amount
    assert all(s >= 0 for s in shares)
