"""Work waiting for every demo role (README's thirteen logins), put together from season.py, events.py
and followups.py: the tables the builder loads in bulk, and the few rows written through the real
services at the end (the county's season dates, a university's quota, the audit entries of bulk
work).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from xuedai import businessdate
from xuedai.audit.models import AuditEntry
from xuedai.audit.services import audit_record
from xuedai.orgs.models import Organisation, User
from xuedai.origination.models import Application, BatchEvent, CampusFile, ContractEvent, CountyBatch
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
    """What the services write themselves: 三台县's dates for this year (it still accepts), 四川大学's
    quota, and one audit entry for each piece of bulk work (bulk work records one entry, with counts)."""
    users = {name: User.objects.get(pk=pk) for name, pk in season.users.items()}
    from xuedai.origination.campus.quota import quota_grant, quota_request
    from xuedai.origination.services.deadlines import season_set

    work = season.work
    with businessdate.business_date(BUSINESS_DATE):
        if "county_op" in users:
            season_set(actor=users["county_op"], academic_year=CURRENT_YEAR,
                       accept_from=BUSINESS_DATE.replace(month=7, day=1),
                       accept_until=BUSINESS_DATE.replace(day=30),
                       receipt_deadline=BUSINESS_DATE.replace(day=30))
        plan = work.plan
        at_demo_university = work.world.students.university[plan.borrower] == 0
        campus = (plan.product == CAMPUS) & (plan.year == CURRENT_YEAR) & at_demo_university
        if "uni_officer" in users and "province_op" in users and campus.any():
            # Asked by 5 Sep, granted by 25 Sep [003 第八、九条].
            asked = int(plan.amount[campus].sum()) // 10_000 * 10_000 + 50_000
            enrolled = max(int(campus.sum()) * 40, 1000)
            with businessdate.business_date(BUSINESS_DATE.replace(month=9, day=2)):
                quota = quota_request(actor=users["uni_officer"], enrolled_students=enrolled, amount=asked,
                                      academic_year=CURRENT_YEAR)
            with businessdate.business_date(BUSINESS_DATE.replace(month=9, day=22)):
                quota_grant(actor=users["province_op"], quota=quota, amount=asked)
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
