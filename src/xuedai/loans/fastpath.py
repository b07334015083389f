"""Where the loans batches hand work to ``xuedai.batch``'s vectorised kernels.

The batch engineer's kernels mirror ``xuedai.core`` over whole portfolios (NumPy columns, integer
fen). Each function here uses a kernel when ``xuedai.batch`` provides it and falls back to the
scalar core otherwise, with the same result (``tests/batch`` proves kernel = core):

- classification: ``xuedai.batch.classify.grade_seed`` / ``grade_2023`` over the chunk's column of
  oldest unpaid due dates, one as-of day (a quarter end);
- settlement: ``xuedai.batch.loans_settlement(business_date, job_run, actor=, out=)`` on
  PostgreSQL — COPY out, the settle kernel, COPY postings into ``loans_posting`` for plain accounts,
  and ``services.settlement_post`` for accounts with credit, reliefs or an early repayment;
- classification: ``xuedai.batch.loans_classification(as_of, job_run, actor=, out=)`` on
  PostgreSQL; elsewhere the chunk is graded here with the ``xuedai.batch.classify`` column kernels.

The portfolio kernels work on connections of their own (one per core), so they see only committed
rows: inside an open transaction (a test's, a caller's ``atomic``) and on SQLite the scalar path
runs. ``XUEDAI_LOANS_KERNELS=0`` forces the scalar path everywhere.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os

from xuedai.core.classification import Grade
from xuedai.core.classification import grade as grade_scalar
from xuedai.core.overdue import overdue_days

from .models import GradeRecord, LoanAccount
from .services.servicing import classification_rule
from .terms import loss_contract_ids


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def kernels_usable() -> bool:
    from django.db import connection

    return (os.environ.get("XUEDAI_LOANS_KERNELS", "1") != "0" and connection.vendor == "postgresql"
            and not connection.in_atomic_block)


def portfolio_kernel(name: str):
    """``xuedai.batch.<name>`` (loans_settlement, loans_classification) when usable, else None."""
    if not kernels_usable():
        return None
    batch = _module("xuedai.batch")
    try:
        return getattr(batch, name, None) if batch else None
    except (AttributeError, ImportError):
        return None


def _grades(rule: str, oldest: list[dt.date | None], on: dt.date) -> list[str]:
    kernels = _module("xuedai.batch.classify")
    exact = _module("xuedai.batch.exact")
    if kernels is not None and exact is not None and hasattr(kernels, "grade_seed"):
        column = exact.days(oldest)
        ranks = (kernels.grade_seed if rule == "seed" else kernels.grade_2023)(column, exact.day(on))
        return [kernels.GRADES[int(r)].value for r in ranks]
    return [grade_scalar(rule, d, on).value for d in oldest]


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
