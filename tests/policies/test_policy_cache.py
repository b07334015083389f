"""policies.cache: versions kept per process, exact because a version is never rewritten; kept only
when read committed (outside a transaction), so a rolled-back version's key can never be served."""

import datetime as dt

import pytest
from django.db import transaction
from django.forms.models import model_to_dict

from tests.web.helpers import make_policy_version
from xuedai.policies import cache
from xuedai.policies.models import PolicyVersion


@pytest.mark.django_db(transaction=True)
def test_a_committed_version_is_read_once_and_matches_the_row(django_assert_num_queries, migration_data):
    version = make_policy_version(effective_from=dt.date(2031, 9, 1), name="缓存测试")
    with django_assert_num_queries(1):
        kept = cache.policy_versions([version.pk])[version.pk]
    with django_assert_num_queries(0):
        assert cache.policy_versions([version.pk])[version.pk] is kept
    assert model_to_dict(kept) == model_to_dict(PolicyVersion.objects.get(pk=version.pk))


@pytest.mark.django_db(transaction=True)
def test_a_version_read_inside_a_transaction_is_not_kept(django_assert_num_queries, migration_data):
    with transaction.atomic():
        version = make_policy_version(effective_from=dt.date(2032, 9, 1), name="未提交")
        assert cache.policy_versions([version.pk])[version.pk].name == "未提交"
        transaction.set_rollback(True)
    with django_assert_num_queries(1):
        assert cache.policy_versions([version.pk]) == {}


class _Contract:
    """Only what attach_policy_versions reads and sets of a contract."""

    def __init__(self, version_id: int) -> None:
        self.policy_version_id = version_id
        self.policy_version = None


@pytest.mark.django_db
def test_each_contract_gets_its_own_version_in_one_query(django_assert_num_queries):
    first = make_policy_version(effective_from=dt.date(2033, 9, 1), name="甲")
    second = make_policy_version(effective_from=dt.date(2034, 9, 1), name="乙")
    contracts = [_Contract(first.pk), _Contract(second.pk), _Contract(first.pk)]
    with django_assert_num_queries(1):
        cache.attach_policy_versions(contracts)
    assert [c.policy_version.name for c in contracts] == ["甲", "乙", "甲"]
