"""Data scope (DOMAIN.md §2, ARCHITECTURE principle 4): which borrower records a user may see.

A record "touches" an organisation through its signing county, its university or its department.
A user sees a record when any of those lies in the subtree of the user's organisation:
a county sees what it signed, a university its own students (whatever county signed), a province
its counties and universities, a branch its province. The head office sees everything; an agent
bank sees the counties it collects for; a student sees only their own records. Everything else is
out of scope, and selectors turn an out-of-scope lookup into a 404.
"""

from django.db.models import Q

from .models import Organisation, OrgKind, User


def subtree_ids(org: Organisation) -> list[int]:
    return [pk for pk, _kind in subtree_kinds(org)]


def subtree_kinds(org: Organisation) -> list[tuple[int, str]]:
    """(id, kind) of every organisation in ``org``'s subtree, and an agent bank's served counties."""
    rows = list(Organisation.objects.filter(path__startswith=org.path).values_list("id", "kind"))
    if org.kind == OrgKind.AGENT_BANK:
        rows += list(org.served_counties.values_list("id", "kind"))
    return rows


def sees_everything(user: User) -> bool:
    org = user.organisation
    return user.is_superuser or (org is not None and org.kind == OrgKind.BANK_HEAD)


def record_scope_q(
    user: User,
    *,
    county: str = "county",
    university: str = "university",
    department: str | None = "department",
    owner: str = "user",
    typed: bool = False,
) -> Q:
    """A Q for rows with county / university / department foreign keys, named by the caller.

    `owner` is the path from the row to the student's login (e.g. "borrower__user").

    ``typed``: the caller's columns hold only organisations of their own kind (a contract's county
    is a 县资助中心, its university a 高校, its department a 院系), so each column is matched only
    against the subtree's organisations of that kind, and a column with none is left out. Same rows,
    but a county's query is one ``county_id IN (…)`` that an index can return in order — with the
    three-way OR PostgreSQL sorts every contract of the county to show the first 100 of them.
    """
    if user.is_student:
        return Q(**{owner: user})
    if sees_everything(user):
        return Q()
    if user.organisation_id is None:
        return Q(pk__in=[])
    if typed:
        return _typed_scope_q(user, county=county, university=university, department=department)
    ids = _cached_subtree_ids(user)
    q = Q(**{f"{county}_id__in": ids}) | Q(**{f"{university}_id__in": ids})
    if department:
        q |= Q(**{f"{department}_id__in": ids})
    return q


def _typed_scope_q(user: User, *, county: str, university: str, department: str | None) -> Q:
    by_kind: dict[str, list[int]] = {}
    for pk, kind in _cached_subtree(user):
        by_kind.setdefault(kind, []).append(pk)
    columns = [(county, OrgKind.COUNTY_CENTRE), (university, OrgKind.UNIVERSITY)]
    if department:
        columns.append((department, OrgKind.DEPARTMENT))
    q = Q(pk__in=[])
    for column, kind in columns:
        if by_kind.get(kind):
            q |= Q(**{f"{column}_id__in": by_kind[kind]})
    return q


def org_scope_q(user: User) -> Q:
    """Organisations a user may see: their own subtree (and its ancestors, for context)."""
    if sees_everything(user):
        return Q()
    if user.organisation_id is None:
        return Q(pk__in=[])
    org = user.organisation
    ancestor_ids = [int(part) for part in org.path.strip("/").split("/") if part]
    return Q(path__startswith=org.path) | Q(pk__in=ancestor_ids) | Q(pk__in=_cached_subtree_ids(user))


def _cached_subtree_ids(user: User) -> list[int]:
    return [pk for pk, _kind in _cached_subtree(user)]


def _cached_subtree(user: User) -> list[tuple[int, str]]:
    # One tree query per user object (i.e. per request); the tree is small next to the records.
    cached = getattr(user, "_subtree", None)
    if cached is None:
        cached = subtree_kinds(user.organisation)
        user._subtree = cached
    return cached
