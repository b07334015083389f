"""Loans pages: a contract's account, the deduction runs with their files, result upload.

Thin (ARCHITECTURE): parse, check scope through selectors (out of scope → 404), call a service,
render. Deduction files hold names and ID numbers, so they live under MEDIA_ROOT (never served as
static or media URLs) and leave only through :func:`deduction_file`, which checks scope.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xuedai.audit.services import audit_record
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import fully_logged_in, may_open, roles_required, staff_required

from . import selectors
from .deduction import files
from .deduction.layouts import LAYOUTS
from .deduction.services import ImportError_, deduction_import, deduction_post, line_row
from .explain import explain
from .forms import ResultUploadForm
from .models import Kind
from .rate_statement import rate_history
from .services.ledger import account_terms

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@fully_logged_in
def account_detail(request, contract_id: int):
    account = selectors.account_get(request.user, contract_id)
    contract = account.contract
    days = account_terms(account).settlement_dates()
    postings = list(selectors.account_postings(account))
    reversed_ids = {p.reverses_id for p in postings if p.reverses_id}
    rows = [{"posting": p, "explanation": explain(p, contract=contract, settlement_days=days),
             "reversed": p.pk in reversed_ids, "subsidy": p.kind == Kind.SUBSIDY_INTEREST}
            for p in postings]
    return render(request, "loans/account_detail.html", {
        "account": account, "contract": contract, "rows": rows,
        "grades": account.grades.order_by("-as_of")[:8],
        "early": account.early_repayments.order_by("-deduct_on"),
        "reliefs": account.reliefs.select_related("programme"),
        "owed": account.amount_owed, "rate_periods": rate_history(contract),
        "may_flag_misuse": may_open(request.user, reverse("loans:misuse_flag", args=[contract.pk])),
        "misuse": contract.terms_changes.filter(kind="misuse").first(),
        "may_take_payment": may_open(request.user,
                                     reverse("loans:borrower_payment", args=[contract.borrower_id])),
    })


@staff_required
def deduction_run_list(request):
    runs = selectors.deduction_run_list(request.user).order_by("-business_date", "channel", "id")
    page = Paginator(runs, 30).get_page(request.GET.get("page"))
    for run in page:
        run.whole = selectors.sees_whole_run(request.user, run)
    return render(request, "loans/deduction_runs.html", {"page": page, "form": ResultUploadForm()})


@staff_required
def deduction_file(request, pk: int, which: str):
    """The run's file (or the channel's result) for users who see every line of the run; anyone
    else gets their own lines, freshly written in the same layout."""
    run = selectors.deduction_run_get(request.user, pk)
    if which not in ("request", "result"):
        raise Http404
    stored = run.request_file if which == "request" else run.result_file
    if not stored:
        raise Http404("文件尚未生成")
    whole = selectors.sees_whole_run(request.user, run)
    lines = run.lines.all() if whole else selectors.run_lines_in_scope(request.user, run).order_by("seq")
    # The file holds names and full ID numbers: one audit row per download, with its line count.
    audit_record(actor=request.user, action="loans.deduction_file_download", obj=run,
                 after={"which": which, "whole": whole, "lines": lines.count()})
    if whole:
        path = (Path(settings.MEDIA_ROOT) / stored).resolve()
        if not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not path.exists():
            raise Http404
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{run.pk:06d}-{run.layout_name}.xlsx"
        rows = []
        for line in lines:
            row = line_row(line, run)
            if which == "result":
                row.update(result=line.get_result_display() if line.result else "", paid=line.paid,
                           reason=line.reason)
            rows.append(row)
        files.write_rows(target, LAYOUTS[run.layout_name], rows, count=len(rows))
        buffer.write(target.read_bytes())
    buffer.seek(0)
    name = f"{run.business_date:%Y%m%d}-{run.layout_name}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


@require_POST
@roles_required(Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)
def deduction_result_upload(request, pk: int):
    """A channel's result file, first or correcting (deduction.results): recorded, then posted."""
    run = selectors.deduction_run_get(request.user, pk)
    if not selectors.sees_whole_run(request.user, run):
        raise PermissionDenied("回盘文件涉及本机构范围以外的借款人，请由上级机构导入。")
    form = ResultUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("loans:deduction_runs")
    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{Path(upload.name).suffix.lower()}"
        with path.open("wb") as handle:
            for piece in upload.chunks():
                handle.write(piece)
        try:
            result_file = deduction_import(actor=request.user, run=run, path=path, original_name=upload.name)
        except ImportError_ as error:
            for problem in error.errors[:20]:
                messages.error(request, problem)
            if len(error.errors) > 20:
                messages.error(request, f"……共 {len(error.errors):,} 处问题，未导入任何数据。")
            return redirect("loans:deduction_runs")
    deduction_post(actor=request.user, run=run)
    result_file.refresh_from_db()
    what = "回盘" if result_file.number == 1 else f"第{result_file.number}份（更正）回盘"
    stuck = list(result_file.result_rows.filter(posted_at__isnull=True).exclude(problem="")
                 .values_list("row_number", "problem")[:20])
    for number, problem in stuck:
        messages.error(request, f"第{number}行未能入账：{problem}（处理后由管理员执行 "
                                f"xuedai deduction-import --run {run.pk} 补记）")
    if not result_file.posted and not stuck:
        messages.success(request, f"已导入{what}，{result_file.changed:,} 笔待入账：另一操作正在为本批入账，"
                                  f"稍后刷新本页查看结果。")
    elif result_file.posted:
        messages.success(request, f"已导入并入账（{what}）：本次入账 {result_file.amount_to_post:,.2f} 元"
                                  f"（{result_file.changed:,} 笔有变动）；本批实扣合计 "
                                  f"{run.amount_paid:,.2f} 元，失败 {run.failed_count:,} 笔。")
    return redirect("loans:deduction_runs")
