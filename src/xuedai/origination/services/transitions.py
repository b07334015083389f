"""Applying the transition tables: the one writer of a contract's state (ARCHITECTURE principle 3).

Every product has one table (origination.workflow, .campus.workflow, .commercial.workflow), each
holding the servicing moves too (workflow.SERVICING_TRANSITIONS). A row's ``via`` says which entry
point applies it; each entry point checks, in order: the table allows the action from the current
state; the actor has the row's role at the row's kind of organisation; the contract is in the
actor's scope; the checker took none of the earlier steps (maker ≠ checker); the county's year is
not locked; a danger action carries a reason. Then the product's effect runs (its own rules), the
state moves, a ContractEvent is written (who, when, from, to, action, comment) and an audit row
(before → after) — all in the caller's transaction.

- :func:`contract_transition` — a person's action on one contract (``via="page"``);
- :func:`contracts_move` — many contracts by one row, set-based (``"batch"``, ``"system"``, and a
  person's row taken for many at once: 批量复核, 回执导入);
- :func:`contract_ledger_move` — rows only the loans ledger applies, with its postings (``"ledger"``);
- :func:`contract_follow` / :func:`contract_states_copy` — the servicing state the ledger's balances
  imply, for one contract or, on a raw connection, for a batch kernel's chunk;
- :func:`contracts_create` — new contracts, in the state of their product's ``create`` row;
- :func:`contract_note` — an event that moves nothing (an edit, a notice, an extension).

Nothing else assigns ``Contract.state`` or builds a ``ContractEvent`` (tests/test_one_writer.py).
Applications and county batches have their own small tables here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from xuedai import businessdate
from xuedai.audit.services import audit_bulk, audit_record
from xuedai.orgs.models import User
from xuedai.policies.products import Product

from .. import rules
from ..campus.workflow import CAMPUS_TRANSITIONS
from ..campus.workflow import MAKERS as CAMPUS_MAKERS
from ..commercial.workflow import COMMERCIAL_TRANSITIONS
from ..commercial.workflow import MAKERS as COMMERCIAL_MAKERS
from ..models import (
    Application,
    ApplicationState,
    BatchEvent,
    Contract,
    ContractEvent,
    ContractState,
    CountyBatch,
)
from ..models.batch import BatchState
from ..selectors import batch_scope, contract_scope
from ..workflow import (
    APPLICATION_TRANSITIONS,
    BATCH_TRANSITIONS,
    COUNTY,
    HOME_COUNTY_MAKERS,
    HOME_COUNTY_TRANSITIONS,
    SERVICING_TRANSITIONS,
    IllegalTransition,
    Transition,
    actions_from,
    transition_for,
)

CONTRACT_LABELS = dict(ContractState.choices)
BATCH_LABELS = dict(BatchState.choices)
APPLICATION_LABELS = dict(ApplicationState.choices)

TABLES: dict[str, dict[str, Transition]] = {
    Product.HOME_COUNTY: {**HOME_COUNTY_TRANSITIONS, **SERVICING_TRANSITIONS},
    Product.CAMPUS: {**CAMPUS_TRANSITIONS, **SERVICING_TRANSITIONS},
    Product.COMMERCIAL: {**COMMERCIAL_TRANSITIONS, **SERVICING_TRANSITIONS},
}
MAKERS: dict[str, dict[str, tuple[str, ...]]] = {
    Product.HOME_COUNTY: HOME_COUNTY_MAKERS,
    Product.CAMPUS: CAMPUS_MAKERS,
    Product.COMMERCIAL: COMMERCIAL_MAKERS,
}
WRONG_ENTRY = {
    "batch": "该操作须在批次页面办理。",
    "ledger": "「{label}」须通过贷款账务办理（发放、核销同时记账）。",
    "system": "「{label}」由系统根据账务自动办理，不能手工操作。",
    "page": "「{label}」须逐份合同办理。",
}

# Effects of actions, registered by the modules that own them (receipts, the bank, campus …): they
# may change fields and raise IllegalTransition, must not save, and may return a note for the event.
Effect = Callable[..., str | None]
EFFECTS: dict[tuple[str, str], Effect] = {}


def effect(product: str, action: str) -> Callable[[Effect], Effect]:
    def register(function: Effect) -> Effect:
        EFFECTS[(product, action)] = function
        return function

    return register


def table_of(product: str) -> dict[str, Transition]:
    return TABLES[product]


def row_of(product: str, action: str) -> Transition:
    row = TABLES[product].get(action)
    if row is None:
        raise IllegalTransition(f"未知操作：{action}。")
    return row


# Events that move nothing and are not rows of a table (contract_note).
NOTE_LABELS = {"prepay_notice": "提前还款申请", "extend": "展期"}


def action_label(product: str, action: str) -> str:
    """The Chinese name of an action on a contract of ``product`` (the timeline, the audit page)."""
    row = TABLES.get(product, {}).get(action)
    return row.label if row else NOTE_LABELS.get(action, action)


def actor_label(actor: User | None) -> str:
    if actor is None:
        return "系统"
    return (actor.real_name or actor.username)[:60]


# ---- checks -------------------------------------------------------------------------------------------

def check_actor(actor: User | None, row: Transition) -> None:
    """Role and kind of organisation; `None` is the system (deadline batches) and may do anything,
    and a "system" row is a consequence of whatever action its caller took."""
    if actor is None or actor.is_superuser or row.via == "system":
        return
    if not actor.has_role(*row.roles):
        roles = "、".join(sorted(role.label for role in row.roles))
        raise IllegalTransition(f"「{row.label}」须由{roles}办理，您的角色不能办理。")
    if row.org_kinds is not None:
        org = actor.organisation
        if org is None or org.kind not in row.org_kinds:
            kinds = "、".join(sorted(kind.label for kind in row.org_kinds))
            raise IllegalTransition(f"「{row.label}」须由{kinds}办理。")


def check_makers(actor: User | None, contract: Contract, row: Transition) -> None:
    """The checker may not be anyone who took the earlier steps the product names [002][003]."""
    if actor is None or not row.checker:
        return
    earlier = MAKERS[contract.product].get(row.action, ())
    makers = set(ContractEvent.objects.filter(contract=contract, action__in=earlier)
                 .values_list("actor_id", flat=True)) if earlier else set()
    if "create" in earlier and contract.created_by_id is not None:
        makers.add(contract.created_by_id)
    if actor.pk not in makers:
        return
    if earlier == ("create",):
        raise IllegalTransition(f"「{row.label}」须由另一人办理：合同录入人本人不能复核自己的工作"
                                "（经办与复核分离）。")
    table = TABLES[contract.product]
    steps = "、".join(table[a].label for a in earlier if a in table)
    raise IllegalTransition(f"「{row.label}」须由另一人办理：您已办理「{steps}」，经办与复核不能是同一人"
                            "（经办与复核分离）。")


def contract_row(actor: User | None, contract: Contract, action: str) -> Transition:
    """Every check except the action's own effect; raises IllegalTransition. Pages use it for buttons."""
    if contract.product not in TABLES:
        raise IllegalTransition("未知的贷款产品。")
    row = transition_for(TABLES[contract.product], action, contract.state, CONTRACT_LABELS)
    check_actor(actor, row)
    if actor is not None and not contract_scope(actor).filter(pk=contract.pk).exists():
        raise IllegalTransition("该合同不在您的数据范围内。")
    check_makers(actor, contract, row)
    # The lock is on the county's own work [001 附件三 四.1]; province, bank and university act on.
    county_work = row.org_kinds == COUNTY and contract.county_id is not None
    if county_work and rules.year_locked(contract.county_id, contract.academic_year) and not (
            row.when_locked and contract.state == ContractState.RETURNED):
        raise IllegalTransition(rules.locked_message(contract.county, contract.academic_year))
    return row


