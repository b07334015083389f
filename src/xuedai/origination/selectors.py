"""Scoped reads of contracts (ARCHITECTURE principle 4), and the counts home pages show.

Counts are grouped in the database (one GROUP BY over indexed columns), never by loading rows:
a province or the head office may look at a million contracts.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from xuedai.orgs.models import User
from xuedai.orgs.scope import record_scope_q

from .models import Application, BatchEvent, Contract, ContractEvent, ContractState, CountyBatch


@dataclass(frozen=True)
class ContractFilters:
    state: str = ""
    academic_year: int | None = None
    borrower: int | None = None
    county: int | None = None
    university: int | None = None


def application_scope(user: User) -> QuerySet[Application]:
    """Online applications: the student's own; staff by the county (and university) they name."""
    return Application.objects.filter(record_scope_q(user, department=None, owner="borrower__user"))


def application_get(user: User, pk: int) -> Application:
    try:
        return application_scope(user).select_related("borrower", "co_borrower", "county", "university").get(
            pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该申请，或不在您的数据范围内。") from None


def batch_scope(user: User) -> QuerySet[CountyBatch]:
    """County batches: the county's own, and those of the counties under a province or branch."""
    if user.is_student:
        return CountyBatch.objects.none()
    return CountyBatch.objects.filter(record_scope_q(user, university="county", department=None))


def batch_get(user: User, pk: int) -> CountyBatch:
    try:
        return batch_scope(user).select_related(
            "county", "summarised_by", "submitted_by", "audited_by", "reviewed_by", "bank_reviewed_by"
        ).get(pk=pk)
    except (CountyBatch.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该批次，或不在您的数据范围内。") from None


def contract_timeline(contract: Contract) -> list:
    """The contract's own events and those of the batch it was last submitted in, oldest first.
    Call only with a contract fetched through contract_get (in scope)."""
    events = list(ContractEvent.objects.filter(contract=contract).select_related("actor"))
    if contract.batch_id:
        events += list(BatchEvent.objects.filter(batch_id=contract.batch_id))
    return sorted(events, key=lambda event: (event.at, event.pk))


def contract_scope(user: User) -> QuerySet[Contract]:
    return Contract.objects.filter(record_scope_q(user, owner="borrower__user", typed=True))


def contract_list(user: User, filters: ContractFilters | None = None) -> QuerySet[Contract]:
    f = filters or ContractFilters()
    qs = contract_scope(user).select_related("borrower", "county", "university", "department")
    if f.state:
        qs = qs.filter(state=f.state)
    if f.academic_year:
        qs = qs.filter(academic_year=f.academic_year)
    if f.borrower:
        qs = qs.filter(borrower_id=f.borrower)
    if f.county:
        qs = qs.filter(county_id=f.county)
    if f.university:
        qs = qs.filter(university_id=f.university)
    return qs.order_by("-academic_year", "-id")


def contract_get(user: User, pk: int) -> Contract:
    try:
        return contract_scope(user).select_related(
            "borrower", "co_borrower", "county", "university", "department", "policy_version").get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该合同，或不在您的数据范围内。") from None


def contract_counts_by_state(user: User, *, academic_year: int | None = None,
                             extra: Q | None = None) -> dict[str, int]:
    """{state: count} for the user's scope, every state present (zeros included)."""
    qs = contract_scope(user)
    if academic_year:
        qs = qs.filter(academic_year=academic_year)
    if extra is not None:
        qs = qs.filter(extra)
    counts = {state.value: 0 for state in ContractState}
    for row in qs.order_by().values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


def contract_counts_by_org(user: User, org_field: str, *, states: list[str] | None = None,
                           academic_year: int | None = None) -> list[dict]:
    """[{"org": name, "state": state, "n": count}] grouped by county or university, for tables."""
    if org_field not in {"county", "university"}:
        raise ValueError(org_field)
    qs = contract_scope(user).filter(**{f"{org_field}__isnull": False})
    if states:
        qs = qs.filter(state__in=states)
    if academic_year:
        qs = qs.filter(academic_year=academic_year)
    rows = (qs.order_by().values(f"{org_field}__name", "state").annotate(n=Count("id"))
            .order_by(f"{org_field}__name", "state"))
    return [{"org": row[f"{org_field}__name"], "state": row["state"], "n": row["n"]} for row in rows]


def borrowers_with_contracts_count(user: User, *, academic_year: int, states: list[str]) -> int:
    """Distinct borrowers with a contract of the year in the given states (e.g. 'current loans')."""
    return (contract_scope(user).filter(academic_year=academic_year, state__in=states)
            .values("borrower_id").distinct().count())


def overdue_borrowers_count(user: User) -> int:
    return contract_scope(user).filter(state=ContractState.OVERDUE).values("borrower_id").distinct().count()
