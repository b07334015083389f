"""Staged disbursement in core (DOMAIN.md §3.2, §3.3; interest only on what has been paid out)."""

from datetime import date
from decimal import Decimal as D

import pytest

from xuedai.core.engine import simulate
from xuedai.core.terms import LoanTerms
from xuedai.core.tranches import Tranche

TWO = (Tranche(date(2024, 9, 1), D("6000")), Tranche(date(2024, 11, 1), D("4000")))


def _terms(**kw):
    base = dict(principal=D("10000"), disbursed_on=date(2024, 9, 1), annual_rate=D("0.036"),
                maturity=date(2030, 12, 20))
    return LoanTerms(**{**base, **kw})


def test_interest_runs_on_what_has_been_paid_out():
    # By hand: 6000 × 3.6 % × 61/360 (1 Sep → 1 Nov) = 36.60, then 10000 × 3.6 % × 49/360
    # (1 Nov → 20 Dec) = 49.00: 85.60, rounded once; the lump sum would earn 110.00.
    staged = simulate(_terms(tranches=TWO), date(2025, 12, 20))
    lump = simulate(_terms(), date(2024, 12, 20))
    assert [r.subsidy_interest for r in staged.settlements] == [D("85.60"), D("360.00")]
    assert lump.settlements[0].subsidy_interest == D("110.00")


def test_before_the_second_tranche_only_the_first_is_outstanding():
    assert simulate(_terms(tranches=TWO), date(2024, 10, 31)).state.outstanding_principal == D("6000")
    assert simulate(_terms(tranches=TWO), date(2024, 11, 1)).state.outstanding_principal == D("10000")


def test_one_rounding_per_settlement_across_tranches():
    # 6000 × 3.65 % × 61/360 = 37.1083…, 10000 × 3.65 % × 49/360 = 49.6805…: 86.7888… → 86.79.
    staged = simulate(_terms(tranches=TWO, annual_rate=D("0.0365")), date(2024, 12, 20))
    assert staged.settlements[0].subsidy_interest == D("86.79")


@pytest.mark.parametrize(("tranches", "message"), [
    ((Tranche(date(2024, 8, 31), D("10000")),), "第一次发放日"),
    ((Tranche(date(2024, 9, 1), D("6000")), Tranche(date(2024, 9, 1), D("4000"))), "严格递增"),
    ((Tranche(date(2024, 9, 1), D("6000")), Tranche(date(2024, 11, 1), D("3999"))), "合计"),
])
def test_bad_tranches_are_refused(tranches, message):
    with pytest.raises(ValueError, match=message):
        _terms(tranches=tranches)


def test_a_first_tranche_after_the_disbursement_day_earns_from_its_own_day():
    # Nothing paid out on 1 Sep; 10000 on 1 Nov: 10000 × 3.6 % × 49/360 = 49.00.
    late = _terms(tranches=(Tranche(date(2024, 11, 1), D("10000")),))
    assert simulate(late, date(2024, 12, 20)).settlements[0].subsidy_interest == D("49.00")
    assert simulate(late, date(2024, 10, 1)).state.outstanding_principal == 0