def contract_can(actor: User, contract: Contract, action: str) -> bool:
    try:
        contract_row(actor, contract, action)
    except IllegalTransition:
        return False
    return True


def contract_actions(actor: User, contract: Contract, *, via: str = "page") -> list[Transition]:
    """The rows ``actor`` may take on ``contract`` now (the page's buttons)."""
    if contract.product not in TABLES:
        return []
    return [row for row in actions_from(TABLES[contract.product], contract.state)
            if row.via == via and contract_can(actor, contract, row.action)]


# ---- one contract ----------------------------------------------------------------------------------

def _locked(contract: Contract) -> Contract:
    return (Contract.objects.select_for_update(of=("self",))
            .select_related("county", "batch", "borrower", "university", "policy_version")
            .get(pk=contract.pk))


def _snapshot(contract: Contract) -> dict:
    return {f.attname: getattr(contract, f.attname) for f in Contract._meta.concrete_fields}


def _changes(before: dict, contract: Contract) -> tuple[dict, dict]:
    after = _snapshot(contract)
    names = [name for name, value in after.items() if before.get(name) != value]
    return {n: before[n] for n in names}, {n: after[n] for n in names}


def write_event(contract: Contract, *, action: str, from_state: str, actor: User | None,
                comment: str = "", to_state: str | None = None) -> ContractEvent:
    return ContractEvent.objects.create(
        contract=contract, action=action, from_state=from_state, to_state=to_state or contract.state,
        actor=actor if getattr(actor, "pk", None) else None, actor_label=actor_label(actor),
        at=timezone.now(), business_date=businessdate.today(), comment=comment[:300])


