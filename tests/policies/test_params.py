"""The plain-values view of a version (for the pure core) and the amount and term rules."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from xuedai.policies.models import PolicyVersion
from xuedai.policies.params import amount_error, as_core_params, max_term_years
from xuedai.policies.presentation import SECTIONS, sections
from xuedai.policies.services import VERSION_FIELDS

from .conftest import version

pytestmark = pytest.mark.django_db

PLAIN = (Decimal, int, str, bool, dt.date, tuple, type(None))


def test_core_params_carry_no_django_types():
    for v in PolicyVersion.objects.all():
        params = as_core_params(v)
        for field in dataclasses.fields(params):
            value = getattr(params, field.name)
            assert type(value) in PLAIN, (v.name, field.name, type(value))
    assert as_core_params(version("home_county", "51", "2012-07-06")).settlement_day == (12, 20)


def test_amount_rule_of_each_regime():
    sichuan = as_core_params(version("home_county", "51", "2012-07-06"))
    assert amount_error(sichuan, Decimal("6000")) is None
    assert "不超过6,000元" in amount_error(sichuan, Decimal("6500"))
    assert "100元的整数倍" in amount_error(sichuan, Decimal("3050"))
    assert "不得低于1,000元" in amount_error(sichuan, Decimal("900"))
    autumn_2024 = as_core_params(version("home_county", "", "2024-09-01"))
    assert amount_error(autumn_2024, Decimal("20000")) is None
    assert amount_error(autumn_2024, Decimal("25000"), graduate=True) is None
    assert "研究生" in amount_error(autumn_2024, Decimal("25100"), graduate=True)
    commercial = as_core_params(version("commercial", "", "2000-09-01"))
    assert amount_error(commercial, Decimal("80000")) is None  # the bank decides


def test_term_rule_of_each_regime():
    def term(key, **kw):
        return max_term_years(as_core_params(version(*key)), **kw)

    assert term(("home_county", "51", "2012-07-06"), remaining_study_years=4) == 14
    assert term(("home_county", "51", "2012-07-06"), remaining_study_years=2) == 12
    assert term(("campus", "22", "2007-09-01"), remaining_study_years=4, programme_years=4) == 7
    assert term(("campus", "22", "2007-09-01"), remaining_study_years=2, programme_years=5) == 8
    assert term(("home_county", "", "2020-01-01"), remaining_study_years=4) == 19
    assert term(("home_county", "", "2020-01-01"), remaining_study_years=8) == 22
    assert term(("commercial", "", "2000-09-01"), remaining_study_years=4) is None


def test_every_parameter_has_a_place_on_the_detail_page():
    shown = [name for _, names in SECTIONS for name in names]
    assert sorted(shown) == sorted(VERSION_FIELDS)
    rows = dict(row for _, section in sections(version("home_county", "51", "2012-07-06")) for row in section)
    assert rows["罚息倍数"] == "130%（合同利率的1.3倍）"
    assert rows["固定年利率"] == "6.55%"
    assert rows["适用地区"] == "四川省（51）"
    rows = dict(row for _, section in sections(version("commercial", "", "2000-09-01")) for row in section)
    assert rows["本专科每学年最高金额"] == "不设上限(银行审批)"
