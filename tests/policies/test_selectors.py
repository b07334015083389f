"""policy_for and effective_terms against the versions shipped by the data migration."""

import datetime as dt
from decimal import Decimal

import pytest

from xuedai.policies.selectors import (
    ContractParams,
    PolicyNotFound,
    effective_terms,
    policy_for,
    rate_reference_date,
)
from xuedai.policies.services import policy_version_create

from .conftest import version

pytestmark = pytest.mark.django_db

D = Decimal
SANTAI = "510722"  # 三台县, Sichuan
CHANGCHUN = "220102"  # 长春市南关区, Jilin
ZHENGZHOU = "410102"  # 郑州市中原区, Henan: no provincial version


# ---- which version a contract is signed under ---------------------------------------------------

@pytest.mark.parametrize(("product", "region", "signed_on", "expected"), [
    # The 2012 Sichuan seed governs Sichuan home-county contracts from 6 Jul 2012 ...
    ("home_county", SANTAI, "2012-07-06", ("51", "2012-07-06")),
    ("home_county", SANTAI, "2015-10-10", ("51", "2012-07-06")),
    ("home_county", SANTAI, "2019-12-31", ("51", "2012-07-06")),
    # ... until the 2020 national notice supersedes it.
    ("home_county", SANTAI, "2020-01-01", ("", "2020-01-01")),
    ("home_county", SANTAI, "2021-10-10", ("", "2021-09-01")),
    ("home_county", ZHENGZHOU, "2021-10-10", ("", "2021-09-01")),
    ("home_county", SANTAI, "2023-08-31", ("", "2023-07-01")),
    ("home_county", SANTAI, "2023-09-01", ("", "2023-09-01")),
    ("home_county", SANTAI, "2024-08-31", ("", "2023-09-01")),
    ("home_county", SANTAI, "2024-09-01", ("", "2024-09-01")),
    ("home_county", SANTAI, "2026-11-20", ("", "2024-09-01")),
    # Jilin's 2007 campus seed, then the national campus notices.
    ("campus", CHANGCHUN, "2007-10-15", ("22", "2007-09-01")),
    ("campus", "22", "2013-10-15", ("22", "2007-09-01")),
    ("campus", CHANGCHUN, "2021-10-15", ("", "2021-09-01")),
    ("commercial", SANTAI, "2015-03-01", ("", "2000-09-01")),
    ("commercial", CHANGCHUN, "2024-03-01", ("", "2023-07-01")),
])
def test_policy_for_picks_the_version_in_force(product, region, signed_on, expected):
    got = policy_for(product, region, dt.date.fromisoformat(signed_on))
    assert (got.region_code, got.effective_from.isoformat()) == expected


@pytest.mark.parametrize(("product", "region", "signed_on"), [
    ("home_county", SANTAI, "2012-07-05"),  # the day before the Sichuan seed
    ("home_county", ZHENGZHOU, "2015-10-10"),  # Henan has no version before 2020
    ("campus", SANTAI, "2010-10-10"),  # the Jilin seed does not reach Sichuan
])
def test_no_version_is_a_clear_chinese_error(product, region, signed_on):
    with pytest.raises(PolicyNotFound, match=r"没有适用于.*的政策版本"):
        policy_for(product, region, dt.date.fromisoformat(signed_on))