def _apply(*, actor: User | None, contract: Contract, action: str, comment: str, via: str,
           data: dict) -> Contract:
    contract = _locked(contract)
    row = contract_row(actor, contract, action)
    if row.via != via:
        raise IllegalTransition(WRONG_ENTRY[row.via].format(label=row.label))
    comment = (comment or "").strip()
    if row.danger and not comment:
        raise IllegalTransition(f"「{row.label}」须填写原因。")
    before_state, before = contract.state, _snapshot(contract)
    run = EFFECTS.get((contract.product, action))
    if run is not None:
        note = run(actor=actor, contract=contract, row=row, comment=comment, **data)
        comment = "；".join(part for part in (comment, note or "") if part)
    contract.state = row.target_of(before_state)
    contract.save()
    write_event(contract, action=action, from_state=before_state, actor=actor, comment=comment)
    changed_before, changed_after = _changes(before, contract)
    audit_record(actor=actor, action=f"contract.{action}", obj=contract, subject=contract.borrower,
                 before=changed_before, after={**changed_after, **({"comment": comment} if comment else {})})
    return contract


@transaction.atomic
def contract_transition(*, actor: User | None, contract: Contract, action: str, comment: str = "",
                        **data) -> Contract:
    """A person's action on one contract: a "page" row of its product's table (module docstring)."""
    return _apply(actor=actor, contract=contract, action=action, comment=comment, via="page", data=data)


@transaction.atomic
def contract_ledger_move(*, actor: User | None, contract: Contract, action: str, comment: str = "",
                         **data) -> Contract:
    """A "ledger" row (发放, 核销): only the loans ledger calls it, in the transaction that posts the
    money, so a contract never shows 已发放 without its disbursement postings."""
    return _apply(actor=actor, contract=contract, action=action, comment=comment, via="ledger", data=data)


def _servicing_row(from_state: str, to_state: str) -> Transition:
    for row in SERVICING_TRANSITIONS.values():
        if row.via == "system" and row.target == to_state and from_state in row.sources:
            return row
    raise IllegalTransition(f"状态「{CONTRACT_LABELS.get(from_state, from_state)}」不能自动转为"
                            f"「{CONTRACT_LABELS.get(to_state, to_state)}」。")


