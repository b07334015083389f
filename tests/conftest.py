"""Shared fixtures: a small province (tree of organisations), users per role, borrowers."""

import os

import pyotp
import pytest

from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are still
# synchronous and safe, so the async guard is switched off for the test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def province(db):
    return factories.build_province()


@pytest.fixture
def make_user(db):
    return factories.make_user


@pytest.fixture
def totp_now():
    def _code(user):
        return pyotp.TOTP(user.totp_secret).now()

    return _code


@pytest.fixture
def migration_data(transactional_db):
    """Transactional tests end with a flush that also wipes the rows data migrations ship (policy
    versions, LPR history); a later test in the same worker would find none. Put them back."""
    import importlib

    from django.apps import apps

    from xuedai.policies.models import LprRate, PolicyVersion

    for model, migration in ((PolicyVersion, "0003_seed_policy_versions"), (LprRate, "0004_lpr_history")):
        if not model.objects.exists():
            importlib.import_module(f"xuedai.policies.migrations.{migration}").forwards(apps, None)



@pytest.fixture(autouse=True)
def _no_policy_versions_kept():
    """policies.cache keeps the versions it reads outside a transaction; a transactional test's
    flush lets the next test's versions take their primary keys again, so each test starts with
    none kept (the running site never deletes a version)."""
    from xuedai.policies import cache

    cache.forget()
    yield
    cache.forget()
