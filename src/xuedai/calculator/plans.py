"""A borrower's plan: what is due this year and every settlement to maturity (DOMAIN.md §9)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from xuedai.core.quote import quote
from xuedai.origination.models import Contract

from .contract_request import quote_request_for_contract


@dataclass(frozen=True)
class ContractPlan:
    contract: Contract
    state: dict  # the quote's `as_of` block today
    rows: list[dict]  # every settlement to maturity, if paid on time from today
    next_due: dict | None  # the first settlement after today
    due_now: Decimal  # overdue principal + interest + penalty, payable now


def contract_plan(contract: Contract, today: dt.date, payments: list[dict]) -> ContractPlan:
    request = quote_request_for_contract(contract, today, payments)
    current = quote(request)
    # The plan from today on assumes everything due is paid on time: a notional payment today of
    # more than can ever fall due sits as credit and settles each amount the day it falls due
    # (credit never repays principal early), which is exactly "paying per plan". Same request
    # otherwise (building it again would read the contract's plan changes again).
    notional = {"on": today.isoformat(), "amount": str(contract.amount * 3)}
    plan_request = {**request, "as_of": max(today, contract.maturity_date).isoformat(),
                    "payments": [*payments, notional]}
    rows = quote(plan_request)["settlements"]
    upcoming = [row for row in rows if row["date"] > today.isoformat()]
    state = current["as_of"]
    due_now = sum(
        (Decimal(state[key]) for key in ("overdue_principal", "overdue_interest", "penalty_interest")),
        Decimal(0),
    )
    return ContractPlan(contract, state, rows, upcoming[0] if upcoming else None, due_now)
