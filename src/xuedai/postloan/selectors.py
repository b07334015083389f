"""Reads for post-loan work, always through the acting user's scope (ARCHITECTURE principle 4).

A department staff member sees their department's borrowers; a university its own; a county the
borrowers it signed. Out of scope is a 404 (borrowers.selectors.borrower_get).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear

from xuedai.borrowers.models import Borrower
from xuedai.borrowers.selectors import borrower_scope
from xuedai.orgs.models import User
from xuedai.orgs.scope import record_scope_q
from xuedai.origination.models import LIVE_STATES, Contract, ContractState

from . import rules
from .models import (
    Assignment,
    ConfirmationStatus,
    ContactLog,
    ContactResult,
    GraduationConfirmation,
    LostContactFlag,
    LostContactStatus,
)

NO_DEPARTMENT = "(未分院系)"


def owing_q() -> Q:
    """Borrowers with money still out: a contract disbursed, repaying or overdue. Those who have paid
    everything off (all contracts settled) are left off every post-loan list (DOMAIN.md §5)."""
    return Q(Exists(Contract.objects.filter(borrower=OuterRef("pk"), state__in=LIVE_STATES)))


def year_q(year: int) -> Q:
    # A date range, not __year, so the (university, graduation_date) index applies.
    return Q(graduation_date__gte=dt.date(year, 1, 1), graduation_date__lt=dt.date(year + 1, 1, 1))


def _annotated(qs: QuerySet[Borrower], year: int | None) -> QuerySet[Borrower]:
    current = Assignment.objects.filter(borrower=OuterRef("pk"), ended_on__isnull=True)
    qs = qs.annotate(
        staff_id=Subquery(current.values("staff_id")[:1]),
        staff_name=Subquery(current.values("staff__real_name")[:1]),
        contract_count=Count("contracts", filter=Q(contracts__state__in=LIVE_STATES), distinct=True),
        loan_total=Sum("contracts__amount", filter=Q(contracts__state__in=LIVE_STATES)),
        outstanding=Sum("contracts__outstanding_principal", filter=Q(contracts__state__in=LIVE_STATES)),
        overdue_since=Max("contracts__overdue_since", filter=Q(contracts__state__in=LIVE_STATES)),
        is_overdue=Exists(Contract.objects.filter(borrower=OuterRef("pk"), state=ContractState.OVERDUE)),
        last_contact_on=Subquery(ContactLog.objects.filter(borrower=OuterRef("pk"))
                                 .order_by("-contacted_on").values("contacted_on")[:1]),
        next_contact_on=Subquery(ContactLog.objects.filter(borrower=OuterRef("pk"))
                                 .order_by("-contacted_on", "-id").values("next_contact_on")[:1]),
        lost_contact=Exists(LostContactFlag.objects.filter(borrower=OuterRef("pk"),
                                                           status=LostContactStatus.OPEN)),
    )
    # A given year, or each borrower's own graduation year (the worklist spans years).
    confirmation = GraduationConfirmation.objects.filter(
        borrower=OuterRef("pk"),
        graduation_year=year if year is not None else ExtractYear(OuterRef("graduation_date")))
    return qs.annotate(confirmation_status=Subquery(confirmation.values("status")[:1]),
                       confirmation_changed=Subquery(confirmation.values("changed")[:1]))


@dataclass(frozen=True)
class GraduateFilters:
    year: int
    department: int | None = None
    staff: int | None = None
    unassigned: bool = False


def graduating_borrowers(user: User, filters: GraduateFilters) -> QuerySet[Borrower]:
    """学生台账 by graduation year [000 二]: borrowers in scope graduating that year who still owe."""
    qs = borrower_scope(user).filter(year_q(filters.year)).filter(owing_q())
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    qs = _annotated(qs.select_related("department", "county", "university"), filters.year)
    if filters.staff:
        qs = qs.filter(staff_id=filters.staff)
    if filters.unassigned:
        qs = qs.filter(staff_id__isnull=True)
    return qs.order_by(F("department__name").asc(nulls_last=True), "student_no", "id")


def my_worklist(user: User, year: int | None = None) -> QuerySet[Borrower]:
    """A staff member's own borrowers (包干到人): current assignments, still owing, within scope."""
    mine = Assignment.objects.filter(staff=user, ended_on__isnull=True).values("borrower_id")
    qs = borrower_scope(user).filter(pk__in=mine).filter(owing_q())
    if year is not None:
        qs = qs.filter(year_q(year))
    return _annotated(qs.select_related("department", "county"), year).order_by(
        F("next_contact_on").asc(nulls_first=True), "student_no", "id")


def assignment_history(borrower: Borrower) -> QuerySet[Assignment]:
    """Call with a borrower fetched through borrower_get (in scope)."""
    return borrower.postloan_assignments.select_related("staff", "department", "assigned_by", "ended_by")


def current_assignment(borrower: Borrower) -> Assignment | None:
    return borrower.postloan_assignments.filter(ended_on__isnull=True).select_related("staff").first()


def confirmation_for(borrower: Borrower, year: int) -> GraduationConfirmation | None:
    return GraduationConfirmation.objects.filter(borrower=borrower, graduation_year=year).first()


