"""A borrower's coming due dates and amounts, from the core engine through calculator.contract_plan,
summed over their live contracts — what the 还款确认书, the 还款提醒卡 and every reminder quote.
Also the payment channel: the Alipay account, or the agent bank for counties served by one
(DOMAIN.md §4 Channels)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from xuedai.borrowers.models import Borrower
from xuedai.calculator.payments import payments_for_contract
from xuedai.calculator.plans import ContractPlan, contract_plan
from xuedai.loans.models import LoanAccount
from xuedai.origination.models import LIVE_STATES, Contract

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DueRow:
    on: dt.date
    interest: Decimal  # the borrower's own interest (自付利息); 贴息 is the state's, not on the card
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.interest + self.principal


@dataclass
class BorrowerPlan:
    contracts: list[Contract]
    plans: list[ContractPlan]
    rows: list[DueRow] = field(default_factory=list)  # every settlement after today, by date
    due_now: Decimal = ZERO  # overdue principal + interest + penalty today

    @property
    def next_due(self) -> DueRow | None:
        return next((row for row in self.rows if row.total > 0), None)

    def upcoming(self, count: int) -> list[DueRow]:
        return [row for row in self.rows if row.total > 0][:count]


def live_contracts(borrower: Borrower) -> list[Contract]:
    return list(Contract.objects.filter(borrower=borrower, state__in=LIVE_STATES, disbursed_on__isnull=False)
                .select_related("policy_version", "county", "county__agent_bank")
                .order_by("academic_year", "pk"))


def borrower_plan(borrower: Borrower, today: dt.date, contracts: list[Contract] | None = None
                  ) -> BorrowerPlan:
    """Sum the contracts' settlements by date: 2 contracts due on 2027-12-20 → one row."""
    contracts = live_contracts(borrower) if contracts is None else contracts
    plans = [contract_plan(c, today, payments_for_contract(c)) for c in contracts
             if c.disbursed_on and c.disbursed_on <= today]
    by_date: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for plan in plans:
        for row in plan.rows:
            if row["date"] > today.isoformat():
                by_date[row["date"]][0] += Decimal(row["borrower_interest"])
                by_date[row["date"]][1] += Decimal(row["principal_due"])
    rows = [DueRow(dt.date.fromisoformat(on), interest, principal)
            for on, (interest, principal) in sorted(by_date.items())]
    return BorrowerPlan(contracts, plans, rows, sum((p.due_now for p in plans), ZERO))


def payment_channel(borrower: Borrower, contracts: list[Contract] | None = None, *,
                    short: bool = False) -> str:
    """"支付宝账户：zxdk…@alipay.cdb" or "代理行：三台县农村信用联社…" — where the money must be
    deposited; `short` for text messages ("三台县农村信用联社还款账户")."""
    county = borrower.county
    if county is not None and county.agent_bank_id:
        if short:
            return f"{county.agent_bank.name}还款账户"
        return f"代理行：{county.agent_bank.name}（请存入本人在代理行开立的还款账户）"
    ids = [c.pk for c in contracts] if contracts is not None else None
    accounts = LoanAccount.objects.filter(contract__borrower=borrower).exclude(channel_account="")
    if ids is not None:
        accounts = accounts.filter(contract_id__in=ids)
    account = accounts.order_by("contract_id").values_list("channel_account", flat=True).first() or ""
    if short:
        return f"支付宝账户{account}" if account else "本人支付宝还款账户"
    return f"支付宝账户：{account}" if account else "支付宝账户：签订合同时开立的本人还款账户"


def deposit_days(contracts: list[Contract]) -> int:
    """The policy's lead time for deposits, the longest over the borrower's contracts ([001 附件四]
    asks for ≥ 10 days; newer versions may carry 0)."""
    return max((c.policy_version.deposit_days_before for c in contracts), default=0)