def contract_follow(contract: Contract, to_state: str, *, actor: User | None = None,
                    comment: str = "账务变化") -> bool:
    """Move ``contract`` to the servicing state its balances imply (the ledger calls it after each
    posting, in its transaction); returns whether the state changed."""
    if contract.state == to_state:
        return False
    row = _servicing_row(contract.state, to_state)
    before = contract.state
    moved = Contract.objects.filter(pk=contract.pk, state=before).update(state=to_state)
    if moved != 1:
        raise IllegalTransition("合同状态已被他人改变，请刷新后重试。")
    contract.state = to_state
    write_event(contract, action=row.action, from_state=before, actor=actor, comment=comment)
    audit_record(actor=actor, action=f"contract.{row.action}", obj=contract,
                 before={"state": before}, after={"state": to_state, "comment": comment})
    return True


@transaction.atomic
def contracts_move(contract_ids: Sequence[int], *, action: str, actor: User | None, comment: str = "",
                   **fields) -> int:
    """Move many contracts by one row of their product's table, set-based: one UPDATE, one INSERT of
    events, one audit row with the ids. The caller has checked the actor on the batch; here the
    table's source states are enforced (a count that does not match is an error, and nothing moves).
    """
    ids = sorted(set(contract_ids))
    if not ids:
        return 0
    sources = list(Contract.objects.filter(pk__in=ids).values_list("pk", "state", "product"))
    rows = {product: row_of(product, action) for product in {p for _, _, p in sources}}
    for row in rows.values():
        if row.via == "ledger":  # a person's row may run in bulk (复核 3,000, 回执导入); money may not
            raise IllegalTransition(WRONG_ENTRY[row.via].format(label=row.label))
    wrong = [pk for pk, state, product in sources if state not in rows[product].sources]
    targets = {row.target for row in rows.values()}
    if wrong or len(sources) != len(ids) or len(targets) != 1:
        raise IllegalTransition(f"有{len(wrong) or len(ids) - len(sources) or len(ids)}份合同的状态不能执行"
                                f"「{next(iter(rows.values())).label if rows else action}」，请刷新后重试。")
    target = targets.pop()
    allowed = set().union(*(row.sources for row in rows.values()))
    moved = Contract.objects.filter(pk__in=ids, state__in=allowed).update(state=target, **fields)
    if moved != len(ids):
        raise IllegalTransition("合同状态已被他人改变，请刷新后重试。")
    now, today, label = timezone.now(), businessdate.today(), actor_label(actor)
    who = actor if getattr(actor, "pk", None) else None
    ContractEvent.objects.bulk_create(
        [ContractEvent(contract_id=pk, action=action, from_state=state, to_state=target, actor=who,
                       actor_label=label, at=now, business_date=today, comment=comment[:300])
         for pk, state, _ in sources], batch_size=1000)
    origins = sorted({state for _, state, _ in sources})
    audit_bulk(actor=actor, action=f"contract.{action}", model=Contract, ids=ids,
               before={"state": origins}, after={"state": target, "comment": comment,
                                                 **{k: v for k, v in fields.items() if k != "batch"},
                                                 **({"batch": str(fields["batch"])} if "batch" in fields
                                                    else {})})
    return len(ids)