def confirmation_queue(user: User, year: int, status: str = ConfirmationStatus.APPLIED
                       ) -> QuerySet[GraduationConfirmation]:
    scope = record_scope_q(user, county="borrower__county", university="borrower__university",
                           department="borrower__department", owner="borrower__user")
    return (GraduationConfirmation.objects.filter(scope, graduation_year=year, status=status)
            .select_related("borrower", "borrower__department").order_by("applied_at", "id"))


@dataclass
class DepartmentProgress:
    department: str
    total: int = 0
    applied: int = 0
    confirmed: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.confirmed


def confirmation_progress(user: User, year: int) -> tuple[list[DepartmentProgress], QuerySet[Borrower]]:
    """The 30 June view [000 八]: per department, how many are confirmed, and who is still missing
    (not applied, applied but not confirmed, or returned)."""
    status = Subquery(GraduationConfirmation.objects.filter(borrower=OuterRef("pk"), graduation_year=year)
                      .values("status")[:1])
    base = borrower_scope(user).filter(year_q(year)).filter(owing_q()).annotate(confirmation_status=status)
    by_dept: dict[str, DepartmentProgress] = {}
    rows = base.values("department__name", "confirmation_status").annotate(n=Count("id")).order_by()
    for row in rows:
        name = row["department__name"] or NO_DEPARTMENT
        progress = by_dept.setdefault(name, DepartmentProgress(name))
        progress.total += row["n"]
        if row["confirmation_status"] in (ConfirmationStatus.APPLIED, ConfirmationStatus.CONFIRMED):
            progress.applied += row["n"]
        if row["confirmation_status"] == ConfirmationStatus.CONFIRMED:
            progress.confirmed += row["n"]
    missing = graduating_borrowers(user, GraduateFilters(year=year)).filter(
        Q(confirmation_status__isnull=True) | ~Q(confirmation_status=ConfirmationStatus.CONFIRMED))
    return sorted(by_dept.values(), key=lambda p: p.department), missing


@dataclass
class Coverage:
    department: str
    graduates: int
    contacted: int

    @property
    def share(self) -> float:
        return self.contacted / self.graduates if self.graduates else 0.0

    @property
    def percent(self) -> str:
        return f"{100 * self.share:.1f}%"


def graduate_borrowers(user: User, today: dt.date) -> QuerySet[Borrower]:
    """Borrowers in scope who have graduated (graduation date passed) and still owe."""
    return borrower_scope(user).filter(graduation_date__lte=today).filter(owing_q())


def coverage_by_department(user: User, today: dt.date) -> list[Coverage]:
    """Quarterly contact coverage [000 九]: the share of graduate borrowers someone reached this
    quarter. A call nobody answered is an attempt, not a contact (ContactResult.reached)."""
    start, end = rules.quarter_bounds(today)
    reached = ContactLog.objects.filter(borrower=OuterRef("pk"), contacted_on__gte=start,
                                        contacted_on__lte=end, result__in=ContactResult.reached())
    rows = (graduate_borrowers(user, today).annotate(reached=Exists(reached))
            .values("department__name").annotate(n=Count("id"), contacted=Count("id", filter=Q(reached=True)))
            .order_by("department__name"))
    return [Coverage(r["department__name"] or NO_DEPARTMENT, r["n"], r["contacted"]) for r in rows]


def contact_scope(user: User) -> QuerySet[ContactLog]:
    return ContactLog.objects.filter(record_scope_q(
        user, county="borrower__county", university="borrower__university",
        department="borrower__department", owner="borrower__user"))


def lost_contact_scope(user: User) -> QuerySet[LostContactFlag]:
    # The flag's own organisation columns (copied when flagged) decide who sees it.
    return LostContactFlag.objects.filter(record_scope_q(user, owner="borrower__user"))


def lost_contact_worklist(user: User) -> QuerySet[LostContactFlag]:
    """Open 失联 flags in scope: the county's list of borrowers to trace [000 九]."""
    return (lost_contact_scope(user).filter(status=LostContactStatus.OPEN)
            .select_related("borrower", "university", "department", "raised_by").order_by("raised_on", "id"))


def overdue_contact_rows(user: User, year: int, month: int) -> list[tuple[Borrower, list[ContactLog]]]:
    """The monthly 逾期学生联系台账 [000 九]: every overdue borrower in scope with that month's contacts
    (an empty list marks "not contacted this month" — the 重点难点 the seed asks to find)."""
    start, end = rules.month_bounds(year, month)
    borrowers = list(borrower_scope(user).filter(
        Exists(Contract.objects.filter(borrower=OuterRef("pk"), state=ContractState.OVERDUE)))
        .annotate(overdue_since=Max("contracts__overdue_since",
                                    filter=Q(contracts__state=ContractState.OVERDUE)),
                  overdue_outstanding=Sum("contracts__outstanding_principal",
                                          filter=Q(contracts__state=ContractState.OVERDUE)),
                  lost_contact=Exists(LostContactFlag.objects.filter(
                      borrower=OuterRef("pk"), status=LostContactStatus.OPEN)))
        .select_related("department", "county").order_by("department__name", "student_no", "id"))
    logs: dict[int, list[ContactLog]] = defaultdict(list)
    for log in (ContactLog.objects.filter(borrower__in=[b.pk for b in borrowers], contacted_on__gte=start,
                                          contacted_on__lte=end).select_related("staff")
                .order_by("contacted_on", "id")):
        logs[log.borrower_id].append(log)
    return [(b, logs.get(b.pk, [])) for b in borrowers]
