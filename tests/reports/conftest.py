"""A small portfolio whose every quarter-end cell can be checked by hand (reports.quarter).

Five home-county contracts of 三台县, project year 2018: 6000 yuan at 5.65 %, disbursed 1 Sep 2018,
self-pay from 1 Sep 2019, principal 1500 due each 20 Dec from 2019 (DOMAIN.md §4 worked example).
On 20 Dec 2019 each owes 103.58 interest (6000 × 5.65 % × 110/360) and 1500 principal:

- A pays it (balance 4500) and is set 关注 by hand (needs collection);
- B and C pay nothing: 20 Dec 2019 → 31 Mar 2020 is 102 days, seed rule 次级; 30 Jun 2020 可疑;
- D pays nothing and is set 损失 by hand (unrecoverable after recovery measures);
- E pays nothing, but its principal was deferred under the 2019 relief programme: not downgraded.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests import factories
from tests.loans.conftest import make_contract
from xuedai import businessdate
from xuedai.loans.batches import classification_batch, settlement_batch
from xuedai.loans.models import LoanAccount, ReliefApplication, ReliefProgramme
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.orgs.models import Role
from xuedai.reports.quarter.designations import grade_designate
from xuedai.reports.quarter.models import DesignationReason

Q1, Q2 = dt.date(2020, 3, 31), dt.date(2020, 6, 30)


@dataclass
class Portfolio:
    province: object
    accounts: dict[str, LoanAccount]
    operator: object
    supervisor: object
    province_operator: object

    @property
    def county(self):
        return self.province.counties[0]


@pytest.fixture
def portfolio(province) -> Portfolio:
    accounts = {
        name: contract_disburse(actor=None, contract=make_contract(province), on=dt.date(2018, 9, 1))
        for name in "ABCDE"
    }
    for year in (2018, 2019):
        settlement_batch(on=dt.date(year, 12, 20))
    repayment_post(actor=None, account=accounts["A"], on=dt.date(2019, 12, 20), amount=Decimal("1603.58"))
    programme = ReliefProgramme.objects.create(name="2019年免息延期", year=2019)
    # The deferral as recorded for E; the hold reads only this row (snapshot step 3).
    ReliefApplication.objects.create(
        account=accounts["E"], programme=programme, applied_on=dt.date(2019, 12, 21), defer_principal=True
    )
    county = province.counties[0]
    operator = factories.make_user(county, Role.OPERATOR)
    supervisor = factories.make_user(county, Role.SUPERVISOR)
    with businessdate.business_date(dt.date(2020, 3, 20)):
        grade_designate(
            actor=operator,
            contract=accounts["A"].contract,
            rank=1,
            reason=DesignationReason.COLLECTION,
            note="经三次电话催收后方还款",
        )
        grade_designate(
            actor=operator,
            contract=accounts["D"].contract,
            rank=4,
            reason=DesignationReason.UNRECOVERABLE,
            note="共同借款人亦无力偿还，追偿未果",
        )
    classification_batch(on=Q1)
    return Portfolio(
        province, accounts, operator, supervisor, factories.make_user(province.centre, Role.OPERATOR)
    )
