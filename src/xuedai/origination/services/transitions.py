"""Applying a row of the transition tables: the one write path for states (ARCHITECTURE principle 3).

`contract_transition` checks, in order: the table allows the action from the current state; the
actor has the row's role at the row's kind of organisation; the contract is in the actor's scope;
the checker is not the maker; the county's year is not locked. Then it runs the action's effect,
saves, and writes a ContractEvent (who, when, from, to, action, comment). Bulk moves of a whole
batch use `contracts_move`, which updates with one query and inserts the events with another.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from xuedai import businessdate
from xuedai.orgs.models import User

from .. import rules
from ..models import BatchEvent, Contract, ContractEvent, ContractState, CountyBatch
from ..models.batch import BatchState
from ..selectors import batch_scope, contract_scope
from ..workflow import (
    BATCH_TRANSITIONS,
    CONTRACT_TRANSITIONS,
    COUNTY,
    IllegalTransition,
    Transition,
    transition_for,
)

CONTRACT_LABELS = dict(ContractState.choices)
BATCH_LABELS = dict(BatchState.choices)

# Effects of single-contract actions, registered by the modules that own them (receipts, bank …).
# An effect may change fields and raise IllegalTransition; it must not save.
Effect = Callable[..., None]
EFFECTS: dict[str, Effect] = {}
# Actions that only run as part of a batch (one contract alone cannot be summarised).
BATCH_ONLY = {"create", "summarise", "batch_reject"}


def effect(action: str) -> Callable[[Effect], Effect]:
    def register(function: Effect) -> Effect:
        EFFECTS[action] = function
        return function

    return register


def actor_label(actor: User | None) -> str:
    if actor is None:
        return "系统"
    return (actor.real_name or actor.username)[:60]


def check_actor(actor: User | None, row: Transition) -> None:
    """Role and kind of organisation; `None` is the system (deadline batches) and may do anything."""
    if actor is None or actor.is_superuser:
        return
    if not actor.has_role(*row.roles):
        roles = "、".join(sorted(role.label for role in row.roles))
        raise IllegalTransition(f"「{row.label}」须由{roles}办理，您的角色不能办理。")
    if row.org_kinds is not None:
        org = actor.organisation
        if org is None or org.kind not in row.org_kinds:
            kinds = "、".join(sorted(kind.label for kind in row.org_kinds))
            raise IllegalTransition(f"「{row.label}」须由{kinds}办理。")


def check_maker(actor: User | None, row: Transition, maker_id: int | None, what: str) -> None:
    if row.checker and actor is not None and maker_id is not None and actor.pk == maker_id:
        raise IllegalTransition(f"「{row.label}」须由另一人办理：{what}本人不能复核自己的工作"
                                "（经办与复核分离）。")


def contract_row(actor: User | None, contract: Contract, action: str) -> Transition:
    """Every check except the action's own; raises IllegalTransition. Used by pages to offer buttons."""
    row = transition_for(CONTRACT_TRANSITIONS, action, contract.state, CONTRACT_LABELS)
    check_actor(actor, row)
    if actor is not None and not contract_scope(actor).filter(pk=contract.pk).exists():
        raise IllegalTransition("该合同不在您的数据范围内。")
    check_maker(actor, row, contract.created_by_id, "合同录入人")
    # The lock is on the county's own work [001 附件三 四.1]; province, bank and university act on.
    county_work = row.org_kinds == COUNTY and contract.county_id is not None
    if county_work and rules.year_locked(contract.county_id, contract.academic_year) and not (
            row.when_locked and contract.state == ContractState.RETURNED):
        raise IllegalTransition(rules.locked_message(contract.county, contract.academic_year))
    return row


def write_event(contract: Contract, *, action: str, from_state: str, actor: User | None,
                comment: str = "", to_state: str | None = None) -> ContractEvent:
    return ContractEvent.objects.create(
        contract=contract, action=action, from_state=from_state, to_state=to_state or contract.state,
        actor=actor,
        actor_label=actor_label(actor), at=timezone.now(), business_date=businessdate.today(),
        comment=comment[:300])


@transaction.atomic
def contract_transition(*, actor: User | None, contract: Contract, action: str, comment: str = "",
                        **data) -> Contract:
    """Apply one action of CONTRACT_TRANSITIONS to one contract (see the module docstring)."""
    if action in BATCH_ONLY:
        raise IllegalTransition("该操作须在批次页面办理。")
    contract = Contract.objects.select_for_update(of=("self",)).select_related("county", "batch") \
        .get(pk=contract.pk)
    row = contract_row(actor, contract, action)
    comment = (comment or "").strip()
    before = contract.state
    run = EFFECTS.get(action)
    if run is not None:
        run(actor=actor, contract=contract, row=row, comment=comment, **data)
    contract.state = row.target_of(before)
    contract.save()
    write_event(contract, action=action, from_state=before, actor=actor, comment=comment)
    return contract


def contracts_move(contract_ids: list[int], *, action: str, actor: User | None, comment: str = "",
                   **fields) -> int:
    """Move many contracts by one row of the table, set-based: one UPDATE, one INSERT of events.

    The caller has checked the actor on the batch; here only the table's source states are enforced
    (the UPDATE is filtered by them, and a mismatch in count is an error).
    """
    row = CONTRACT_TRANSITIONS[action]
    qs = Contract.objects.filter(pk__in=contract_ids)
    sources = list(qs.values_list("pk", "state"))
    wrong = [pk for pk, state in sources if state not in row.sources]
    if wrong or len(sources) != len(set(contract_ids)):
        raise IllegalTransition(f"有{len(wrong) or len(set(contract_ids)) - len(sources)}份合同的状态"
                                f"不能执行「{row.label}」，请刷新后重试。")
    qs.update(state=row.target, **fields)
    now, today, label = timezone.now(), businessdate.today(), actor_label(actor)
    ContractEvent.objects.bulk_create(
        [ContractEvent(contract_id=pk, action=action, from_state=state, to_state=row.target, actor=actor,
                       actor_label=label, at=now, business_date=today, comment=comment[:300])
         for pk, state in sources], batch_size=1000)
    return len(sources)


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
    check_maker(actor, row, getattr(batch, maker) if maker else None, "上一环节经办人")
    return row


def write_batch_event(batch: CountyBatch, *, action: str, from_state: str, actor: User | None,
                      comment: str = "") -> BatchEvent:
    return BatchEvent.objects.create(
        batch=batch, action=action, from_state=from_state, to_state=batch.state, actor=actor,
        actor_label=actor_label(actor), at=timezone.now(), business_date=businessdate.today(),
        comment=comment[:300])


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
    return batch
