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
    ids = list(Organisation.objects.filter(path__startswith=org.path).values_list("id", flat=True))
    if org.kind == OrgKind.AGENT_BANK:
        ids += list(org.served_counties.values_list("id", flat=True))
    return ids


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
) -> Q:
    """A Q for rows with county / university / department foreign keys, named by the caller.

    `owner` is the path from the row to the student's login (e.g. "borrower__user").
    """
    if user.is_student:
        return Q(**{owner: user})
    if sees_everything(user):
        return Q()
    if user.organisation_id is None:
        return Q(pk__in=[])
    ids = _cached_subtree_ids(user)
    q = Q(**{f"{county}_id__in": ids}) | Q(**{f"{university}_id__in": ids})
    if department:
        q |= Q(**{f"{department}_id__in": ids})
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
    # One tree query per user object (i.e. per request); the tree is small next to the records.
    cached = getattr(user, "_subtree_ids", None)
    if cached is None:
        cached = subtree_ids(user.organisation)
        user._subtree_ids = cached
    return cached
