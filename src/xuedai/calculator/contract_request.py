"""Turn a contract into a quote request, so a student's page and `xuedai quote` share one engine."""

import datetime as dt

from xuedai.core.daycount import MonthDay, add_years, next_occurrence
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
        # Principal starts after the policy's grace years (DOMAIN.md §1 宽限期): the first
        # settlement after the self-pay start, moved on by the grace years.
        first = next_occurrence(contract.self_pay_from, MonthDay.parse(policy.settlement_day))
        principal_from = add_years(first, policy.grace_years)
        if principal_from <= contract.maturity_date:
            request["principal_from"] = principal_from.isoformat()
    return request
