"""policy_version_create and lpr_rate_create: new rows only, administrators only, audit-logged."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xuedai.audit.models import AuditEntry
from xuedai.policies.forms import PolicyVersionForm
from xuedai.policies.models import LprRate, PolicyVersion
from xuedai.policies.selectors import ContractParams, effective_terms, policy_for
from xuedai.policies.services import lpr_rate_create, policy_version_create

from .conftest import version

pytestmark = pytest.mark.django_db


def _snapshot() -> list[dict]:
    return list(PolicyVersion.objects.order_by("pk").values())


def _fields_2025(base: PolicyVersion) -> dict:
    """A 2025 notice copied from the 2024 version, as the form prefills it."""
    fields = PolicyVersionForm.initial_from(base)
    fields.update(effective_from=dt.date(2025, 9, 1), name="国家助学贷款政策（2025年测试）",
                  source="测试通知", amount_max_undergraduate=Decimal("22000"))
    return fields


def test_the_migration_ships_the_domain_versions():
    assert PolicyVersion.objects.count() == 14
    sichuan = version("home_county", "51", "2012-07-06")
    assert (sichuan.amount_min, sichuan.amount_max_undergraduate, sichuan.fixed_rate) == (
        Decimal("1000"), Decimal("6000"), Decimal("0.06550"))
    assert (sichuan.term_min_years, sichuan.term_max_years, sichuan.term_years_after_study) == (5, 14, 10)
    assert (sichuan.settlement_day, sichuan.repayment_day, sichuan.deposit_days_before) == (
        "12-20", "12-21", 10)
    jilin = version("campus", "22", "2007-09-01")
    assert (jilin.amount_max_undergraduate, jilin.risk_fund_rate, jilin.quota_student_share) == (
        Decimal("4500"), Decimal("0.14"), Decimal("0.15"))
    assert version("home_county", "", "2023-09-01").rate_applies_to_existing
    assert version("campus", "", "2024-09-01").amount_max_graduate == Decimal("25000")
    assert all(v.source for v in PolicyVersion.objects.all())
    assert LprRate.objects.get(effective_from=dt.date(2019, 8, 20)).five_year_plus == Decimal("0.0485")
    assert LprRate.objects.order_by("-effective_from").first().five_year_plus == Decimal("0.0350")


def test_adding_a_version_leaves_every_old_row_untouched(admin):
    before = _snapshot()
    new = policy_version_create(actor=admin, **_fields_2025(version("home_county", "", "2024-09-01")))
    after = _snapshot()
    assert after[:-1] == before and after[-1]["id"] == new.pk
    assert new.created_by == admin and new.amount_max_graduate == Decimal("25000")
    assert policy_for("home_county", "510722", dt.date(2025, 10, 1)) == new
    assert policy_for("home_county", "510722", dt.date(2025, 8, 31)).effective_from == dt.date(2024, 9, 1)
    entry = AuditEntry.objects.get(action="policy_version.create", object_id=str(new.pk))
    assert entry.after["amount_max_undergraduate"] == "22000"


def test_a_second_version_for_the_same_day_is_refused_in_chinese(admin):
    before = _snapshot()
    fields = _fields_2025(version("home_county", "", "2024-09-01"))
    fields["effective_from"] = dt.date(2024, 9, 1)
    with pytest.raises(ValidationError) as exc:
        policy_version_create(actor=admin, **fields)
    assert "已有政策版本" in exc.value.message_dict["effective_from"][0]
    assert "不能修改" in exc.value.message_dict["effective_from"][0]
    assert _snapshot() == before


def test_non_administrators_cannot_add(operator):
    with pytest.raises(PermissionDenied, match="系统管理员"):
        policy_version_create(actor=operator, **_fields_2025(version("home_county", "", "2024-09-01")))
    assert PolicyVersion.objects.count() == 14


def test_a_rate_rule_needs_its_number(admin):
    fields = _fields_2025(version("home_county", "", "2024-09-01"))
    fields.update(rate_kind="fixed", fixed_rate=None)
    with pytest.raises(ValidationError) as exc:
        policy_version_create(actor=admin, **fields)
    assert "固定年利率" in exc.value.message_dict["fixed_rate"][0]


def test_unknown_fields_are_refused(admin):
    with pytest.raises(ValidationError, match="未知的政策参数"):
        policy_version_create(actor=admin, created_at=None,
                              **_fields_2025(version("campus", "", "2024-09-01")))


def test_a_new_lpr_reprices_next_january(admin, operator):
    signed = ContractParams(product="home_county", region_code="510722", signed_on=dt.date(2024, 10, 25))
    assert effective_terms(signed, dt.date(2027, 3, 1)).annual_rate == Decimal("0.02900")  # 3.50 − 0.60
    lpr_rate_create(actor=admin, effective_from=dt.date(2026, 12, 21), one_year=Decimal("0.0290"),
                    five_year_plus=Decimal("0.0340"))
    assert effective_terms(signed, dt.date(2026, 12, 22)).annual_rate == Decimal("0.02900")  # not yet
    assert effective_terms(signed, dt.date(2027, 3, 1)).annual_rate == Decimal("0.02800")
    assert AuditEntry.objects.filter(action="lpr_rate.create").count() == 1
    with pytest.raises(ValidationError, match="已录入"):
        lpr_rate_create(actor=admin, effective_from=dt.date(2026, 12, 21), one_year=Decimal("0.0290"),
                        five_year_plus=Decimal("0.0340"))
    with pytest.raises(PermissionDenied):
        lpr_rate_create(actor=operator, effective_from=dt.date(2027, 1, 20), one_year=Decimal("0.0290"),
                        five_year_plus=Decimal("0.0340"))
    with pytest.raises(ValidationError, match="小数"):
        lpr_rate_create(actor=admin, effective_from=dt.date(2027, 1, 20), one_year=Decimal("2.90"),
                        five_year_plus=Decimal("0.0340"))


@pytest.mark.parametrize("day", ["12/20", "02-30", "2-1", "1220"])
def test_settlement_days_must_be_month_day(admin, day):
    fields = _fields_2025(version("home_county", "", "2024-09-01"))
    fields["final_settlement_day"] = day
    with pytest.raises(ValidationError) as exc:
        policy_version_create(actor=admin, **fields)
    assert "月-日" in exc.value.message_dict["final_settlement_day"][0]
