"""Reads for the post-loan request pages (status changes, plan changes, certificates), scoped to the
acting user (ARCHITECTURE principle 4): a student sees their own contracts, staff their
organisation's subtree; anything else is a 404."""

from django.db.models import Q, QuerySet
from django.http import Http404

from xuedai.orgs.scope import record_scope_q
from xuedai.origination.models import Contract

from .models import OverdueCertificate, PlanChange, StatusChange


def contract_scope_q(user, prefix: str = "") -> Q:
    return record_scope_q(user, county=f"{prefix}county", university=f"{prefix}university",
                          department=f"{prefix}department", owner=f"{prefix}borrower__user", typed=True)


def contracts_in_scope(user) -> QuerySet[Contract]:
    return Contract.objects.filter(contract_scope_q(user)).select_related(
        "borrower", "policy_version", "county", "county__agent_bank", "university")


def contract_get(user, pk: int) -> Contract:
    contract = contracts_in_scope(user).filter(pk=pk).first()
    if contract is None:
        raise Http404("没有这份合同")
    return contract


def _scoped(model, user) -> QuerySet:
    return model.objects.filter(contract_scope_q(user, prefix="contract__")).select_related(
        "contract", "contract__borrower", "contract__county")


def certificate_list(user) -> QuerySet[OverdueCertificate]:
    return _scoped(OverdueCertificate, user)


def certificate_get(user, pk: int) -> OverdueCertificate:
    found = certificate_list(user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这份申请")
    return found


def status_change_list(user) -> QuerySet[StatusChange]:
    return _scoped(StatusChange, user)


def status_change_get(user, pk: int) -> StatusChange:
    found = status_change_list(user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这条学籍变动")
    return found


def plan_change_list(user) -> QuerySet[PlanChange]:
    return _scoped(PlanChange, user)


def plan_change_get(user, pk: int) -> PlanChange:
    found = plan_change_list(user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这条变更申请")
    return found
