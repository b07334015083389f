"""Fixtures for the borrower tests: the test province, a county operator of 三台县 and the two
co-borrower policy regimes."""

import pytest

from tests import factories
from tests.web.helpers import install_test_policies
from xuedai.orgs.models import Role


@pytest.fixture
def policies(db):
    return install_test_policies()


@pytest.fixture
def county(province):
    return province.counties[0]  # 三台县, region 510722


@pytest.fixture
def operator(county):
    return factories.make_user(county, Role.OPERATOR)


@pytest.fixture
def univ_officer(province):
    return factories.make_user(province.universities[0], Role.UNIVERSITY_OFFICER)
