"""Rows of the season's paperwork (season.py, events.py, work.py) as text parts per field, like
render.py: applications and their audit entries, county batches and their events, contract events,
campus application files, post-loan assignments, contacts and lost-contact flags.

Who did a step is a demo account where the demo has one for that organisation (orgs.DEMO_STAFF),
else the organisation and role in words — the actor label the services write beside the user.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .columns import const, dates, digits, gather, money, nullable, number, timestamps, vocab
from .contracts import CAMPUS, Contracts
from .events import (
    BANK_APPROVER,
    BANK_REVIEWER,
    BATCH_STEPS,
    CAMPUS_OFFSETS,
    COUNTY_OP,
    COUNTY_SUP,
    DEPT,
    PROVINCE_OP,
    PROVINCE_SUP,
    ROLE_TITLES,
    UNI_OFFICER,
    Events,
    state_code,
)
from .people import CURRENT_YEAR
from .render import World
from .season import BATCH_STATES, Applications, Batches

NONE = -1
# (who, organisation index) → demo username; the organisation is the county, university or
# department (global index) of the row, or 0 for the province and the bank.
DEMO_ACCOUNTS = {(COUNTY_OP, 0): "county_op", (COUNTY_SUP, 0): "county_sup", (COUNTY_OP, 1): "county_op2",
                 (UNI_OFFICER, 0): "uni_officer", (DEPT, 0): "dept_staff", (PROVINCE_OP, 0): "province_op",
                 (PROVINCE_SUP, 0): "province_sup", (BANK_REVIEWER, 0): "bank_reviewer",
                 (BANK_APPROVER, 0): "bank_approver"}
ORG_OF = {COUNTY_OP: "county", COUNTY_SUP: "county", UNI_OFFICER: "university", DEPT: "department",
          PROVINCE_OP: "province", PROVINCE_SUP: "province", BANK_REVIEWER: "bank", BANK_APPROVER: "bank"}
COMMENTS = {"create": "从学生新增", "bank_return": "请补充学费标准证明后重新提交",
            "bank_refuse": "不符合贷款条件", "decline": "本人放弃贷款",
            "withdraw": "未在回执截止日前收到电子回执", "submit": "汇总并提交",
            "dept_reject": "院系初审：家庭经济困难认定材料不全"}


@dataclass
class People:
    """Actors of the season's steps, by role and organisation."""

    users: dict[str, int]  # demo username → user id
    org_names: dict[str, list[str]]  # "county" / "university" / "department" → names by index

    def __post_init__(self) -> None:
        labels = []
        self.label_of: dict[tuple[int, int], int] = {}
        for who, kind in ORG_OF.items():
            names = self.org_names.get(kind, ["四川省学生资助管理中心" if kind == "province"
                                              else "国家开发银行四川省分行"])
            for org, name in enumerate(names):
                self.label_of[(who, org)] = len(labels)
                labels.append(f"{name}{ROLE_TITLES[who]}")
        self.labels = vocab(labels)

    def actors(self, who: np.ndarray, org: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(user id or -1, index into the label vocabulary) per row."""
        user = np.full(len(who), NONE, dtype=np.int64)
        for (role, org_index), username in DEMO_ACCOUNTS.items():
            if username in self.users:
                user[(who == role) & (org == org_index)] = self.users[username]
        label = np.zeros(len(who), dtype=np.int64)
        for (role, org_index), k in self.label_of.items():
            label[(who == role) & (org == org_index)] = k
        return user, label


def _user_part(user: np.ndarray) -> list:
    return [nullable(number(np.maximum(user, 0)), user < 0)]


@dataclass
class WorkRows:
    world: World  # the students, contracts, ids and vocabularies of render.py
    applications: Applications
    batches: Batches
    events: Events
    people: People

    @property
    def plan(self) -> Contracts:
        return self.world.plan

    @property
    def base(self) -> dict[str, int]:
        return self.world.base

    @property
    def vendor(self) -> str:
        return self.world.vendor

    def __post_init__(self) -> None:
        steps = self.events.steps
        self.v = {"action": vocab([s.action for s in steps]),
                  "from": vocab([state_code(s.source) or "" for s in steps] + [""]),
                  "to": vocab([state_code(s.target) for s in steps]),
                  "comment": vocab([COMMENTS.get(s.action, "") or "" for s in steps] + [""]),
                  "batch_state": vocab(BATCH_STATES),
                  "batch_action": vocab([a for a, *_ in BATCH_STEPS]),
                  "batch_from": vocab([f or "" for _, f, _, _ in BATCH_STEPS] + [""]),
                  "batch_to": vocab([t for _, _, t, _ in BATCH_STEPS])}
        e = self.events
        who = np.array([s.who for s in steps] or [0])[e.step]
        self.event_user, self.event_label = self.people.actors(who, self._org(who, e.contract))

    def _org(self, who: np.ndarray, contract: np.ndarray) -> np.ndarray:
        """The organisation index a step's actor belongs to: the student's county, university or
        department, or 0 (the one province centre, the one bank branch)."""
        s, b = self.world.students, self.plan.borrower[contract]
        kind = np.array([ORG_OF[w] for w in range(len(ROLE_TITLES))])[who]
        return np.select([kind == "county", kind == "university", kind == "department"],
                         [s.county[b], s.university[b], s.department[b]], 0)

    # ---- contracts' own fields: who made, checked and receipted them ------------------------------

    def contract_people(self) -> dict[str, np.ndarray]:
        """Per contract row: created_by, checked_by and its time, receipted_by (-1/NaT: none)."""
        n, e = self.plan.n, self.events
        out = {"created_by": np.full(n, NONE), "checked_by": np.full(n, NONE),
               "receipted_by": np.full(n, NONE),
               "checked_at": np.full(n, np.datetime64("NaT"), "datetime64[D]")}
        action = np.array([s.action for s in e.steps] or [""])[e.step]
        for name, code in (("created_by", "create"), ("checked_by", "check_approve"),
                           ("receipted_by", "receipt")):
            rows = action == code
            out[name][e.contract[rows]] = self.event_user[rows]
        rows = action == "check_approve"
        out["checked_at"][e.contract[rows]] = e.day[rows]
        return out

    # ---- tables -----------------------------------------------------------------------------------

    def contract_events(self, lo: int, hi: int) -> dict:
        e, sl = self.events, slice(lo, hi)
        step = e.step[sl]
        return {
            "id": [number(self.base["contract_event"] + np.arange(lo, hi))],
            "contract_id": [number(self.base["contract"] + e.contract[sl])],
            "action": [gather(self.v["action"], step)], "from_state": [gather(self.v["from"], step)],
            "to_state": [gather(self.v["to"], step)], "actor_id": _user_part(self.event_user[sl]),
            "actor_label": [gather(self.people.labels, self.event_label[sl])],
            "at": timestamps(e.day[sl], 30 + e.order[sl], self.vendor),
            "business_date": [dates(e.day[sl])], "comment": [gather(self.v["comment"], step)],
        }

    def batches_rows(self, lo: int, hi: int) -> dict:
        b, sl, n = self.batches, slice(lo, hi), hi - lo
        steps = b.steps[sl]
        who = [COUNTY_OP, COUNTY_SUP, PROVINCE_OP, PROVINCE_SUP, BANK_REVIEWER]
        zero = np.zeros(n, np.int64)
        org = [b.county[sl], b.county[sl], zero, zero, zero]
        users = [self.people.actors(np.full(n, w), o)[0] for w, o in zip(who, org, strict=True)]
        users = [np.where(np.isnat(steps[:, k]), NONE, u) for k, u in enumerate(users)]
        return {
            "id": [number(self.base["batch"] + np.arange(lo, hi))],
            "county_id": [number(self.world.county_id[b.county[sl]])],
            "academic_year": [digits(b.year[sl], 4)], "sequence": [const("1", n)],
            "state": [gather(self.v["batch_state"], b.state[sl])],
            "contract_count": [number(b.contracts[sl])], "total_amount": money(b.total[sl]),
            "created_at": timestamps(steps[:, 0], 0, self.vendor),
            "summarised_by_id": _user_part(users[0]),
            "submitted_by_id": _user_part(users[1]), "submitted_at": timestamps(steps[:, 1], 0, self.vendor),
            "audited_by_id": _user_part(users[2]), "audited_at": timestamps(steps[:, 2], 0, self.vendor),
            "reviewed_by_id": _user_part(users[3]), "reviewed_at": timestamps(steps[:, 3], 0, self.vendor),
            "bank_reviewed_by_id": _user_part(users[4]),
            "bank_reviewed_at": timestamps(steps[:, 4], 0, self.vendor),
        }

    def batch_event_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """(batch, step) of every batch event: the steps each batch has passed."""
        reached = ~np.isnat(self.batches.steps)
        batch, step = np.nonzero(reached)
        return batch, step

    def batch_events(self, lo: int, hi: int) -> dict:
        batch, step = (a[lo:hi] for a in self.batch_event_rows())
        n = hi - lo
        who = np.array([w for *_, w in BATCH_STEPS])[step]
        org = np.where(np.isin(who, (COUNTY_OP, COUNTY_SUP)), self.batches.county[batch], 0)
        user, label = self.people.actors(who, org)
        on = self.batches.steps[batch, step]
        return {
            "id": [number(self.base["batch_event"] + np.arange(lo, hi))],
            "batch_id": [number(self.base["batch"] + batch)],
            "action": [gather(self.v["batch_action"], step)],
            "from_state": [gather(self.v["batch_from"], step)],
            "to_state": [gather(self.v["batch_to"], step)], "actor_id": _user_part(user),
            "actor_label": [gather(self.people.labels, label)], "at": timestamps(on, 0, self.vendor),
            "business_date": [dates(on)], "comment": [const("", n)],
        }

    def application_rows(self, lo: int, hi: int) -> dict:
        a, sl, n = self.applications, slice(lo, hi), hi - lo
        b, w = a.borrower[sl], self.world
        return {
            "id": [number(self.base["application"] + np.arange(lo, hi))],
            "borrower_id": [number(self.base["borrower"] + b)], "product": [const("home_county", n)],
            "academic_year": [digits(a.year[sl], 4)],
            "county_id": [number(w.county_id[w.students.county[b]])],
            "university_id": [number(w.university_id[w.students.university[b]])],
            "amount": money(a.amount[sl]), "term_years": [number(a.term_years[sl], 2)],
            "tuition": money(a.tuition[sl]), "accommodation": money(a.accommodation[sl]),
            "co_borrower_id": [number(self.base["co_borrower"] + b)],
            "is_renewal": [gather(w.v["bool"], a.is_renewal[sl].astype(np.int64))],
            "state": [const("submitted", n)], "submitted_on": [dates(a.submitted_on[sl])],
        }

    def application_audit(self, lo: int, hi: int) -> dict:
        """What application_submit records for each submission (origination.services.applications)."""
        a, sl, n = self.applications, slice(lo, hi), hi - lo
        ids, s, b = self.base["application"] + np.arange(lo, hi), self.world.students, a.borrower[sl]
        return {
            "id": [number(self.base["audit"] + np.arange(lo, hi))],
            "at": timestamps(a.submitted_on[sl], 11 * 60, self.vendor),
            "actor_label": self.world.name(s.surname[b], s.given1[b], s.given2[b]),
            "action": [const("application_submit", n)],
            "object_type": [const("origination.application", n)], "object_id": [number(ids)],
            "object_repr": [digits(a.year[sl], 4), const("学年贷款申请 #", n), number(ids)],
            "subject_key": [const("borrowers.borrower:", n), number(self.base["borrower"] + a.borrower[sl])],
            "before": [const("{}", n)],
            "after": [const('{"amount": "', n), *money(a.amount[sl]), const('", "term_years": "', n),
                      number(a.term_years[sl]), const('"}', n)],
        }

    def campus_files(self, lo: int, hi: int) -> dict:
        """The papers and dates of this year's campus applications ([003 第十一–十五条])."""
        rows = self.campus_rows[lo:hi]
        n, applied = hi - lo, self.plan.applied_on[rows]
        reached = self.campus_reached[lo:hi]

        def on(name: str, step: int) -> list:
            days = applied + np.timedelta64(CAMPUS_OFFSETS[name], "D")
            return [dates(np.where(reached >= step, days, np.datetime64("NaT")))]

        yes = const("t" if self.vendor == "postgresql" else "1", n)
        return {"id": [number(self.base["campus_file"] + np.arange(lo, hi))],
                "contract_id": [number(self.base["contract"] + rows)],
                "id_card_copy": [yes], "student_card_copy": [yes], "parents_commitment": [yes],
                "poverty_certificate": [yes], "notice_start": on("notice_start", 2),
                "notice_end": on("notice_end", 2), "sent_on": on("sent", 4),
                "forwarded_on": on("forwarded", 5),
                "approved_on": on("approved", 7)}

    @property
    def campus_rows(self) -> np.ndarray:
        return np.flatnonzero((self.plan.product == CAMPUS) & (self.plan.year == CURRENT_YEAR))

    @property
    def campus_reached(self) -> np.ndarray:
        """Per campus row: how many steps of the campus path its events record."""
        e = self.events
        counts = np.bincount(e.contract, minlength=self.plan.n)
        return counts[self.campus_rows]

