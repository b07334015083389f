"""Turn a contract into a quote request, so a student's page and `xuedai quote` share one engine."""

import datetime as dt

from xuedai.loans.terms import chosen_plan as ledger_chosen_plan
from xuedai.loans.terms import principal_from
from xuedai.origination.models import Contract


def quote_request_for_contract(
    contract: Contract, as_of: dt.date, payments: list[dict] | None = None
) -> dict:
    policy = contract.policy_version
    request = {
        "annual_rate": str(contract.annual_rate),
        "basis": policy.interest_basis,
        "principal": str(contract.amount),
        "disbursed_on": contract.disbursed_on.isoformat(),
        "maturity": contract.maturity_date.isoformat(),
        "settlement_day": policy.settlement_day,
        "penalty_multiplier": str(policy.penalty_multiplier),
        "as_of": as_of.isoformat(),
        "payments": payments or [],
    }
    if contract.self_pay_from:
        request["self_pay_from"] = contract.self_pay_from.isoformat()
        # Principal starts after the policy's grace years (DOMAIN.md §1 宽限期) — the same rule the
        # ledger's terms use (loans.terms.principal_from), so the page and the ledger agree.
        first = principal_from(contract)
        if first is not None and first <= contract.maturity_date:
            request["principal_from"] = first.isoformat()
    plan = chosen_plan(contract)
    if plan:
        request["principal_plan"] = plan
    return request


def chosen_plan(contract: Contract) -> list[dict] | None:
    """An approved 还款计划变更, whole, exactly as the ledger settles it (loans.terms.chosen_plan)."""
    if contract.pk is None:
        return None
    plan = ledger_chosen_plan(contract)
    if not plan:
        return None
    return [{"due": i.due.isoformat(), "amount": str(i.amount)} for i in plan]
