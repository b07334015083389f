"""Applying the campus and commercial transition tables (ARCHITECTURE principle 3).

The same discipline as services.transitions for 生源地: the table allows the action from the state;
the actor has the row's role at the row's kind of organisation; the contract is in scope; the checker
did not take any of the earlier actions named in the product's MAKERS (maker ≠ checker); a danger
action carries a reason. Then the product's effect runs (its own rules: notice period, quota, …),
the state moves and a ContractEvent is written. Effects register by (product, action).
"""

from collections.abc import Callable

from django.db import transaction

from xuedai.orgs.models import User

from ..campus.workflow import CAMPUS_TRANSITIONS
from ..campus.workflow import MAKERS as CAMPUS_MAKERS
from ..commercial.workflow import COMMERCIAL_TRANSITIONS
from ..commercial.workflow import MAKERS as COMMERCIAL_MAKERS
from ..models import Contract, ContractEvent, ContractState
from ..products import Product
from ..selectors import contract_scope
from ..workflow import IllegalTransition, Transition, actions_from, transition_for
from .transitions import check_actor, write_event

LABELS = dict(ContractState.choices)
TABLES: dict[str, tuple[dict[str, Transition], dict[str, tuple[str, ...]]]] = {
    Product.CAMPUS: (CAMPUS_TRANSITIONS, CAMPUS_MAKERS),
    Product.COMMERCIAL: (COMMERCIAL_TRANSITIONS, COMMERCIAL_MAKERS),
}
Effect = Callable[..., None]
EFFECTS: dict[tuple[str, str], Effect] = {}


def product_effect(product: str, action: str) -> Callable[[Effect], Effect]:
    def register(function: Effect) -> Effect:
        EFFECTS[(product, action)] = function
        return function

    return register


def _register_effects() -> None:
    """The product modules register their effects when imported; they import this module, so they
    are imported here, late, rather than at the top."""
    from ..campus import services as _campus  # noqa: F401
    from ..commercial import services as _commercial  # noqa: F401


def table_of(contract: Contract) -> dict[str, Transition]:
    if contract.product not in TABLES:
        raise IllegalTransition("生源地贷款合同请在生源地合同页面办理。")
    return TABLES[contract.product][0]


def check_makers(actor: User | None, contract: Contract, row: Transition) -> None:
    """The checker may not be anyone who took the earlier steps named in MAKERS [002][003]."""
    if actor is None or not row.checker:
        return
    earlier = TABLES[contract.product][1].get(row.action, ())
    makers = set(
        ContractEvent.objects.filter(contract=contract, action__in=earlier).values_list("actor_id", flat=True)
    )
    if actor.pk in makers:
        table = TABLES[contract.product][0]
        steps = "、".join(table[a].label for a in earlier if a in table)
        raise IllegalTransition(
            f"「{row.label}」须由另一人办理：您已办理「{steps}」，经办与复核不能是同一人。"
        )


def flow_row(actor: User | None, contract: Contract, action: str) -> Transition:
    """Every check except the action's own rules; pages use it to decide which buttons to show."""
    row = transition_for(table_of(contract), action, contract.state, LABELS)
    check_actor(actor, row)
    if actor is not None and not contract_scope(actor).filter(pk=contract.pk).exists():
        raise IllegalTransition("该合同不在您的数据范围内。")
    check_makers(actor, contract, row)
    return row


def flow_can(actor: User, contract: Contract, action: str) -> bool:
    try:
        flow_row(actor, contract, action)
    except IllegalTransition:
        return False
    return True


def flow_actions(actor: User, contract: Contract) -> list[Transition]:
    if contract.product not in TABLES:
        return []
    return [
        row
        for row in actions_from(table_of(contract), contract.state)
        if flow_can(actor, contract, row.action)
    ]


@transaction.atomic
def flow_transition(
    *, actor: User | None, contract: Contract, action: str, comment: str = "", **data
) -> Contract:
    """Apply one row of the contract's product table to one contract (see the module docstring)."""
    _register_effects()
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("borrower", "university", "policy_version")
        .get(pk=contract.pk)
    )
    row = flow_row(actor, contract, action)
    comment = (comment or "").strip()
    if row.danger and not comment:
        raise IllegalTransition(f"「{row.label}」须填写原因。")
    before = contract.state
    run = EFFECTS.get((contract.product, action))
    if run is not None:
        note = run(actor=actor, contract=contract, row=row, comment=comment, **data)
        comment = "；".join(part for part in (comment, note or "") if part)
    # An effect may have refreshed the row (the ledger moves the state itself on disbursement).
    contract.state = row.target_of(contract.state)
    contract.save()
    write_event(contract, action=action, from_state=before, actor=actor, comment=comment)
    return contract
