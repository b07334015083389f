"""Post-loan work on the demo's own department (DOMAIN.md §5): 四川大学经济学院's graduates with loans
still being repaid are each owned by its 院系责任人 (包干到人, assigned by the loan office in April),
most have been contacted this quarter, and one who cannot be reached is handed to the county centre
to trace (失联). Written as the post-loan services would leave them (one audit entry for the
assignment, as bulk work records one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .columns import const, dates, gather, number, vocab
from .contracts import DISBURSED, OVERDUE, REPAYING, among
from .people import CURRENT_YEAR, day
from .render import World

DEMO_DEPARTMENT = 0  # global department index of 四川大学经济学院 (orgs.DEMO_STAFF "dept:10610:0")
ASSIGNED_ON = (4, 20)  # mid/late April: the list split by department and responsible person [000]
CONTACT_RESULTS = ["reached", "promised", "info_updated", "no_answer"]
CONTACT_NOTES = ["已电话联系，了解还款时间", "承诺于还款日前存足", "已更新手机号和工作单位",
                 "电话未接通，已发短信"]


@dataclass
class FollowUps:
    assigned: np.ndarray  # student rows owned by the department's staff member
    contacted: np.ndarray  # index into `assigned` of those contacted this quarter
    contact_day: np.ndarray
    contact_result: np.ndarray  # index into CONTACT_RESULTS
    lost: np.ndarray  # student rows flagged 失联 for their county to trace


def make_followups(world: World, rng: np.random.Generator) -> FollowUps:
    s, plan = world.students, world.plan
    live = among(plan.state, DISBURSED, REPAYING, OVERDUE)
    graduates = np.zeros(s.n, dtype=bool)
    graduates[plan.borrower[live]] = True
    graduates &= (s.department == DEMO_DEPARTMENT) & (s.grad_year <= CURRENT_YEAR)
    assigned = np.flatnonzero(graduates)
    # One who cannot be reached, from the demo's county, goes to its county centre.
    candidates = np.flatnonzero(s.county[assigned] == 0)
    lost = assigned[candidates[:1]]
    contacted = np.flatnonzero((rng.random(len(assigned)) < 0.6) & ~np.isin(assigned, lost))
    contact_day = day(CURRENT_YEAR, 10, 8) + rng.integers(0, 40, len(contacted))
    result = np.array([0, 1, 2, 3])[(rng.random(len(contacted)) * 4).astype(np.int64)]
    return FollowUps(assigned, contacted, contact_day, result, lost)


def assignment_rows(world: World, f: FollowUps, users: dict[str, int], lo: int, hi: int) -> dict:
    n, rows = hi - lo, f.assigned[lo:hi]
    return {"id": [number(world.base["assignment"] + np.arange(lo, hi))],
            "borrower_id": [number(world.base["borrower"] + rows)],
            "department_id": [number(world.department_id[world.students.department[rows]])],
            "staff_id": [const(str(users["dept_staff"]), n)],
            "assigned_by_id": [const(str(users["uni_officer"]), n)],
            "assigned_on": [dates(np.full(n, day(CURRENT_YEAR, *ASSIGNED_ON)))],
            "note": [const(f"{CURRENT_YEAR}年贷后包干", n)]}


def contact_rows(world: World, f: FollowUps, users: dict[str, int], lo: int, hi: int) -> dict:
    n = hi - lo
    rows = f.assigned[f.contacted[lo:hi]]
    result = f.contact_result[lo:hi]
    return {"id": [number(world.base["contact"] + np.arange(lo, hi))],
            "borrower_id": [number(world.base["borrower"] + rows)],
            "contacted_on": [dates(f.contact_day[lo:hi])],
            "channel": [const("phone", n)], "result": [gather(vocab(CONTACT_RESULTS), result)],
            "note": [gather(vocab(CONTACT_NOTES), result)],
            "staff_id": [const(str(users["dept_staff"]), n)]}


def lost_rows(world: World, f: FollowUps, users: dict[str, int], lo: int, hi: int) -> dict:
    n, rows, s = hi - lo, f.lost[lo:hi], world.students
    return {"id": [number(world.base["lost"] + np.arange(lo, hi))],
            "borrower_id": [number(world.base["borrower"] + rows)],
            "county_id": [number(world.county_id[s.county[rows]])],
            "university_id": [number(world.university_id[s.university[rows]])],
            "department_id": [number(world.department_id[s.department[rows]])],
            "status": [const("open", n)], "raised_on": [dates(np.full(n, day(CURRENT_YEAR, 11, 12)))],
            "raised_by_id": [const(str(users["uni_officer"]), n)],
            "reason": [const("手机停机，QQ、微信和紧急联系人均联系不上，请县资助中心协助查找", n)]}
