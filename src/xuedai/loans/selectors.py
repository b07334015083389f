"""Reads of the loans app, always scoped to the acting user (ARCHITECTURE principle 4).

A loan account is in scope when its contract is (signing county, university, department; a
student sees their own). A deduction run is listed when any of its lines is in scope; its files
are whole-run files, so they are handed out whole only to users who see every line of the run —
anyone else gets the run's lines in their own scope (the county's 扣款明细表, DOMAIN.md §4).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xuedai.orgs.scope import record_scope_q

from .models import DeductionLine, DeductionRun, LoanAccount, Posting


def account_scope_q(user, prefix: str = "") -> Q:
    return record_scope_q(user, county=f"{prefix}contract__county",
                          university=f"{prefix}contract__university",
                          department=f"{prefix}contract__department",
                          owner=f"{prefix}contract__borrower__user", typed=True)


def account_list(user) -> QuerySet[LoanAccount]:
    return LoanAccount.objects.filter(account_scope_q(user)).select_related("contract__borrower")


def account_get(user, contract_id: int) -> LoanAccount:
    account = (account_list(user).select_related("contract__policy_version", "contract__county",
                                                 "contract__university")
               .filter(pk=contract_id).first())
    if account is None:
        raise Http404("没有这个贷款账户")
    return account


def account_postings(account: LoanAccount) -> QuerySet[Posting]:
    return account.postings.select_related("reverses").order_by("business_date", "id")


def line_scope_q(user) -> Q:
    return account_scope_q(user, prefix="account__")


def deduction_run_list(user) -> QuerySet[DeductionRun]:
    runs = DeductionLine.objects.filter(line_scope_q(user)).values("run_id")
    return DeductionRun.objects.filter(pk__in=runs).select_related("agent_bank")


def deduction_run_get(user, pk: int) -> DeductionRun:
    run = deduction_run_list(user).filter(pk=pk).first()
    if run is None:
        raise Http404("没有这个批量扣款")
    return run


def sees_whole_run(user, run: DeductionRun) -> bool:
    return not run.lines.exclude(line_scope_q(user)).exists()


def run_lines_in_scope(user, run: DeductionRun) -> QuerySet[DeductionLine]:
    return run.lines.filter(line_scope_q(user)).select_related("account__contract__borrower", "county")
