"""Flagging misuse of funds (挪用): penalty interest from that day at the policy's misuse multiplier.

DOMAIN.md §1 penalty interest: 130 % of the contract rate, 150 % for misuse of funds (the policy
version's ``misuse_penalty_multiplier``). A supervisor flags it with a reason; the flag is a
``TermsChange`` of kind ``misuse`` (loans' own table, read by ``loans.terms.contract_terms`` as
``LoanTerms.misuse_from``), so the engine, the ledger replay and the deduction run's penalty kernel
all switch multiplier on the same day. Penalties already charged are not rewritten: the day may not
precede a posting already made (the ledger is append-only; a correction would be a reversal).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from xuedai.audit.services import audit_record

from ..models import LoanAccount, TermsChangeKind
from ..models.kinds import OUTSIDE_ENGINE
from .terms_changes import terms_change_record


@transaction.atomic(durable=True)
def misuse_flag(*, actor, account: LoanAccount, on: dt.date, reason: str):
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "挪用原因：请填写认定挪用贷款的事实与依据。"
    if account.contract.terms_changes.filter(kind=TermsChangeKind.MISUSE).exists():
        errors["reason"] = "该合同已标记挪用贷款，无需重复标记。"
    if account.postings.filter(business_date__gt=on).exclude(kind__in=OUTSIDE_ENGINE).exists():
        errors["on"] = f"认定日期：账户在 {on:%Y-%m-%d} 之后已有分录，不能追溯标记（已计罚息不改写）。"
    if errors:
        raise ValidationError(errors)
    change = terms_change_record(actor=actor, contract=account.contract, kind=TermsChangeKind.MISUSE,
                                 starts_on=on, source=reason)
    multiplier = account.contract.policy_version.misuse_penalty_multiplier
    audit_record(actor=actor, action="loans.misuse_flag", obj=change, subject=account.contract,
                 after={"on": on, "reason": reason, "multiplier": multiplier})
    return change
