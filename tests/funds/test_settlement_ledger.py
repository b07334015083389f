"""Every part of the 20 Dec settlement posted (DOMAIN.md §6; [003] 资金管理办法 第二十七、二十八条):
worked by hand at each band, with recoveries into the fund and back out in reverse order, and a
property test that the postings always explain the movement to the fen.

Figures (the module doc of core.riskfund): rate 14 %, total loans 1,000,000.00, so T1 = 140,000.00
and T2 = 200,000.00; the fund holds 140,000.00."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuedai.core.riskfund import NO_PARTS, settlement_steps, waterfall
from xuedai.funds.models import FUND_EFFECT, PARTS, SHARE_EFFECT, FundKind, Party, Settlement, ShareKind
from xuedai.funds.services.settlement_postings import settlement_postings

LOANS, RATE, FUND = D("1000000.00"), D("0.14"), D("140000.00")
LIMITS = (D("140000.00"), D("200000.00"))
ACCOUNTS = {Party.UNIVERSITY: 1, Party.BANK: 2, Party.PROVINCE: 3, Party.SHORTFALL: 4}
NAMES = {v: k for k, v in ACCOUNTS.items()}


def _settle(defaulted, *, previous=None, recovered=D(0), fund=FUND, loans=LOANS):
    """One settlement after ``previous`` (a waterfall, or None): its steps and postings."""
    w = waterfall(total_loans=loans, defaulted=defaulted, fund_held=fund, rate=RATE)
    steps = settlement_steps(
        previous=previous.parts if previous else None,
        previous_defaulted=previous.defaulted if previous else D(0),
        previous_fund_held=previous.fund_held if previous else D(0),
        previous_limits=(previous.fund_limit, previous.cap_limit) if previous else None,
        recovered=recovered,
        current=w.parts,
    )
    fund_postings, share_postings = settlement_postings(
        Settlement(account_id=99), steps, ACCOUNTS, dt_on()
    )
    return w, steps, fund_postings, share_postings


def dt_on():
    return dt.date(2026, 12, 20)


def _fund(postings):
    return sorted((p.kind, p.part, p.amount) for p in postings)


def _shares(postings):
    return sorted((NAMES[p.account_id], p.kind, p.part, p.amount) for p in postings)


def _balances(share_postings):
    out = defaultdict(D)
    for p in share_postings:
        out[NAMES[p.account_id]] += SHARE_EFFECT[p.kind] * p.amount
    return dict(out)


def _fund_effect(postings):
    return sum((FUND_EFFECT[p.kind] * p.amount for p in postings), D(0))


def test_below_the_rate_the_fund_covers_and_rewards_the_rest():
    _w, _s, fund, shares = _settle(D("100000.00"))
    assert _fund(fund) == [(FundKind.COVER_PAID, "from_fund", D("100000.00")),
                           (FundKind.REWARD_PAID, "reward", D("40000.00"))]
    assert shares == []
    assert _fund_effect(fund) == -FUND  # the fund paid out all it held


def test_at_the_rate_the_fund_covers_all_and_rewards_nothing():
    _w, _s, fund, shares = _settle(D("140000.00"))
    assert _fund(fund) == [(FundKind.COVER_PAID, "from_fund", D("140000.00"))]
    assert shares == []


def test_between_the_rate_and_20_percent_the_excess_is_shared_5_4_1():
    _w, _s, fund, shares = _settle(D("170000.00"))
    assert _fund(fund) == [(FundKind.COVER_PAID, "from_fund", D("140000.00"))]
    assert _shares(shares) == [
        (Party.BANK, ShareKind.BORNE, "bank_share", D("12000.00")),
        (Party.PROVINCE, ShareKind.BORNE, "province_share", D("3000.00")),
        (Party.UNIVERSITY, ShareKind.BORNE, "university_share", D("15000.00")),
    ]


def test_exactly_20_percent_the_whole_band_is_shared():
    w, _s, _fund_postings, shares = _settle(D("200000.00"))
    assert w.band == "等于20%"
    assert _balances(shares) == {Party.UNIVERSITY: D("30000.00"), Party.BANK: D("24000.00"),
                                 Party.PROVINCE: D("6000.00")}


def test_above_20_percent_the_university_bears_the_top():
    _w, _s, fund, shares = _settle(D("250000.00"))
    assert _fund(fund) == [(FundKind.COVER_PAID, "from_fund", D("140000.00"))]
    assert _balances(shares) == {Party.UNIVERSITY: D("80000.00"), Party.BANK: D("24000.00"),
                                 Party.PROVINCE: D("6000.00")}
    assert (Party.UNIVERSITY, ShareKind.BORNE, "above_cap", D("50000.00")) in _shares(shares)


def test_a_recovery_goes_into_the_fund_and_back_top_band_first():
    first, *_ = _settle(D("250000.00"))
    _w, steps, fund, shares = _settle(D("180000.00"), previous=first, recovered=D("70000.00"))
    assert steps.recovered == D("70000.00")
    # 70,000 in: 50,000 of the part above 20 %, then 20,000 of the band in 5 : 4 : 1.
    ins = [(p.part, p.amount) for p in fund if p.kind == FundKind.RECOVERY_IN]
    outs = [(p.part, p.amount) for p in fund if p.kind == FundKind.RECOVERY_RETURNED]
    assert ins == outs == [("above_cap", D("50000.00")), ("university_share", D("10000.00")),
                           ("bank_share", D("8000.00")), ("province_share", D("2000.00"))]
    assert _fund_effect(fund) == 0  # in and out the same day: the fund stays explained
    assert _balances(shares) == {Party.UNIVERSITY: D("-60000.00"), Party.BANK: D("-8000.00"),
                                 Party.PROVINCE: D("-2000.00")}
    # after both settlements the parties bear what a waterfall at 180,000 gives them
    total = _balances(_settle(D("250000.00"))[3] + shares)
    assert total == {Party.UNIVERSITY: D("20000.00"), Party.BANK: D("16000.00"), Party.PROVINCE: D("4000.00")}


def test_a_recovery_into_the_funds_band_frees_cover_for_the_reward():
    first, *_ = _settle(D("170000.00"))
    _w, steps, fund, shares = _settle(D("120000.00"), previous=first, recovered=D("50000.00"))
    # 30,000 of the band back 15 / 12 / 3; 20,000 of the cover freed → reward to the university
    assert (FundKind.RECOVERY_IN, "from_fund", D("20000.00")) in _fund(fund)
    assert (FundKind.REWARD_PAID, "reward", D("20000.00")) in _fund(fund)
    assert _fund_effect(fund) == 0
    assert _balances(shares) == {Party.UNIVERSITY: D("-15000.00"), Party.BANK: D("-12000.00"),
                                 Party.PROVINCE: D("-3000.00")}
    assert steps.rest == NO_PARTS


def test_a_recovery_is_capped_at_what_was_compensated():
    first, *_ = _settle(D("100000.00"))
    _w, steps, _fund_postings, _shares_postings = _settle(D("0.00"), previous=first, recovered=D("130000.00"))
    assert steps.recovered == D("100000.00")


def test_a_shortfall_is_owed_to_the_bank_and_cancelled_by_a_recovery():
    # the fund holds only 100,000 of its 140,000 cover: 40,000 still owed to the bank
    first, _s, fund, shares = _settle(D("170000.00"), fund=D("100000.00"))
    assert (FundKind.COVER_PAID, "from_fund", D("100000.00")) in _fund(fund)
    assert _balances(shares)[Party.SHORTFALL] == D("40000.00")
    # 60,000 recovered: 30,000 of the band back, then 30,000 of cover the fund never paid —
    # it stays with the bank and cancels the shortfall; nothing comes into the fund for it
    _w, _steps, fund2, shares2 = _settle(D("110000.00"), previous=first, recovered=D("60000.00"),
                                         fund=D("100000.00"))
    assert not [p for p in fund2 if p.part == "from_fund"]
    assert _balances(shares2)[Party.SHORTFALL] == D("-30000.00")
    assert _fund_effect(fund2) == 0


def _signed_by_part(fund, shares):
    """Per part, what the postings move: borne / paid out positive, returned negative."""
    out = defaultdict(D)
    for p in fund:
        if p.kind in (FundKind.COVER_PAID, FundKind.REWARD_PAID):
            out[p.part] += p.amount
        elif p.kind in (FundKind.COVER_RETURNED, FundKind.REWARD_RETURNED):
            out[p.part] -= p.amount
        elif p.kind == FundKind.RECOVERY_IN and p.part == "from_fund":
            out[p.part] -= p.amount  # the cover comes back into the fund
    for p in shares:
        out[p.part] += SHARE_EFFECT[p.kind] * p.amount
    return out


fen = st.integers(min_value=0, max_value=50_000_000).map(lambda n: D(n) / 100)


@settings(max_examples=300, deadline=None)
@given(loans=st.integers(min_value=1, max_value=20_000_000).map(lambda n: D(n) / 100),
       d1=st.floats(0, 1), d2=st.floats(0, 1), f1=fen, f2=fen, recovered=fen,
       growth=st.integers(min_value=0, max_value=5_000_000).map(lambda n: D(n) / 100))
def test_the_postings_always_explain_the_movement_to_the_fen(loans, d1, d2, f1, f2, recovered, growth):
    first, *_ = _settle((loans * D(str(d1))).quantize(D("0.01")), fund=f1, loans=loans)
    later_loans = loans + growth
    w, steps, fund, shares = _settle((later_loans * D(str(d2))).quantize(D("0.01")), previous=first,
                                     recovered=recovered, fund=f1 + f2, loans=later_loans)
    moved = steps.movement
    for name in PARTS:
        assert getattr(moved, name) == getattr(w.parts, name) - getattr(first.parts, name)
    by_part = _signed_by_part(fund, shares)
    for name in ("university_share", "bank_share", "province_share", "above_cap", "shortfall"):
        assert by_part[name] == getattr(moved, name), name
    # the fund's cover: what it paid the bank, net, is the cover movement less the shortfall's
    assert by_part["from_fund"] == moved.from_fund - moved.shortfall
    # the fund's balance moves by exactly what its postings say: −(cover + reward), plus nothing
    # else (a recovery comes in and goes out the same day)
    assert _fund_effect(fund) == -(moved.from_fund - moved.shortfall) - moved.reward
    assert all(p.amount > 0 for p in fund + shares)


@pytest.mark.parametrize("defaulted", ["0.03", "0.07", "1234.57"])
def test_fen_edges_add_up(defaulted):
    w, _s, fund, shares = _settle(D(defaulted) + D("140000.00"))
    assert sum(p.amount for p in shares) + sum(p.amount for p in fund if p.kind == FundKind.COVER_PAID) \
        == w.defaulted
