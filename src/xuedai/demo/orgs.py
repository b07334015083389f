"""The demo organisation tree and staff accounts, written through the real services.

Tree (DOMAIN.md §2): 总行 → 四川省分行 → 省学生资助管理中心 → {县(区)资助中心, 高校 → 院系};
分行 → 代理行. A few dozen rows, so the ordinary services (with their audit entries) are used;
only the students go through the bulk writer.

Both functions look rows up by code / username first, so a database that already has the tree
(e.g. after a failed run) is completed rather than duplicated.
"""

from dataclasses import dataclass, field

import pyotp
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from xuedai.orgs.models import Organisation, OrgKind, User, UserRole
from xuedai.orgs.services import organisation_create, user_create

from .logins import DEMO_PASSWORD, DEMO_STAFF
from .places import AGENT_BANKS, COUNTIES, UNIVERSITIES


@dataclass
class DemoTree:
    by_key: dict[str, Organisation] = field(default_factory=dict)
    county_ids: list[int] = field(default_factory=list)            # in COUNTIES order
    university_ids: list[int] = field(default_factory=list)        # in UNIVERSITIES order
    department_ids: list[list[int]] = field(default_factory=list)  # per university, in order


def _org(code: str, name: str, kind: str, parent: Organisation | None, region_code: str,
         agent_bank: Organisation | None = None) -> Organisation:
    existing = Organisation.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return organisation_create(actor=None, name=name, kind=kind, code=code, parent=parent,
                               region_code=region_code, agent_bank=agent_bank)


def build_orgs() -> DemoTree:
    tree = DemoTree()
    keys = tree.by_key
    keys["head"] = _org("CDB-HQ", "国家开发银行总行", OrgKind.BANK_HEAD, None, "")
    keys["branch"] = _org("CDB-51", "国家开发银行四川省分行", OrgKind.BANK_BRANCH, keys["head"], "510000")
    for code, name, region in AGENT_BANKS:
        keys[f"agent:{code}"] = _org(code, name, OrgKind.AGENT_BANK, keys["branch"], region)
    keys["centre"] = _org("SC-51", "四川省学生资助管理中心", OrgKind.PROVINCE_CENTRE, keys["branch"],
                          "510000")
    for county in COUNTIES:
        agent = keys[f"agent:{county.agent_bank}"] if county.agent_bank else None
        org = _org(f"XZ{county.code}", f"{county.name}学生资助管理中心", OrgKind.COUNTY_CENTRE,
                   keys["centre"], county.code, agent_bank=agent)
        keys[f"county:{county.code}"] = org
        tree.county_ids.append(org.pk)
    for uni in UNIVERSITIES:
        u = _org(f"U{uni.code}", uni.name, OrgKind.UNIVERSITY, keys["centre"], uni.region_code)
        keys[f"univ:{uni.code}"] = u
        tree.university_ids.append(u.pk)
        depts = []
        for i, (dept_name, _majors) in enumerate(uni.departments):
            d = _org(f"U{uni.code}-{i + 1:02d}", f"{uni.name}{dept_name}", OrgKind.DEPARTMENT, u,
                     uni.region_code)
            keys[f"dept:{uni.code}:{i}"] = d
            depts.append(d.pk)
        tree.department_ids.append(depts)
    return tree


def demo_password_hash() -> str:
    """One hash for every demo account: hashing is deliberately slow (PBKDF2), once is enough."""
    return make_password(DEMO_PASSWORD)


def build_staff(tree: DemoTree, password_hash: str) -> list[User]:
    """Staff accounts with the demo password and a confirmed TOTP secret (`xuedai totp` reads it)."""
    users = []
    now = timezone.now()
    for staff in DEMO_STAFF:
        user = User.objects.filter(username=staff.username).first()
        if user is None:
            user = user_create(actor=None, username=staff.username, organisation=tree.by_key[staff.org_key],
                               roles=list(staff.roles), real_name=staff.real_name)
        else:
            UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in staff.roles],
                                         ignore_conflicts=True)
        user.password = password_hash
        user.totp_secret = user.totp_secret or pyotp.random_base32()
        user.totp_confirmed_at = user.totp_confirmed_at or now
        # The admin also gets Django's admin site; it is still behind the TOTP step.
        user.is_staff = user.is_superuser = "admin" in staff.roles
        user.save()
        users.append(user)
    return users
