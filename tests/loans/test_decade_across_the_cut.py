"""A decade simulated forward across the 2023 cut reconciles with 0 differences (issue 12, done-when).

Contracts signed 2018–2022 under the 2012 Sichuan version (fixed 6.55 %) and the 2021 national one
(LPR − 30 bp), walked 2018 → 2029 the way the system runs a year: rate changes registered up to each
settlement's eve (``rate_changes_post``: the 2023 notice on 1 Sep 2023, LPR resets on 1 January),
the 20 Dec settlement batch, payments (most borrowers pay what is due, one pays late, one pays
part). Every year the ledger must equal the engine's replay of the same terms and rate schedule.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests import factories
from xuedai.loans.batches import settlement_batch
from xuedai.loans.models import LoanAccount, RateChange
from xuedai.loans.rate_schedule import lpr_history_clear
from xuedai.loans.reconcile import reconcile
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.loans.services.rates import rate_changes_post
from xuedai.policies.models import PolicyVersion

from .conftest import make_contract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_lpr():
    lpr_history_clear()
    yield
    lpr_history_clear()


def test_a_decade_across_the_2023_cut_reconciles_every_year(province):
    national_2021 = PolicyVersion.objects.get(
        product="home_county", region_code="", effective_from=dt.date(2021, 9, 1)
    )
    signed = [
        (2018, "0.06550", None),
        (2019, "0.06550", None),
        (2021, "0.04350", national_2021),
        (2022, "0.04000", national_2021),
    ]
    contracts = []
    for n, (year, rate, version) in enumerate(signed):
        borrower = factories.BorrowerFactory(graduation_date=dt.date(2023, 6, 30), enrolled_year=2019)
        contract = make_contract(province, borrower=borrower, amount="8000.00", rate=rate,
                                 disbursed_on=dt.date(year, 10, 15), self_pay_from=dt.date(2023, 9, 1),
                                 maturity=dt.date(2033, 12, 20), county=province.counties[n % 2])
        if version is not None:
            contract.policy_version = version
            contract.save(update_fields=["policy_version"])
        contracts.append(contract)
    accounts, ids = [], [c.pk for c in contracts]
    for year in range(2018, 2030):
        for contract in contracts:  # paid out in the autumn of its academic year
            if contract.academic_year == year:
                accounts.append(contract_disburse(actor=None, contract=contract, on=dt.date(year, 10, 15)))
        # The daily run registers rate changes on their day, before that day's postings: 1 January
        # (LPR resets) and the 2023 notice's own day.
        rate_changes_post(actor=None, until=dt.date(year, 1, 1))
        if year == 2023:
            rate_changes_post(actor=None, until=dt.date(2023, 9, 1))
        if year == 2026:  # the late payer pays on 20 Jan, penalty at the rate in force (2.90 % from 1 Jan)
            late = LoanAccount.objects.get(pk=ids[1])
            repayment_post(
                actor=None,
                account=late,
                on=dt.date(2026, 1, 20),
                amount=late.principal_due + late.interest_due + D("50.00"),
            )
        on = dt.date(year, 12, 20)
        settlement_batch(on=on)
        for k, account in enumerate(LoanAccount.objects.filter(pk__in=ids).order_by("pk")):
            owed = account.principal_due + account.interest_due
            if owed <= 0 or (k == 1 and year == 2025):  # one borrower pays 2025's a month late
                continue
            share = (owed / 2).quantize(D("0.01")) if k == 2 else owed  # one always pays half
            repayment_post(actor=None, account=account, on=on, amount=share)
        assert list(reconcile(as_of=on)) == [], year
    # By hand, the 2018 contract's 2023 settlement: 贴息 8000 × 6.55 % × 255/360 = 371.166… → 371.17
    # (20 Dec 2022 → 1 Sep 2023, before the cut), the borrower's 8000 × 3.60 % × 110/360 = 88.00.
    from xuedai.loans.models import Kind, Posting

    posted = dict(Posting.objects.filter(account_id=ids[0], business_date=dt.date(2023, 12, 20),
                                         kind__in=[Kind.SUBSIDY_INTEREST, Kind.INTEREST])
                  .values_list("kind", "amount"))
    assert posted == {Kind.SUBSIDY_INTEREST: D("371.17"), Kind.INTEREST: D("88.00")}
    # Every contract was repriced: the 2023 notice (3.60 % from 2023-09-01) reached them all, then
    # the LPR resets of 1 Jan 2025 (3.00 %) and 2026 (2.90 %).
    for account in accounts:
        rates = list(
            RateChange.objects.filter(contract_id=account.pk).values_list("effective_from", "annual_rate")
        )
        assert (dt.date(2023, 9, 1), D("0.03600")) in rates
        assert rates[-1] == (dt.date(2026, 1, 1), D("0.02900"))
