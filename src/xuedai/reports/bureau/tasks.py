"""The credit-bureau file as a background job (``xuedai worker``), like the quarter snapshot
(reports.quarter.tasks): the page reserves the file, the worker makes its records."""

from __future__ import annotations

from django_tasks import task

from xuedai.orgs.models import User

from .export import credit_file_make
from .models import CreditFile


@task()
def make_credit_file(file_id: int, actor_id: int | None) -> int:
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return credit_file_make(CreditFile.objects.select_related("organisation").get(pk=file_id), actor=actor).pk
