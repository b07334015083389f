"""The timeline of this year's contracts and of every county batch, as the transition applier writes
it (origination.services.transitions: one event per action — who, when, from, to).

A contract's events follow the path of its product's transition table (origination.workflow,
origination.campus.workflow) up to its state; a contract that left the path (returned, refused,
declined, withdrawn) has the path up to where it left and the action that took it off. Earlier
years' contracts keep no events (their timelines predate the system); their batches do.
Each step is done by the demo account of the organisation that does it where the demo has one —
the checker never the maker — and otherwise named by its organisation and role.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .contracts import (
    APPLIED,
    APPROVED,
    BANK_CHECKED,
    CAMPUS,
    DECLINED,
    DISBURSED,
    IN_NOTICE,
    IN_REVIEW,
    NAT,
    OFFICE_REVIEWED,
    OFFICE_SENT,
    QUALIFIED,
    RECEIPTED,
    REFUSED,
    RETURNED,
    SIGNED,
    STATES,
    WITHDRAWN,
    Contracts,
)
from .people import CURRENT_YEAR
from .season import Batches

# Who does a step: the county's operator or supervisor, the university's officer, the department,
# the province's operator or supervisor, the bank's reviewer or approver.
COUNTY_OP, COUNTY_SUP, UNI_OFFICER, DEPT, PROVINCE_OP, PROVINCE_SUP, BANK_REVIEWER, BANK_APPROVER = range(8)
ROLE_TITLES = ["经办人", "负责人", "经办人", "院系责任人", "经办人", "负责人", "审查人", "审批人"]


@dataclass(frozen=True)
class Step:
    action: str
    source: int  # index into contracts.STATES; -1: created
    target: int
    who: int
    date: str  # the contract's date field the step happened on, or a computed one (see dates())


HOME_PATH = [Step("create", -1, APPLIED, COUNTY_OP, "applied"),
             Step("check_approve", APPLIED, SIGNED, COUNTY_SUP, "signed"),
             Step("receipt", SIGNED, RECEIPTED, UNI_OFFICER, "receipted"),
             Step("submit", RECEIPTED, IN_REVIEW, COUNTY_OP, "summarised"),
             Step("bank_check", IN_REVIEW, BANK_CHECKED, BANK_REVIEWER, "bank_checked"),
             Step("bank_approve", BANK_CHECKED, APPROVED, BANK_APPROVER, "decided"),
             Step("disburse", APPROVED, DISBURSED, BANK_APPROVER, "disbursed")]
# state off the path → (steps of the path done before, the step that left it)
HOME_EXITS = {RETURNED: (4, Step("bank_return", IN_REVIEW, RETURNED, BANK_REVIEWER, "decided")),
              REFUSED: (4, Step("bank_refuse", IN_REVIEW, REFUSED, BANK_REVIEWER, "decided")),
              DECLINED: (3, Step("decline", RECEIPTED, DECLINED, COUNTY_OP, "declined")),
              WITHDRAWN: (2, Step("withdraw", SIGNED, WITHDRAWN, COUNTY_OP, "withdrawn"))}
CAMPUS_PATH = [Step("create", -1, APPLIED, UNI_OFFICER, "applied"),
               Step("dept_review", APPLIED, IN_NOTICE, DEPT, "notice_start"),
               Step("office_review", IN_NOTICE, OFFICE_REVIEWED, UNI_OFFICER, "reviewed"),
               Step("office_send", OFFICE_REVIEWED, OFFICE_SENT, UNI_OFFICER, "sent"),
               Step("province_forward", OFFICE_SENT, IN_REVIEW, PROVINCE_OP, "forwarded"),
               Step("bank_check", IN_REVIEW, BANK_CHECKED, BANK_REVIEWER, "checked"),
               Step("bank_approve", BANK_CHECKED, QUALIFIED, BANK_APPROVER, "approved"),
               Step("sign", QUALIFIED, APPROVED, UNI_OFFICER, "signed"),
               Step("disburse", APPROVED, DISBURSED, BANK_APPROVER, "disbursed")]
CAMPUS_EXITS = {REFUSED: (6, Step("bank_refuse", BANK_CHECKED, REFUSED, BANK_REVIEWER, "approved")),
                DECLINED: (1, Step("dept_reject", APPLIED, DECLINED, DEPT, "notice_start"))}
# Days from the application (contracts.CAMPUS_STEP_DAYS) of the campus dates.
CAMPUS_OFFSETS = {"notice_start": 2, "notice_end": 7, "reviewed": 8, "sent": 9, "forwarded": 11,
                  "checked": 13, "approved": 14}
BATCH_STEPS = [("submit", "", "summarised", COUNTY_OP),
               ("county_submit", "summarised", "county_submitted", COUNTY_SUP),
               ("province_audit", "county_submitted", "province_audited", PROVINCE_OP),
               ("province_submit", "province_audited", "province_submitted", PROVINCE_SUP),
               ("bank_close", "province_submitted", "bank_reviewed", BANK_REVIEWER)]


@dataclass
class Events:
    """Contract events as columns: contract row, action, from and to state codes, day, who."""

    contract: np.ndarray
    step: np.ndarray  # index into steps
    steps: list[Step]
    day: np.ndarray  # datetime64[D]
    order: np.ndarray  # the event's position in its contract's timeline (for the time of day)

    @property
    def n(self) -> int:
        return len(self.contract)


def contract_dates(plan: Contracts, batches: Batches, decided: np.ndarray) -> dict[str, np.ndarray]:
    """Each date a step can happen on, per contract row."""
    applied = plan.applied_on
    dates = {"applied": applied, "signed": plan.signed_on, "receipted": plan.receipted_on,
             "disbursed": plan.disbursed_on, "decided": decided,
             "summarised": np.where(batches.of_contract >= 0,
                                    batches.steps[np.maximum(batches.of_contract, 0), 0], NAT),
             # The reviewer's 审查 the day after the province reported the batch; the approver's
             # decision (decided) that day or later.
             "bank_checked": np.where(batches.of_contract >= 0,
                                      batches.steps[np.maximum(batches.of_contract, 0), 3], NAT)
             + np.timedelta64(1, "D"),
             # 谢绝 after the receipt is checked; 未回执撤销 at the county's receipt deadline.
             "declined": plan.receipted_on + np.timedelta64(5, "D"),
             "withdrawn": np.minimum(plan.signed_on + np.timedelta64(30, "D"),
                                     np.datetime64(f"{CURRENT_YEAR}-11-05"))}
    for name, offset in CAMPUS_OFFSETS.items():
        dates[name] = applied + np.timedelta64(offset, "D")
    return dates


def _path_of(plan: Contracts, rows: np.ndarray, path: list[Step],
             exits: dict) -> tuple[np.ndarray, np.ndarray]:
    """(steps done on the path, exit step or -1) per row."""
    position = {step.target: k + 1 for k, step in enumerate(path)}
    done = np.zeros(len(rows), dtype=np.int64)
    leave = np.full(len(rows), -1, dtype=np.int64)
    state = plan.state[rows]
    for target, count in position.items():
        done[state == target] = count
    for k, (target, (count, _)) in enumerate(exits.items()):
        done[state == target] = count
        leave[state == target] = k
    return done, leave


def contract_events(plan: Contracts, batches: Batches, decided: np.ndarray) -> Events:
    """The events of every contract of the current academic year."""
    dates = contract_dates(plan, batches, decided)
    steps: list[Step] = []
    parts = []
    for product, path, exits in ((0, HOME_PATH, HOME_EXITS), (CAMPUS, CAMPUS_PATH, CAMPUS_EXITS)):
        rows = np.flatnonzero((plan.year == CURRENT_YEAR) & (plan.product == product))
        done, leave = _path_of(plan, rows, path, exits)
        base = len(steps)
        steps += path + [exit_step for _, exit_step in exits.values()]
        for k, step in enumerate(path):
            mine = rows[done > k]
            parts.append((mine, np.full(len(mine), base + k), dates[step.date][mine], np.full(len(mine), k)))
        for k, (_, exit_step) in enumerate(exits.values()):
            mine = rows[leave == k]
            parts.append((mine, np.full(len(mine), base + len(path) + k), dates[exit_step.date][mine],
                          np.full(len(mine), len(path))))
    contract, step, on, order = (np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, np.int64)
                                 for i in range(4))
    return Events(contract=contract, step=step, steps=steps, day=on.astype("datetime64[D]"), order=order)


def state_code(index: int) -> str:
    return "" if index < 0 else STATES[index]
