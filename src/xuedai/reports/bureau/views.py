"""征信报送 pages for the bank branch: request a month's file (made in the background, with its
progress bar), list the files, download one (audited: audit_export)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xuedai import businessdate
from xuedai.audit.services import audit_export
from xuedai.documents.pdf import content_disposition
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import allowed_if, roles_required

from .download import credit_file_lines, credit_file_name
from .export import CreditExportError, credit_file_request, may_make
from .layout import RECORD_FIELDS, positions
from .models import CreditFile
from .tasks import make_credit_file

BANK_ROLES = (Role.BANK_REVIEWER, Role.BANK_APPROVER)
NOT_BANK = "征信报送文件由分行的审查人或审批人生成和下载。"


def _files(user):
    return CreditFile.objects.filter(organisation_id=user.organisation_id).select_related(
        "job_run", "created_by"
    )


def _previous_month(today: dt.date) -> dt.date:
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


@roles_required(*BANK_ROLES)
@allowed_if(may_make, NOT_BANK)
def bureau_home(request):
    today = businessdate.today()
    return render(
        request,
        "reports/bureau/home.html",
        {
            "files": _files(request.user)[:24],
            "default_month": _previous_month(today).strftime("%Y-%m"),
            "layout": positions(RECORD_FIELDS),
        },
    )


@require_POST
@roles_required(*BANK_ROLES)
@allowed_if(may_make, NOT_BANK)
def bureau_request(request):
    try:
        month = dt.datetime.strptime(request.POST.get("month", ""), "%Y-%m").date()
    except ValueError:
        messages.error(request, "报送月份：请按 年-月 填写，如 2026-10。")
        return redirect("credit:bureau")
    try:
        credit_file = credit_file_request(actor=request.user, month=month)
    except CreditExportError as exc:
        messages.error(request, str(exc))
        return redirect("credit:bureau")
    make_credit_file.enqueue(credit_file.pk, request.user.pk)
    messages.success(
        request, f"已开始生成{month:%Y年%m月}征信报送文件（第{credit_file.sequence}号），进度见下表。"
    )
    return redirect("credit:bureau")


@roles_required(*BANK_ROLES)
@allowed_if(may_make, NOT_BANK)
def bureau_download(request, pk: int):
    credit_file = get_object_or_404(_files(request.user).select_related("organisation"), pk=pk, done=True)
    audit_export(
        actor=request.user,
        document=credit_file_name(credit_file),
        obj=credit_file,
        rows=credit_file.total_records,
    )
    response = StreamingHttpResponse(
        credit_file_lines(credit_file), content_type="text/plain; charset=gb18030"
    )
    response["Content-Disposition"] = content_disposition(credit_file_name(credit_file))
    response["Cache-Control"] = "private, no-store"
    return response
