"""Where the loans batches hand work to ``xuedai.batch``'s vectorised kernels.

The kernels mirror ``xuedai.core`` over whole portfolios (NumPy columns, integer fen) with the
same result (``tests/batch`` proves kernel = core):

- settlement: ``xuedai.batch.runs.loans_settlement`` on PostgreSQL — COPY out, the settle kernel,
  COPY postings into ``loans_posting`` for plain accounts; the accounts with credit, reliefs, an
  early repayment, a chosen plan or a suspension are handed back to ``loans.batches`` and settled
  by ``services.settlement_post`` in a later phase of the same job (DOMAIN.md §4);
- classification: ``xuedai.batch.runs.loans_classification`` on PostgreSQL; elsewhere the chunk is
  graded here with the ``xuedai.batch.classify_kernel`` column kernels (DOMAIN.md §6).

The portfolio kernels work on connections of their own (one per core), so they see only committed
rows: inside an open transaction (a test's, a caller's ``atomic``) and on SQLite the scalar path
runs. ``XUEDAI_LOANS_KERNELS=0`` forces the scalar path everywhere.
"""

from __future__ import annotations

import datetime as dt
import os

from xuedai.batch import classify_kernel, exact
from xuedai.core.classification import Grade
from xuedai.core.overdue import overdue_days

from .deduction.layouts import AGENT_BANK, ALIPAY, LAYOUTS, Layout
from .models import GradeRecord, LoanAccount, TermsChange, TermsChangeKind
from .services.servicing import classification_rule
from .terms import loss_contract_ids


def kernels_usable() -> bool:
    from django.db import connection

    return (os.environ.get("XUEDAI_LOANS_KERNELS", "1") != "0" and connection.vendor == "postgresql"
            and not connection.in_atomic_block)


def kernel_layouts() -> dict[str, Layout]:
    """The deduction layouts by channel, as ``xuedai.batch.runs.loans_deduction_files`` takes them."""
    return {"alipay": LAYOUTS[ALIPAY], "agent_bank": LAYOUTS[AGENT_BANK]}


def _grades(rule: str, oldest: list[dt.date | None], on: dt.date) -> list[str]:
    column = exact.days(oldest)
    kernel = classify_kernel.grade_seed if rule == "seed" else classify_kernel.grade_2023
    return [classify_kernel.GRADES[int(r)].value for r in kernel(column, exact.day(on))]


def loss_contracts():
    """Contracts whose borrower's death is confirmed (a queryset of contract ids, recorded by
    post-loan in loans' own table): 损失 whatever the days overdue (DOMAIN.md §6)."""
    return TermsChange.objects.filter(kind=TermsChangeKind.DEATH).values("contract_id")


def _loss_ids(accounts: list[LoanAccount]) -> set[int]:
    """Contracts whose borrower's death is confirmed: 损失 whatever the days overdue (DOMAIN.md §6),
    as the scalar ``services.classify`` grades them."""
    return loss_contract_ids(a.contract_id for a in accounts) if accounts else set()


def classify_accounts(accounts: list[LoanAccount], on: dt.date, job_run) -> int:
    """Grade a chunk of accounts at ``on``; one GradeRecord per account (updated on a re-run)."""
    from xuedai.policies.selectors import contract_region_code

    rules: dict[tuple, str] = {}
    by_rule: dict[str, list[LoanAccount]] = {}
    for account in accounts:
        contract = account.contract
        # The rule depends on product and region only (policy_for), so look it up once per pair.
        key = (contract.product, contract_region_code(contract))
        if key not in rules:
            rules[key] = classification_rule(contract, on)
        by_rule.setdefault(rules[key], []).append(account)
    records = []
    dead = _loss_ids(accounts)
    for rule, group in by_rule.items():
        grades = _grades(rule, [a.oldest_unpaid_due for a in group], on)
        for account, grade in zip(group, grades, strict=True):
            grade = Grade.LOSS.value if account.contract_id in dead else grade
            account.grade, account.graded_on = grade, on
            oldest = account.oldest_unpaid_due
            records.append(GradeRecord(account=account, as_of=on, rule=rule, grade=grade,
                                       oldest_unpaid_due=oldest,
                                       days_overdue=overdue_days(oldest, on) if oldest else 0,
                                       principal_outstanding=account.principal_outstanding, job_run=job_run))
    GradeRecord.objects.bulk_create(records, update_conflicts=True, unique_fields=["account", "as_of"],
                                    update_fields=["rule", "grade", "oldest_unpaid_due", "days_overdue",
                                                   "principal_outstanding", "job_run"])
    by_grade: dict[str, list[int]] = {}
    for account in accounts:
        by_grade.setdefault(account.grade, []).append(account.pk)
    for grade, ids in by_grade.items():  # one UPDATE per grade, not a CASE per row
        LoanAccount.objects.filter(pk__in=ids).update(grade=grade, graded_on=on)
    return len(records)
