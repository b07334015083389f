"""Factories for tests: real services underneath, so tests exercise the same write paths as the site."""

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

import factory
import pyotp
from django.utils import timezone

from xuedai.borrowers.models import Borrower, CoBorrower
from xuedai.identity.idnumbers import make_id_number
from xuedai.orgs.models import Organisation, OrgKind, User
from xuedai.orgs.services import organisation_create, user_create

PASSWORD = "Test-pass-2026"
_seq = itertools.count(1)


@dataclass
class Province:
    """A small province: one of everything, two counties and two universities to tell scopes apart."""

    head: Organisation
    branch: Organisation
    centre: Organisation
    counties: list[Organisation]
    universities: list[Organisation]
    departments: dict[int, list[Organisation]] = field(default_factory=dict)
    agent_bank: Organisation | None = None


def org(name: str, kind: str, parent: Organisation | None, region_code: str = "", **kw) -> Organisation:
    return organisation_create(actor=None, name=name, kind=kind, code=f"T{next(_seq):05d}",
                               parent=parent, region_code=region_code, **kw)


def build_province() -> Province:
    head = org("国家开发银行总行", OrgKind.BANK_HEAD, None)
    branch = org("国家开发银行四川省分行", OrgKind.BANK_BRANCH, head, "510000")
    agent = org("三台县农村信用联社", OrgKind.AGENT_BANK, branch, "510722")
    centre = org("四川省学生资助管理中心", OrgKind.PROVINCE_CENTRE, branch, "510000")
    counties = [
        org("三台县学生资助管理中心", OrgKind.COUNTY_CENTRE, centre, "510722", agent_bank=agent),
        org("南部县学生资助管理中心", OrgKind.COUNTY_CENTRE, centre, "511321"),
    ]
    universities = [
        org("四川大学", OrgKind.UNIVERSITY, centre, "510107"),
        org("西南石油大学", OrgKind.UNIVERSITY, centre, "510116"),
    ]
    departments = {
        u.pk: [org(f"{u.name}{d}", OrgKind.DEPARTMENT, u, u.region_code) for d in ("经济学院", "计算机学院")]
        for u in universities
    }
    return Province(head, branch, centre, counties, universities, departments, agent)


def make_user(organisation: Organisation | None, *roles: str, username: str | None = None,
              with_totp: bool = True) -> User:
    user = user_create(actor=None, username=username or f"user{next(_seq)}", organisation=organisation,
                       roles=list(roles), real_name="测试用户", password=PASSWORD)
    if with_totp:
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = timezone.now()
        user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return user


class BorrowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borrower

    name = factory.Iterator(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊"])
    household_region_code = "510722"
    birth_date = dt.date(2004, 3, 15)
    id_number = factory.LazyAttribute(
        lambda o: make_id_number(o.household_region_code, o.birth_date, next(_seq) % 999 + 1)
    )
    gender = factory.LazyAttribute(lambda o: "M" if int(o.id_number[16]) % 2 else "F")
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    address = "四川省绵阳市三台县潼川镇北坝路1号"
    enrolled_year = 2022
    graduation_date = dt.date(2026, 6, 30)


class CoBorrowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoBorrower

    borrower = factory.SubFactory(BorrowerFactory)
    name = "张建国"
    relation = "father"
    birth_date = dt.date(1975, 5, 1)
    household_region_code = "510722"
    id_number = factory.LazyAttribute(
        lambda o: make_id_number(o.household_region_code, o.birth_date, next(_seq) % 999 + 1)
    )
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


def money(value: str) -> Decimal:
    return Decimal(value)