def test_a_provincial_version_wins_on_the_same_day_and_until_the_next_national_notice(province):
    from tests import factories
    from xuedai.orgs.models import Role

    admin = factories.make_user(province.head, Role.ADMIN)
    national = version("home_county", "", "2021-09-01")
    fields = {f: getattr(national, f) for f in ("amount_min", "amount_max_graduate", "amount_multiple",
                                                 "term_rule", "term_max_years", "term_years_after_study",
                                                 "rate_kind", "lpr_spread_bp", "self_pay_rule",
                                                 "early_repayment_rule", "classification_rule",
                                                 "risk_fund_rate")}
    sichuan = policy_version_create(actor=admin, product="home_county", region_code="51",
                                    effective_from=dt.date(2021, 9, 1), name="四川省2021实施细则",
                                    source="测试", amount_max_undergraduate=D("10000"), **fields)
    assert policy_for("home_county", SANTAI, dt.date(2021, 10, 10)) == sichuan
    assert policy_for("home_county", ZHENGZHOU, dt.date(2021, 10, 10)) == national
    # The 2023 classification notice is national and later: it supersedes the Sichuan detail.
    assert policy_for("home_county", SANTAI, dt.date(2023, 7, 1)).region_code == ""


# ---- which rate is in force ---------------------------------------------------------------------

def test_rate_reference_date_is_signing_then_first_of_january():
    assert rate_reference_date(dt.date(2021, 10, 15), dt.date(2021, 12, 20)) == dt.date(2021, 10, 15)
    assert rate_reference_date(dt.date(2021, 10, 15), dt.date(2023, 12, 20)) == dt.date(2023, 1, 1)
    assert rate_reference_date(dt.date(2021, 10, 15), dt.date(2021, 1, 5)) == dt.date(2021, 10, 15)


CONTRACT_2021 = ContractParams(product="home_county", region_code=SANTAI, signed_on=dt.date(2021, 10, 15))
CONTRACT_2012 = ContractParams(product="home_county", region_code=SANTAI, signed_on=dt.date(2012, 10, 15))


@pytest.mark.parametrize(("on_date", "rate", "lpr"), [
    ("2021-12-20", "0.04350", "0.0465"),  # signing: LPR 4.65% (2021-12-20 publication unchanged) − 30 bp
    ("2022-12-20", "0.04350", "0.0465"),  # 1 Jan 2022: LPR of 2021-12-20, 4.65%
    ("2023-08-31", "0.04000", "0.0430"),  # 1 Jan 2023: LPR of 2022-08-22, 4.30%; the 2023 cut not yet
    ("2023-12-20", "0.03600", "0.0420"),  # 1 Sep 2023: the 2023 notice on its own date: 4.20% − 60 bp
    ("2024-06-20", "0.03600", "0.0420"),  # 1 Jan 2024: LPR of 2023-08-21 still, 4.20% − 60 bp
    ("2025-12-20", "0.03000", "0.0360"),  # 1 Jan 2025: LPR of 2024-10-21, 3.60% − 60 bp
])
def test_lpr_contract_of_2021_is_repriced_each_january(on_date, rate, lpr):
    terms = effective_terms(CONTRACT_2021, dt.date.fromisoformat(on_date))
    assert terms.version == version("home_county", "", "2021-09-01")
    assert (terms.annual_rate, terms.lpr_five_year_plus) == (D(rate), D(lpr))


def test_the_2023_cut_reaches_an_existing_2021_contract_but_its_own_parameters_stay():
    terms = effective_terms(CONTRACT_2021, dt.date(2024, 12, 20))
    assert terms.rate_version == version("home_county", "", "2023-09-01")
    assert terms.repriced_by_later_notice
    assert terms.annual_rate == D("0.03600")
    # Signed under 2021: 12000 cap (not 2023's 16000), 5-year grace, penalty 130%.
    assert terms.version.amount_max_undergraduate == D("12000")
    assert "存量合同" in terms.explanation() and "3.60%" in terms.explanation()


