"""The policy pages: anyone on the staff reads, only administrators add; Chinese throughout."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from xuedai.orgs.models import Role
from xuedai.policies.models import LprRate, PolicyVersion

from .conftest import version

pytestmark = pytest.mark.django_db


def test_list_groups_versions_by_product_and_region(login, operator):
    response = login(operator).get(reverse("policies:list"))
    assert response.status_code == 200
    text = response.content.decode()
    for words in ("政策版本", "生源地信用助学贷款 · 四川省（51）", "校园地国家助学贷款 · 吉林省（22）",
                  "商业助学贷款 · 全国", "四川省生源地信用助学贷款（2012年业务指南）", "LPR − 60 个基点",
                  "适用存量", "现行", "已被取代"):
        assert words in text, words
    assert "新增政策版本" not in text  # operators do not get the button


def test_list_filters_by_product(login, operator):
    text = login(operator).get(reverse("policies:list"), {"product": "campus"}).content.decode()
    assert "吉林省属高校" in text and "四川省生源地" not in text


def test_detail_shows_every_parameter_in_chinese_with_its_source(login, operator):
    sichuan = version("home_county", "51", "2012-07-06")
    text = login(operator).get(reverse("policies:detail", args=[sichuan.pk])).content.decode()
    for words in ("罚息倍数", "130%", "共同借款人最低年龄", "25周岁", "12-21", "[001]", "6.55%",
                  "被取代：", "国家助学贷款政策（2020年）"):
        assert words in text, words


def test_operators_cannot_open_or_post_the_form(login, operator):
    client = login(operator)
    assert client.get(reverse("policies:create")).status_code == 403
    response = client.post(reverse("policies:create"), {"name": "x"})
    assert response.status_code == 403
    assert PolicyVersion.objects.count() == 14


def test_students_cannot_read_policies(login, province):
    student = factories.make_user(None, Role.STUDENT, with_totp=False)
    assert login(student).get(reverse("policies:list")).status_code == 403


def test_form_is_prefilled_from_the_superseded_version(login, admin):
    sichuan = version("home_county", "51", "2012-07-06")
    response = login(admin).get(reverse("policies:create"), {"from": sichuan.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["amount_max_undergraduate"].value() == Decimal("6000")
    assert form["repayment_day"].value() == "12-21"
    assert form["region_code"].value() == "51"
    assert not form["name"].value() and not form["effective_from"].value()
    assert "新增政策版本" in response.content.decode() and "预填" in response.content.decode()


def _post_data(base: PolicyVersion, **changes) -> dict:
    data = {}
    for name, value in {**{f.name: getattr(base, f.name) for f in PolicyVersion._meta.concrete_fields},
                        **changes}.items():
        if name in {"id", "created_at", "created_by"} or value is None or value is False:
            continue
        data[name] = "on" if value is True else str(value)
    return data


def test_admin_adds_a_version_through_the_form(login, admin):
    sichuan = version("home_county", "51", "2012-07-06")
    before = list(PolicyVersion.objects.order_by("pk").values())
    data = _post_data(sichuan, effective_from="2013-09-01", name="四川省生源地信用助学贷款（2013）",
                      source="测试", amount_max_undergraduate="6000")
    response = login(admin).post(reverse("policies:create") + f"?from={sichuan.pk}", data)
    assert response.status_code == 302, response.context["form"].errors
    new = PolicyVersion.objects.get(region_code="51", effective_from=dt.date(2013, 9, 1))
    assert response.url == reverse("policies:detail", args=[new.pk])
    assert list(PolicyVersion.objects.exclude(pk=new.pk).order_by("pk").values()) == before
    assert new.repayment_day == "12-21" and new.co_borrower_age_applies_to_parents


def test_a_duplicate_date_comes_back_as_a_form_error(login, admin):
    sichuan = version("home_county", "51", "2012-07-06")
    data = _post_data(sichuan, name="重复", source="测试")
    response = login(admin).post(reverse("policies:create"), data)
    assert response.status_code == 200
    assert "已有政策版本" in response.content.decode()
    assert PolicyVersion.objects.count() == 14


def test_lpr_page(login, operator, admin):
    text = login(operator).get(reverse("policies:lpr")).content.decode()
    assert "贷款市场报价利率" in text and "2025-05-20" in text and "3.50%" in text and "4.85%" in text
    assert "录入新公布的 LPR" not in text
    assert login(operator).post(reverse("policies:lpr"), {}).status_code == 403
    response = login(admin).post(reverse("policies:lpr"), {
        "effective_from": "2026-12-21", "one_year": "0.0290", "five_year_plus": "0.0340"})
    assert response.status_code == 302
    assert LprRate.objects.filter(effective_from=dt.date(2026, 12, 21)).exists()


def test_policy_texts_cite_the_notices_not_the_developers_documents(db):
    from xuedai.policies.models import PolicyVersion

    assert PolicyVersion.objects.exists()
    assert not PolicyVersion.objects.filter(source__contains="DOMAIN").exists()