def contract_states_copy(conn, ids: Sequence[int], from_states: Sequence[str], to_states: Sequence[str], *,
                         business_date: dt.date, comment: str) -> int:
    """The servicing states a batch kernel's chunk implies, on its raw psycopg connection and in its
    transaction: every (from, to) pair checked against the servicing rows, then one UPDATE and one
    INSERT … SELECT of events (one per changed contract). The batch run's own audit row covers it."""
    if not len(ids):
        return 0
    actions = {}
    for pair in set(zip(from_states, to_states, strict=True)):
        actions[pair] = _servicing_row(*pair).action
    with conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS contract_state_moves "
                    "(id bigint PRIMARY KEY, from_state text, to_state text, action text) ON COMMIT DROP")
        cur.execute("TRUNCATE contract_state_moves")
        with cur.copy("COPY contract_state_moves (id, from_state, to_state, action) FROM STDIN") as copy:
            for pk, old, new in zip(ids, from_states, to_states, strict=True):
                copy.write_row((int(pk), old, new, actions[(old, new)]))
        cur.execute(f"""
            UPDATE {Contract._meta.db_table} c SET state = m.to_state
              FROM contract_state_moves m WHERE c.id = m.id AND c.state = m.from_state""")
        if cur.rowcount != len(ids):
            raise IllegalTransition("结息批处理中有合同状态已被改变，本段回滚后重试。")
        cur.execute(f"""
            INSERT INTO {ContractEvent._meta.db_table}
                   (contract_id, action, from_state, to_state, actor_id, actor_label, at, business_date,
                    comment)
            SELECT id, action, from_state, to_state, NULL, '系统', now(), %s, %s FROM contract_state_moves""",
                    [business_date, comment[:300]])
    return len(ids)


def contracts_create(contracts: list[Contract], *, actor: User | None, comment: str = "") -> list[Contract]:
    """Insert new contracts in the state of their product's ``create`` row, with their events and
    one audit row; the caller has run the product's rules and checked the actor."""
    for contract in contracts:
        contract.state = row_of(contract.product, "create").target
    Contract.objects.bulk_create(contracts, batch_size=1000)
    if not all(c.pk for c in contracts):  # SQLite before 3.35 returns no ids: read them back
        by_no = dict(Contract.objects.filter(contract_no__in=[c.contract_no for c in contracts])
                     .values_list("contract_no", "pk"))
        for c in contracts:
            c.pk = c.id = by_no[c.contract_no]
    now, today, label = timezone.now(), businessdate.today(), actor_label(actor)
    who = actor if getattr(actor, "pk", None) else None
    ContractEvent.objects.bulk_create([ContractEvent(
        contract_id=c.pk, action="create", from_state="", to_state=c.state, actor=who, actor_label=label,
        at=now, business_date=today, comment=(comment or "新增合同")[:300]) for c in contracts],
        batch_size=1000)
    if len(contracts) == 1:
        c = contracts[0]
        audit_record(actor=actor, action="contract.create", obj=c, subject=c.borrower,
                     after={"contract_no": c.contract_no, "amount": c.amount, "state": c.state,
                            "comment": comment})
    elif contracts:
        audit_bulk(actor=actor, action="contract.create", model=Contract, ids=[c.pk for c in contracts],
                   after={"state": contracts[0].state, "comment": comment,
                          "amount": sum(c.amount for c in contracts)})
    return contracts


def contract_note(contract: Contract, *, action: str, actor: User | None, comment: str,
                  before: dict | None = None, after: dict | None = None) -> ContractEvent:
    """An event on the contract's timeline that moves no state (修改合同, 提前还款申请, 展期), with its
    audit row."""
    event = write_event(contract, action=action, from_state=contract.state, actor=actor, comment=comment)
    audit_record(actor=actor, action=f"contract.{action}", obj=contract, before=before,
                 after={**(after or {}), "comment": comment})
    return event


# ---- online applications --------------------------------------------------------------------------

def application_move(*, actor: User | None, application: Application, action: str) -> Application:
    """One row of APPLICATION_TRANSITIONS on a locked application (the caller checked ownership)."""
    row = transition_for(APPLICATION_TRANSITIONS, action, application.state, APPLICATION_LABELS)
    before = application.state
    application.state = row.target_of(before)
    application.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action=f"application.{action}", obj=application, subject=application.borrower,
                 before={"state": before}, after={"state": application.state})
    return application


