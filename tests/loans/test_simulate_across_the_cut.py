"""`xuedai simulate` over a decade across the 2023 cut, then `xuedai reconcile`: 0 differences.

Issue 12, done-when. Nothing registers rate changes by hand here: the daily run does it on each rate
day (1 January for LPR resets, 1 Sep 2023 for the 2023 notice; ``daily.calendar``), before that
day's postings, so the ledger's settlements use the rate schedule the reconciliation replays.
"""

import datetime as dt
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from tests import factories
from xuedai import businessdate
from xuedai.jobs.models import JobRun
from xuedai.loans.models import Kind, LoanAccount, Posting, RateChange
from xuedai.loans.rate_schedule import lpr_history_clear
from xuedai.policies.models import PolicyVersion

from .conftest import make_contract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_lpr():
    lpr_history_clear()
    yield
    lpr_history_clear()


def test_a_simulated_decade_across_the_2023_cut_reconciles_to_zero(province, settings, tmp_path):
    settings.XUEDAI_BUSINESS_DATE = None  # the stored date moves with the simulation
    settings.MEDIA_ROOT = tmp_path
    national_2021 = PolicyVersion.objects.get(product="home_county", region_code="",
                                              effective_from=dt.date(2021, 9, 1))
    ids = []
    for n, (year, rate, version) in enumerate([(2018, "0.06550", None), (2019, "0.06550", None),
                                               (2021, "0.04350", national_2021),
                                               (2022, "0.04000", national_2021)]):
        borrower = factories.BorrowerFactory(graduation_date=dt.date(2023, 6, 30), enrolled_year=2019)
        contract = make_contract(province, borrower=borrower, amount="8000.00", rate=rate,
                                 disbursed_on=dt.date(year, 11, 15), self_pay_from=dt.date(2023, 9, 1),
                                 maturity=dt.date(2033, 12, 20), county=province.counties[n % 2])
        if version is not None:
            contract.policy_version = version
            contract.save(update_fields=["policy_version"])
        ids.append(contract.pk)
    businessdate.set_stored_business_date(dt.date(2018, 11, 1))

    call_command("simulate", until="2028-12-31", quiet=True, stdout=StringIO())

    assert businessdate.today() == dt.date(2028, 12, 31)
    assert JobRun.objects.filter(status="failed").count() == 0
    assert LoanAccount.objects.filter(pk__in=ids).count() == 4
    # The daily run registered the 2023 notice on its own day for every contract, then the LPR
    # resets of 1 Jan 2025 (3.00 %) and 1 Jan 2026 (2.90 %).
    for pk in ids:
        rates = list(RateChange.objects.filter(contract_id=pk).values_list("effective_from", "annual_rate"))
        assert (dt.date(2023, 9, 1), D("0.03600")) in rates, pk
        assert rates[-1] == (dt.date(2026, 1, 1), D("0.02900")), pk
    # By hand, the 2018 contract's 2023 settlement: 贴息 8000 × 6.55 % × 255/360 = 371.166… → 371.17
    # (20 Dec 2022 → 1 Sep 2023, before the cut), the borrower's 8000 × 3.60 % × 110/360 = 88.00.
    posted = dict(Posting.objects.filter(account_id=ids[0], business_date=dt.date(2023, 12, 20),
                                         kind__in=[Kind.SUBSIDY_INTEREST, Kind.INTEREST])
                  .values_list("kind", "amount"))
    assert posted == {Kind.SUBSIDY_INTEREST: D("371.17"), Kind.INTEREST: D("88.00")}

    report = StringIO()
    call_command("reconcile", stdout=report)  # exits 1 (SystemExit) on any difference
    assert "0 处差异" in report.getvalue()
