"""Helpers shared by the origination pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from xuedai.orgs.models import OrgKind, User

from ..workflow import IllegalTransition


def report(request, exc: Exception) -> None:
    """Show a refused action's Chinese message(s) on the next page."""
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc))


REFUSALS = (IllegalTransition, ValidationError)


def org_kind(user: User) -> str:
    return user.organisation.kind if user.organisation else ""


def is_county(user: User) -> bool:
    return org_kind(user) == OrgKind.COUNTY_CENTRE


def is_university(user: User) -> bool:
    return org_kind(user) in {OrgKind.UNIVERSITY, OrgKind.DEPARTMENT}


def is_province(user: User) -> bool:
    return org_kind(user) in {OrgKind.PROVINCE_CENTRE, OrgKind.PROVINCE_LOAN_OFFICE}


def is_bank(user: User) -> bool:
    return org_kind(user) in {OrgKind.BANK_BRANCH, OrgKind.BANK_HEAD}