def applications_move(ids: Sequence[int], *, actor: User | None, action: str) -> int:
    """Many applications by one row, set-based (新增合同 from the worklist accepts them all)."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    row = APPLICATION_TRANSITIONS[action]
    moved = Application.objects.filter(pk__in=ids, state__in=row.sources).update(state=row.target)
    if moved != len(ids):
        raise IllegalTransition(f"有{len(ids) - moved}份申请的状态不能执行「{row.label}」，请刷新后重试。")
    audit_bulk(actor=actor, action=f"application.{action}", model=Application, ids=ids,
               before={"state": sorted(row.sources)}, after={"state": row.target})
    return moved


# ---- batches -----------------------------------------------------------------------------------------

BATCH_MAKERS = {"county_submit": "summarised_by_id", "county_reject": "summarised_by_id",
                "province_submit": "audited_by_id"}
BATCH_STAMPS = {"county_submit": ("submitted_by", "submitted_at"),
                "province_audit": ("audited_by", "audited_at"),
                "province_submit": ("reviewed_by", "reviewed_at"),
                "bank_close": ("bank_reviewed_by", "bank_reviewed_at")}


def batch_row(actor: User | None, batch: CountyBatch, action: str) -> Transition:
    row = transition_for(BATCH_TRANSITIONS, action, batch.state, BATCH_LABELS)
    check_actor(actor, row)
    if actor is not None and not batch_scope(actor).filter(pk=batch.pk).exists():
        raise IllegalTransition("该批次不在您的数据范围内。")
    maker = BATCH_MAKERS.get(action)
    if row.checker and actor is not None and maker and getattr(batch, maker) == actor.pk:
        raise IllegalTransition(f"「{row.label}」须由另一人办理：上一环节经办人本人不能复核自己的工作"
                                "（经办与复核分离）。")
    return row


def write_batch_event(batch: CountyBatch, *, action: str, from_state: str, actor: User | None,
                      comment: str = "") -> BatchEvent:
    return BatchEvent.objects.create(
        batch=batch, action=action, from_state=from_state, to_state=batch.state,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor), at=timezone.now(), business_date=businessdate.today(),
        comment=comment[:300])


def batch_create(*, actor: User, county, academic_year: int, sequence: int) -> CountyBatch:
    """A new county batch in the state of the batch table's ``submit`` row (汇总并提交)."""
    row = BATCH_TRANSITIONS["submit"]
    check_actor(actor, row)
    batch = CountyBatch.objects.create(county=county, academic_year=academic_year, sequence=sequence,
                                       summarised_by=actor, state=row.target)
    write_batch_event(batch, action="submit", from_state="", actor=actor)
    audit_record(actor=actor, action="batch.submit", obj=batch, after={"state": batch.state})
    return batch


@transaction.atomic
def batch_transition(*, actor: User | None, batch: CountyBatch, action: str,
                     comment: str = "") -> CountyBatch:
    """Apply one action of BATCH_TRANSITIONS; a rejection sends its contracts back to 已回执."""
    batch = CountyBatch.objects.select_for_update(of=("self",)).select_related("county").get(pk=batch.pk)
    row = batch_row(actor, batch, action)
    comment = (comment or "").strip()
    if row.danger and not comment:
        raise IllegalTransition(f"「{row.label}」须填写原因。")
    in_review = list(batch.contracts.filter(state=ContractState.IN_REVIEW).values_list("pk", flat=True))
    if action in {"county_reject", "province_reject"}:
        contracts_move(in_review, action="batch_reject", actor=actor, comment=comment or row.label)
    if action == "bank_close" and in_review:
        raise IllegalTransition(f"该批次还有{len(in_review)}份合同未审查，不能结束审查。")
    before = batch.state
    batch.state = row.target_of(before)
    if action in BATCH_STAMPS:
        who, when = BATCH_STAMPS[action]
        setattr(batch, who, actor)
        setattr(batch, when, timezone.now())
    batch.save()
    write_batch_event(batch, action=action, from_state=before, actor=actor, comment=comment)
    audit_record(actor=actor, action=f"batch.{action}", obj=batch, before={"state": before},
                 after={"state": batch.state, **({"comment": comment} if comment else {})})
    return batch