def test_a_2012_contract_keeps_its_parameters_while_the_2023_cut_sets_its_rate():
    before = effective_terms(CONTRACT_2012, dt.date(2019, 12, 20))
    assert before.annual_rate == D("0.06550") and not before.repriced_by_later_notice
    # The 2020 notice (LPR − 30 bp for new contracts) did not touch it: still fixed until the 2023
    # notice's own day, 1 Sep 2023 (policies.repricing: the one source of that day).
    assert effective_terms(CONTRACT_2012, dt.date(2023, 8, 31)).annual_rate == D("0.06550")
    cut = effective_terms(CONTRACT_2012, dt.date(2023, 9, 1))
    assert (cut.annual_rate, cut.rate_reference_date) == (D("0.03600"), dt.date(2023, 9, 1))

    terms = effective_terms(CONTRACT_2012, dt.date(2024, 12, 20))
    assert terms.annual_rate == D("0.03600")
    params = terms.core_params()
    assert (params.amount_min, params.amount_max_undergraduate, params.amount_multiple) == (
        D("1000"), D("6000"), D("100"))
    assert params.penalty_multiplier == D("1.30")
    assert params.term_rule == "seed_2012" and params.repayment_day == (12, 21)
    assert terms.penalty_rate == D("0.04680")  # 3.60% × 130%
    assert params.annual_rate == D("0.03600")


def test_a_contract_signed_under_the_cut_prices_from_the_lpr_of_its_signing_day():
    signed = ContractParams(product="campus", region_code=CHANGCHUN, signed_on=dt.date(2024, 10, 25))
    terms = effective_terms(signed, dt.date(2024, 12, 20))
    assert terms.version == version("campus", "", "2024-09-01")
    assert (terms.lpr_published_on, terms.annual_rate) == (dt.date(2024, 10, 21), D("0.03000"))


def test_jilin_2007_contract_keeps_its_fixed_rate_until_the_cut():
    signed = ContractParams(product="campus", region_code=CHANGCHUN, signed_on=dt.date(2010, 10, 15))
    assert effective_terms(signed, dt.date(2016, 12, 20)).annual_rate == D("0.07560")
    assert effective_terms(signed, dt.date(2024, 12, 20)).annual_rate == D("0.03600")


def test_commercial_loans_take_the_contract_rate():
    signed = ContractParams(product="commercial", region_code=SANTAI, signed_on=dt.date(2024, 3, 1),
                            annual_rate=D("0.05200"))
    terms = effective_terms(signed, dt.date(2025, 12, 20))
    assert terms.annual_rate == D("0.05200") and terms.version.guarantee_required
    with pytest.raises(PolicyNotFound, match="合同利率"):
        effective_terms(ContractParams("commercial", SANTAI, dt.date(2024, 3, 1)), dt.date(2025, 1, 1))


def test_classification_rule_follows_the_report_date_not_the_signing_version():
    assert effective_terms(CONTRACT_2012, dt.date(2023, 6, 30)).classification_rule == "seed"
    assert effective_terms(CONTRACT_2012, dt.date(2023, 9, 30)).classification_rule == "2023"
    assert effective_terms(CONTRACT_2012, dt.date(2023, 9, 30)).version.classification_rule == "seed"


def test_effective_terms_of_a_contract_row(province):
    from tests.factories import BorrowerFactory
    from xuedai.origination.models import Contract

    borrower = BorrowerFactory(county=province.counties[0])
    contract = Contract.objects.create(
        contract_no="HT2021TEST0001", borrower=borrower, product="home_county", academic_year=2021,
        policy_version=policy_for("home_county", SANTAI, dt.date(2021, 10, 15)),
        county=province.counties[0], amount=D("8000"), annual_rate=D("0.04350"), term_years=15,
        applied_on=dt.date(2021, 9, 10), signed_on=dt.date(2021, 10, 15),
        maturity_date=dt.date(2036, 12, 20))
    terms = effective_terms(contract, dt.date(2024, 12, 20))
    assert terms.version == contract.policy_version
    assert terms.annual_rate == D("0.03600")


def test_no_lpr_before_the_reform_is_a_clear_error():
    early = version("home_county", "", "2020-01-01")
    params = ContractParams("home_county", SANTAI, dt.date(2019, 6, 1), version=early)
    with pytest.raises(PolicyNotFound, match="没有公布的LPR"):
        effective_terms(params, dt.date(2019, 6, 1))
