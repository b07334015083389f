"""A contract's terms for the core engine: the contract row, its policy version, its relief history.

One function, :func:`contract_terms`, so the services, the deduction run and ``xuedai reconcile`` all
replay a contract with the same terms. What comes from where (DOMAIN.md §1, §4):

- principal, signing rate, maturity, self-pay start: the contract;
- the rate schedule after the signing rate: the contract's ``loans.RateChange`` rows (repricing
  notices and LPR resets, derived by ``loans.rate_schedule``), as ``core.rates.RateChange``;
- day-count basis, settlement day, penalty multiplier, grace years: the signing policy version;
- principal plan: equal yearly principal from the first settlement after the self-pay start moved
  on by the grace years (the calculator's rule, ``calculator.contract_request``), or everything at
  maturity while the self-pay start is unknown; an approved 还款计划变更 replaces it (principal
  charged before the chosen plan starts, then the chosen instalments — what the calculator shows);
- borrower periods: the self-pay start plus confirmed suspensions (休学: the borrower pays until the
  subsidy resumes on return), through ``core.subsidy.borrower_periods``;
- relief programmes applied to the account, in year order (``core.relief.apply_relief``);
- staged disbursement: origination's planned instalments not cancelled by a stop, as
  ``core.tranches.Tranche`` — the principal is what they add up to (a stop cancels the rest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from xuedai.core.daycount import MonthDay, add_years, next_occurrence
from xuedai.core.early_repayment import early_repayment_deduction_date
from xuedai.core.rates import RateChange
from xuedai.core.relief import ReliefProgramme, apply_relief
from xuedai.core.schedule import Instalment, default_principal_plan
from xuedai.core.subsidy import Suspension, borrower_periods
from xuedai.core.terms import EarlyRepayment, LoanTerms
from xuedai.core.tranches import Tranche

from .models.terms_changes import TermsChangeKind


def principal_from(contract) -> dt.date | None:
    """First principal date: first settlement after self-pay start + the version's grace years."""
    if contract.self_pay_from is None:
        return None
    policy = contract.policy_version
    first = next_occurrence(contract.self_pay_from, MonthDay.parse(policy.settlement_day))
    return add_years(first, policy.grace_years)


def contract_terms(contract, reliefs=None) -> LoanTerms:
    """Terms of ``contract`` (disbursed) with ``reliefs`` (ReliefApplication rows; None: load them)."""
    policy = contract.policy_version
    staged = tranches(contract)
    terms = LoanTerms(
        principal=sum((t.amount for t in staged), Decimal(0)) if staged else contract.amount,
        disbursed_on=contract.disbursed_on,
        annual_rate=contract.annual_rate,
        maturity=contract.maturity_date,
        basis=policy.interest_basis,
        borrower_periods=borrower_periods(self_pay_from=contract.self_pay_from,
                                          suspensions=confirmed_suspensions(contract)),
        settlement_day=MonthDay.parse(policy.settlement_day),
        penalty_multiplier=policy.penalty_multiplier,
        rate_changes=rate_changes(contract),
        misuse_from=misuse_from(contract),
        misuse_multiplier=policy.misuse_penalty_multiplier,
        tranches=staged,
    )
    plan = chosen_plan(contract)
    first_due = principal_from(contract)
    if plan is None and first_due is not None and first_due <= terms.maturity:
        plan = default_principal_plan(terms.principal, first_due, terms.settlement_dates())
    if plan:
        terms = replace(terms, principal_plan=tuple(plan))
    if reliefs is None:
        reliefs = list(contract.account.reliefs.all()) if hasattr(contract, "account") else []
    for relief in sorted(reliefs, key=lambda r: (r.programme.year, r.applied_on)):
        terms = apply_relief(terms, relief.as_core())
    return terms


def rate_changes(contract) -> tuple[RateChange, ...]:
    """The contract's recorded rate changes, oldest first (through ``.all()``: prefetchable)."""
    if contract.pk is None:
        return ()
    rows = sorted(contract.rate_changes.all(), key=lambda r: r.effective_from)
    return tuple(RateChange(r.effective_from, r.annual_rate) for r in rows)


def tranches(contract) -> tuple[Tranche, ...]:
    """Staged disbursement: the contract's planned instalments (``origination.Instalment``) not
    cancelled by a stop (``loans.TrancheCancellation``), summed per day; () when it is paid out at
    once (no plan, or a plan of one day). Through ``.all()``: prefetchable."""
    if contract.pk is None:
        return ()
    rows = list(contract.instalments.all())
    if len({r.due_on for r in rows}) <= 1:
        return ()
    from .models import TrancheCancellation

    cancelled = set(TrancheCancellation.objects.filter(instalment__contract_id=contract.pk)
                    .values_list("instalment_id", flat=True))
    by_day: dict[dt.date, Decimal] = {}
    for row in rows:
        if row.pk not in cancelled:
            by_day[row.due_on] = by_day.get(row.due_on, Decimal(0)) + row.amount
    return tuple(Tranche(day, amount) for day, amount in sorted(by_day.items()))


