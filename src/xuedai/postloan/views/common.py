"""Helpers of the post-loan pages: who is staff, which year, how a refusal is shown."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from xuedai import businessdate
from xuedai.orgs.models import Organisation, OrgKind
from xuedai.orgs.scope import org_scope_q


def staff_required(view):
    """Staff pages: students have their own (my_confirmation); for them these do not exist."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_student:
            raise Http404("页面不存在。")
        return view(request, *args, **kwargs)

    return wrapper


def own_borrower(user):
    """The signed-in student's own borrower record; 404 for anyone else."""
    borrower = getattr(user, "borrower", None) if user.is_student else None
    if borrower is None:
        raise Http404("没有找到你的借款学生信息。")
    return borrower


def int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def year_of(request) -> int:
    """The graduation year asked for, else this business year (the April export takes "当前年份" [000 二])."""
    year = int_or_none(request.GET.get("year") or request.POST.get("year"))
    return year if year and 1990 <= year <= 2100 else businessdate.today().year


def report(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc))


def department_get(user, pk: int) -> Organisation:
    """A department in the user's scope, else 404 (another university's department does not exist)."""
    return get_object_or_404(Organisation.objects.filter(org_scope_q(user)), pk=pk, kind=OrgKind.DEPARTMENT)


def departments_in_scope(user) -> list[Organisation]:
    return list(Organisation.objects.filter(org_scope_q(user), kind=OrgKind.DEPARTMENT).order_by("name"))
