"""Background tasks (django-tasks; `xuedai worker` runs them): the batches started from a page."""

import datetime as dt

from django_tasks import task

from xuedai.loans.batches import relief_batch
from xuedai.loans.models import ReliefProgramme
from xuedai.orgs.models import User

from . import batches


def _actor(actor_id: int | None) -> User | None:
    return User.objects.filter(pk=actor_id).first() if actor_id else None


@task()
def run_batch(code: str, on: str, actor_id: int | None) -> int:
    """Run one batch for the business date ``on`` (ISO); returns its job run's id."""
    return batches.run(code, dt.date.fromisoformat(on), _actor(actor_id)).pk


@task()
def apply_relief(programme_id: int, on: str, actor_id: int | None, graduation_year: int | None,
                 county_id: int | None, grades: list[str], defer_principal: bool) -> int:
    """Apply a relief programme to its population (one batch; a re-run skips the accounts done)."""
    run = relief_batch(programme=ReliefProgramme.objects.get(pk=programme_id), on=dt.date.fromisoformat(on),
                       actor=_actor(actor_id), graduation_year=graduation_year, county_id=county_id,
                       grades=grades or None, defer_principal=defer_principal)
    return run.pk