def _terms_changes(contract, kind: str) -> list:
    """The contract's recorded changes of ``kind``, oldest first; through ``.all()``, so a caller
    that prefetched ``terms_changes`` pays no query. An unsaved contract has none."""
    if contract.pk is None:
        return []
    return [c for c in contract.terms_changes.all() if c.kind == kind]


def confirmed_suspensions(contract) -> list[Suspension]:
    """Confirmed 休学: the borrower pays interest until the subsidy resumes on return (DOMAIN.md §4
    Status changes; core.subsidy.borrower_periods)."""
    return [Suspension(c.starts_on, c.ends_on) for c in _terms_changes(contract, TermsChangeKind.SUSPENSION)]


def misuse_from(contract) -> dt.date | None:
    """The first day misuse of funds was flagged (None: never): the misuse multiplier from then on."""
    days = [c.starts_on for c in _terms_changes(contract, TermsChangeKind.MISUSE) if c.starts_on]
    return min(days) if days else None


def confirmed_loss(contract) -> bool:
    """A confirmed death: 损失 whatever the days overdue (DOMAIN.md §6)."""
    return bool(_terms_changes(contract, TermsChangeKind.DEATH))


def loss_contract_ids(contract_ids) -> set[int]:
    """Of ``contract_ids``, those with a confirmed death (one query for a batch chunk)."""
    from .models import TermsChange

    return set(TermsChange.objects.filter(contract_id__in=list(contract_ids), kind=TermsChangeKind.DEATH)
               .values_list("contract_id", flat=True))


def approved_instalments(contract) -> list[Instalment] | None:
    """The latest approved 还款计划变更's instalments (latest decision wins); None: no chosen plan."""
    plans = _terms_changes(contract, TermsChangeKind.CHOSEN_PLAN)
    if not plans:
        return None
    latest = max(plans, key=lambda c: (c.decided_at, c.pk))
    return [Instalment(dt.date.fromisoformat(str(i["due"])), Decimal(str(i["amount"])))
            for i in latest.instalments] or None


def chosen_plan(contract) -> list[Instalment] | None:
    """The approved chosen plan, whole (DOMAIN.md §4 Principal plan); None: the default plan."""
    chosen = approved_instalments(contract)
    if not chosen:
        return None
    # The chosen plan spreads only the principal not yet due when the student applied
    # (postloan check_plan), so what was charged before it starts stays as charged; charges on or
    # after its first date are its own instalments and must not be counted twice.
    first = min(i.due for i in chosen)
    return [i for i in charged_principal(contract.pk) if i.due < first] + sorted(chosen)


def charged_principal(account_id: int) -> list[Instalment]:
    """Principal the ledger has charged as due, net of reversals, by due day."""
    from django.db.models import Q

    from .models import Kind, Posting

    by_due: dict[dt.date, Decimal] = {}
    rows = (Posting.objects.filter(account_id=account_id)
            .filter(Q(kind=Kind.PRINCIPAL) | Q(kind=Kind.REVERSAL, reverses__kind=Kind.PRINCIPAL))
            .values_list("kind", "due_on", "amount", "reverses__due_on"))
    for kind, due_on, amount, reversed_due in rows:
        due, signed = (reversed_due, -amount) if kind == Kind.REVERSAL else (due_on, amount)
        by_due[due] = by_due.get(due, Decimal(0)) + signed
    return [Instalment(due, amount) for due, amount in sorted(by_due.items()) if amount > 0]


def relief_as_core(programme, applied_on, defer_principal: bool) -> ReliefProgramme:
    return ReliefProgramme(year=programme.year, applied_on=applied_on,
                           waive_interest=programme.waive_interest, waive_penalty=programme.waive_penalty,
                           defer_principal=defer_principal and programme.allow_deferral)


def early_repayment_date(contract, applied_on):
    """The deduction day of an early-repayment application (DOMAIN.md §1; core.early_repayment).

    The seed version reads "before the 10th of Jan–Oct"; the newer ones "by the 15th"; a "notice"
    version (campus, commercial) needs its notice days first, then the next deduction day.
    """
    rule = contract.policy_version.early_repayment_rule
    if rule == "seed_before_10th":
        return early_repayment_deduction_date(applied_on, "seed")
    if rule == "notice":
        notice = contract.policy_version.early_repayment_notice_days
        ready = applied_on + dt.timedelta(days=notice)
        day = ready.replace(day=20) if ready.day <= 20 else _next_month_20th(ready)
        return _next_month_20th(day) if day.month == 11 else day
    return early_repayment_deduction_date(applied_on, "policy")


def _next_month_20th(day):
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=20)


def early_repayments_core(applications) -> list[EarlyRepayment]:
    return [EarlyRepayment(a.deduct_on, a.principal) for a in applications]
