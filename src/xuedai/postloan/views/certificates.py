"""Staff side of the 非恶意逾期 certificate: the queue in scope, approve or return (maker ≠ checker)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import request_selectors as sel
from ..models import RequestStatus
from ..services.selfservice import certificate_decide
from .common import report, staff_required
from .files import stored_file_response


@staff_required
def certificates(request):
    rows = sel.certificate_list(request.user).order_by("status", "-applied_on")[:200]
    return render(request, "postloan/certificates.html", {"rows": rows, "pending": RequestStatus.PENDING})


@require_POST
@staff_required
def certificate_decide_view(request, pk: int):
    certificate = sel.certificate_get(request.user, pk)
    try:
        certificate_decide(actor=request.user, certificate=certificate,
                           approve=request.POST.get("decision") == "approve",
                           note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, "已审核")
    return redirect("postloan:certificates")


def certificate_evidence(request, pk: int):
    if not request.user.is_authenticated:
        raise PermissionDenied
    return stored_file_response(sel.certificate_get(request.user, pk).evidence)
