from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import JobRun


def _visible_runs(user):
    # Batch runs carry no personal data; staff see all runs, students none.
    return JobRun.objects.none() if user.is_student else JobRun.objects.all()


@login_required
def job_list(request):
    page = Paginator(_visible_runs(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@login_required
def job_progress(request, pk: int):
    """The progress bar fragment; htmx polls it while the run is not finished."""
    run = get_object_or_404(_visible_runs(request.user), pk=pk)
    return render(request, "jobs/_progress.html", {"run": run})
