"""Reads of borrower data, always through the acting user's scope (ARCHITECTURE principle 4).

An out-of-scope record is a 404, never a 403: a county must not learn that a number it guessed
belongs to another county's borrower.
"""

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from xuedai.audit.models import AuditEntry
from xuedai.audit.services import subject_key
from xuedai.orgs.models import User
from xuedai.orgs.scope import record_scope_q

from .models import Borrower, CoBorrower

# Search terms that carry (part of) an identity number. They are only accepted from a POST body,
# never from a query string, so no ID number ends up in a URL, an access log or browser history.
_FULL_ID = re.compile(r"^\d{17}[\dX]$")
_MASKED_ID = re.compile(r"^(\d{0,6})\*+(\d{0,3}[\dX])$")
_LAST4 = re.compile(r"^\d{3}[\dX]$")


def is_id_like(term: str) -> bool:
    term = (term or "").strip().upper()
    return bool(_FULL_ID.match(term) or _MASKED_ID.match(term) or _LAST4.match(term)
                or (term.isdigit() and len(term) >= 15))


@dataclass(frozen=True)
class BorrowerFilters:
    q: str = ""  # a name or student number (safe in a URL)
    id_q: str = ""  # a full, masked or last-4 identity number: from a POST body only
    county: int | None = None
    university: int | None = None
    department: int | None = None
    graduation_year: int | None = None
    overdue: bool = False  # only borrowers with an overdue contract (the home page's 逾期借款学生)


# origination (a floor above) owns contract states; this is the code of its ContractState.OVERDUE,
# matched by a test so the two cannot drift apart.
OVERDUE_STATE = "overdue"


def borrower_scope(user: User) -> QuerySet[Borrower]:
    return Borrower.objects.filter(record_scope_q(user))


def borrower_list(user: User, filters: BorrowerFilters | None = None) -> QuerySet[Borrower]:
    """Borrowers the user may see, newest first, with the organisations the list shows."""
    f = filters or BorrowerFilters()
    qs = borrower_scope(user).select_related("county", "university", "department")
    if f.q:
        term = f.q.strip()
        # Prefix matches use the name / student_no indexes; a contains-scan of a million rows does not.
        qs = qs.filter(Q(name__startswith=term) | Q(student_no=term))
    if f.id_q:
        qs = qs.filter(_id_term_q(f.id_q))
    if f.county:
        qs = qs.filter(county_id=f.county)
    if f.university:
        qs = qs.filter(university_id=f.university)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.graduation_year:
        # A date range rather than __year so the (university, graduation_date) index applies.
        qs = qs.filter(graduation_date__gte=f"{f.graduation_year}-01-01",
                       graduation_date__lt=f"{f.graduation_year + 1}-01-01")
    if f.overdue:
        qs = qs.filter(pk__in=Borrower.objects.filter(contracts__state=OVERDUE_STATE).values("pk"))
    return qs.order_by("-id")


def _id_term_q(term: str) -> Q:
    term = term.strip().upper()
    if _FULL_ID.match(term):
        return Q(id_number=term)
    if match := _MASKED_ID.match(term):
        head, tail = match.groups()
        return Q(id_number__startswith=head, id_number__endswith=tail)
    if _LAST4.match(term):
        # Four characters might also be the end of a student number; both are offered.
        return Q(id_number__endswith=term) | Q(student_no=term)
    return Q(student_no=term)  # a long run of digits that is no valid number: a student number


def borrower_get(user: User, pk: int) -> Borrower:
    try:
        return borrower_scope(user).select_related("county", "university", "department", "user").get(pk=pk)
    except (Borrower.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该借款学生，或不在您的数据范围内。") from None


def co_borrower_get(user: User, borrower_pk: int, pk: int) -> CoBorrower:
    borrower = borrower_get(user, borrower_pk)
    try:
        return borrower.co_borrowers.select_related("borrower").get(pk=pk)
    except (CoBorrower.DoesNotExist, ValueError):
        raise Http404("没有找到该共同借款人。") from None


def borrower_history(borrower: Borrower, *, limit: int = 100) -> QuerySet[AuditEntry]:
    """The change history of one borrower: every audit entry filed under it as subject (the
    borrower's own edits, its co-borrowers and contacts, and each reveal of the full number).
    Call only with a borrower already fetched through borrower_get."""
    return AuditEntry.objects.filter(subject_key=subject_key(borrower)).order_by("-at", "-id")[:limit]
