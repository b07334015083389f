"""Fixtures for the policy tests: the shipped versions (data migration), users by role, a client."""

import datetime as dt

import pytest

from tests import factories
from xuedai.orgs.middleware import SESSION_FLAG
from xuedai.orgs.models import Role
from xuedai.policies.models import PolicyVersion


def version(product: str, region_code: str, effective_from: str) -> PolicyVersion:
    """One shipped version, by its natural key."""
    return PolicyVersion.objects.get(product=product, region_code=region_code,
                                     effective_from=dt.date.fromisoformat(effective_from))


@pytest.fixture
def admin(province):
    return factories.make_user(province.head, Role.ADMIN)


@pytest.fixture
def operator(province):
    return factories.make_user(province.counties[0], Role.OPERATOR)


@pytest.fixture
def login(client):
    """Log a user in with the second factor passed, as the login flow would."""

    def _login(user):
        client.force_login(user)
        session = client.session
        session[SESSION_FLAG] = True
        session.save()
        return client

    return _login
