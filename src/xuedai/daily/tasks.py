"""Background tasks (django-tasks; `xuedai worker` runs them): a batch started from the page."""

import datetime as dt

from django_tasks import task

from xuedai.orgs.models import User

from . import batches


@task()
def run_batch(code: str, on: str, actor_id: int | None) -> int:
    """Run one batch for the business date ``on`` (ISO); returns its job run's id."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return batches.run(code, dt.date.fromisoformat(on), actor).pk
