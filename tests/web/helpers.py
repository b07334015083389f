"""Helpers shared by the borrower, web and scope-matrix tests: a logged-in client, policy versions
and contracts made directly (origination services arrive with issue 4)."""

import datetime as dt
import itertools
from decimal import Decimal

from xuedai.borrowers.models import Borrower
from xuedai.orgs.middleware import SESSION_FLAG
from xuedai.origination.models import Contract, ContractState
from xuedai.policies.models import PolicyVersion
from xuedai.policies.products import Product

_seq = itertools.count(1)


def login(client, user):
    """Log in and mark the TOTP second factor as passed, as the login flow would."""
    client.force_login(user)
    session = client.session
    session[SESSION_FLAG] = True
    session.save()
    return client


# The two co-borrower regimes of DOMAIN.md §1: [001 附件二] (parents too must be 25–60) and the
# newer notices (only a non-parent must be 25–60; nobody with an unpaid student loan).
RULES_2012 = {"co_borrower_age_applies_to_parents": True, "co_borrower_no_unpaid_loan": False}
RULES_2021 = {"co_borrower_age_applies_to_parents": False, "co_borrower_no_unpaid_loan": True}


def make_policy_version(*, effective_from: dt.date, region_code: str = "", name: str = "测试政策",
                        product: str = Product.HOME_COUNTY, **overrides) -> PolicyVersion:
    fields = {
        "product": product, "region_code": region_code, "effective_from": effective_from, "name": name,
        "source": "测试", "amount_min": Decimal("1000"), "amount_max_undergraduate": Decimal("6000"),
        "amount_max_graduate": Decimal("6000"), "term_rule": "seed_2012", "term_min_years": 5,
        "term_max_years": 14, "term_years_after_study": 10, "rate_kind": "fixed",
        "fixed_rate": Decimal("0.06550"), "self_pay_rule": "sep1_of_graduation_year",
        "early_repayment_rule": "seed_before_10th", "classification_rule": "seed",
        "risk_fund_rate": Decimal("0.15"), "co_borrower_min_age": 25, "co_borrower_max_age": 60,
        "co_borrower_same_county": True,
    }
    fields.update(overrides)
    return PolicyVersion.objects.create(**fields)


def install_test_policies() -> tuple[PolicyVersion, PolicyVersion]:
    """Replace whatever versions the migrations shipped by two known ones, so the co-borrower tests
    state their rules here: Sichuan 2012 (from 2012-07-06) and national 2021 (from 2021-09-01)."""
    PolicyVersion.objects.filter(contracts__isnull=True).delete()
    v2012 = make_policy_version(effective_from=dt.date(2012, 7, 6), region_code="51",
                                name="四川省生源地信用助学贷款（2012）", **RULES_2012)
    v2021 = make_policy_version(effective_from=dt.date(2021, 9, 1), name="国家助学贷款政策（2021）",
                                **RULES_2021)
    return v2012, v2021


def any_policy_version() -> PolicyVersion:
    return PolicyVersion.objects.first() or make_policy_version(effective_from=dt.date(2012, 7, 6))


def make_contract(borrower: Borrower, *, state: str = ContractState.APPLIED, academic_year: int = 2026,
                  amount: str = "8000", outstanding: str = "0", **kw) -> Contract:
    """A contract filed under the borrower's county, university and department (as signing does)."""
    fields = {
        "contract_no": f"HT{academic_year}{next(_seq):07d}", "borrower": borrower,
        "product": Product.HOME_COUNTY if borrower.county_id else Product.CAMPUS,
        "academic_year": academic_year, "policy_version": any_policy_version(),
        "county": borrower.county, "university": borrower.university, "department": borrower.department,
        "amount": Decimal(amount), "annual_rate": Decimal("0.03450"), "term_years": 15, "state": state,
        "applied_on": dt.date(academic_year, 9, 10), "maturity_date": dt.date(academic_year + 15, 12, 20),
        "outstanding_principal": Decimal(outstanding),
    }
    fields.update(kw)
    return Contract.objects.create(**fields)
