"""Work waiting for every demo role (README's thirteen logins), put together from season.py, events.py
and followups.py: the tables the builder loads in bulk, and the few rows written through the real
services at the end (the county's season dates, a university's quota, the audit entries of bulk
work).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

import numpy as np

from xuedai.audit.models import AuditEntry
from xuedai.audit.services import audit_record
from xuedai.orgs.models import Organisation, User
from xuedai.origination.models import (
    Application,
    BatchEvent,
    CampusFile,
    ContractEvent,
    CountyBatch,
    CountySeason,
    UniversityQuota,
)
from xuedai.postloan.models import Assignment, ContactLog, LostContactFlag

from .contracts import CAMPUS
from .events import contract_events
from .followups import FollowUps, assignment_rows, contact_rows, lost_rows, make_followups
from .people import BUSINESS_DATE, CURRENT_YEAR
from .places import COUNTIES, UNIVERSITIES
from .render import World
from .render_work import People, WorkRows
from .season import Applications, bank_decision_day, make_batches

MODELS = [Application, CountyBatch, BatchEvent, ContractEvent, CampusFile, AuditEntry, Assignment,
          ContactLog, LostContactFlag]
# base id key of each table (World.base)
KEYS = {Application: "application", CountyBatch: "batch", BatchEvent: "batch_event",
        ContractEvent: "contract_event", CampusFile: "campus_file", AuditEntry: "audit",
        Assignment: "assignment", ContactLog: "contact_log", LostContactFlag: "lost"}


def org_names() -> dict[str, list[str]]:
    return {"county": [f"{c.name}学生资助管理中心" for c in COUNTIES],
            "university": [u.name for u in UNIVERSITIES],
            "department": [f"{u.name}{d}" for u in UNIVERSITIES for d, _ in u.departments]}


@dataclass
class Season:
    work: WorkRows
    followups: FollowUps
    users: dict[str, int]

    def tables(self) -> list[tuple[str, type, object, int]]:
        w, f, u = self.work, self.followups, self.users
        world = w.world
        return [
            ("在线申请 applications", Application, w.application_rows, w.applications.n),
            ("申请审计 application audit", AuditEntry, w.application_audit, w.applications.n),
            ("县批次 county batches", CountyBatch, w.batches_rows, w.batches.n),
            ("批次流转 batch events", BatchEvent, w.batch_events, len(w.batch_event_rows()[0])),
            ("合同流转 contract events", ContractEvent, w.contract_events, w.events.n),
            ("校园地申请材料 campus files", CampusFile, w.campus_files, len(w.campus_rows)),
            ("贷后包干 assignments", Assignment, partial(assignment_rows, world, f, u), len(f.assigned)),
            ("联系记录 contacts", ContactLog, partial(contact_rows, world, f, u), len(f.contacted)),
            ("失联学生 lost contact", LostContactFlag, partial(lost_rows, world, f, u), len(f.lost)),
        ]


def plan_season(world: World, applications: Applications, users: dict[str, int],
                rng: np.random.Generator) -> Season:
    """The season's rows for ``world``; sets ``world.workflow`` (the contracts' batch and people)."""
    plan, s = world.plan, world.students
    batches = make_batches(plan, s.county[plan.borrower])
    events = contract_events(plan, batches, bank_decision_day(plan, batches, rng))
    work = WorkRows(world=world, applications=applications, batches=batches, events=events,
                    people=People(users=users, org_names=org_names()))
    world.workflow = {**work.contract_people(), "batch": batches.of_contract,
                      "archive_no": batches.archive_no}
    return Season(work=work, followups=make_followups(world, rng), users=users)


def finish_season(season: Season) -> None:
    """A few rows written as their services write them, audit rows included: 三台县's dates for this
    year (it still accepts), 四川大学's quota asked by 5 Sep and granted by 25 Sep, and one audit
    entry for each piece of bulk work. (The services are durable — each its own transaction —
    and the demo is one transaction, so the rows are written here, field for field.)"""
    users = {name: User.objects.get(pk=pk) for name, pk in season.users.items()}
    work, plan = season.work, season.work.plan
    if "county_op" in users:
        dates = {"accept_from": BUSINESS_DATE.replace(month=7, day=1),
                 "accept_until": BUSINESS_DATE.replace(day=30),
                 "receipt_deadline": BUSINESS_DATE.replace(day=30)}
        county_season = CountySeason.objects.create(county=users["county_op"].organisation,
                                                    academic_year=CURRENT_YEAR, **dates)
        audit_record(actor=users["county_op"], action="county_season_set", obj=county_season, after=dates)
    at_demo_university = work.world.students.university[plan.borrower] == 0
    campus = (plan.product == CAMPUS) & (plan.year == CURRENT_YEAR) & at_demo_university
    if "uni_officer" in users and "province_op" in users and campus.any():
        asked = Decimal(int(plan.amount[campus].sum()) // 10_000 * 10_000 + 50_000)
        quota = UniversityQuota.objects.create(
            university=users["uni_officer"].organisation, academic_year=CURRENT_YEAR,
            enrolled_students=max(int(campus.sum()) * 40, 1000), requested_amount=asked,
            requested_on=BUSINESS_DATE.replace(month=9, day=2), requested_by=users["uni_officer"],
            granted_amount=asked, granted_on=BUSINESS_DATE.replace(month=9, day=22),
            granted_by=users["province_op"])
        audit_record(actor=users["uni_officer"], action="campus.quota_request", obj=quota,
                     after={"academic_year": CURRENT_YEAR, "enrolled_students": quota.enrolled_students,
                            "requested_amount": asked})
        audit_record(actor=users["province_op"], action="campus.quota_grant", obj=quota,
                     after={"academic_year": CURRENT_YEAR, "granted_amount": asked})
    f = season.followups
    if len(f.assigned) and "uni_officer" in users:
        department = users["dept_staff"].organisation
        audit_record(actor=users["uni_officer"], action="postloan_assign", obj=department,
                     after={"责任人": str(users["dept_staff"]), "人数": len(f.assigned),
                            "说明": f"{CURRENT_YEAR}年贷后包干（批量分配）"})
    centre = Organisation.objects.filter(code="SC-51").first()
    if centre is not None:
        audit_record(actor=None, action="demo_data_build", obj=centre, after={
            "借款学生": work.world.students.n, "合同": plan.n, "在线申请": work.applications.n,
            "县批次": work.batches.n, "合同流转记录": work.events.n, "贷后包干": len(f.assigned)})
