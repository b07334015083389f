"""批处理: the administrator starts the day's batches from a page and watches their progress."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render

from xuedai import businessdate
from xuedai.jobs.models import JobRun
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import roles_required

from . import batches, tasks

JOB_KINDS = [k.job_kind for k in batches.KINDS.values()]


@roles_required(Role.ADMIN)
def batch_page(request):
    today = businessdate.today()
    if request.method == "POST":
        code = request.POST.get("kind", "")
        try:
            on = dt.date.fromisoformat(request.POST.get("on") or today.isoformat())
            run = batches.claim(code, on, request.user)
        except ValueError as refusal:  # a bad date, or a batch the calendar does not allow
            messages.error(request, str(refusal) if isinstance(refusal, batches.BatchRefused)
                           else "业务日期格式应为 YYYY-MM-DD。")
            return redirect("daily:batches")
        if run.status == "done":
            messages.info(request, f"{batches.KINDS[code].label}（{on:%Y-%m-%d}）已完成，不重复运行。")
        else:
            tasks.run_batch.enqueue(code, on.isoformat(), request.user.pk)
            messages.success(request, f"已开始{batches.KINDS[code].label}（{on:%Y-%m-%d}），进度见下方。")
        return redirect("daily:batches")
    recent = JobRun.objects.filter(kind__in=JOB_KINDS).order_by("-id")[:20]
    labels = {k.job_kind: k.label for k in batches.KINDS.values()}
    for run in recent:
        run.label = labels.get(run.kind, run.kind)
    return render(request, "daily/batches.html", {"kinds": batches.KINDS.values(), "today": today,
                                                  "runs": recent})
