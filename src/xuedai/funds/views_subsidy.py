"""Pages of the subsidy (贴息): the quarter's 贴息资金汇总表, the pre-settlement list, the finance
department's transfers (typed or imported, posted contract by contract) and the receivable
explained (DOMAIN.md §6; seed [003] 资金管理办法 第二十一条)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Sum, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from xuedai import businessdate
from xuedai.audit.services import audit_export
from xuedai.batch import exact
from xuedai.documents.pdf import file_response, pdf_response
from xuedai.documents.xlsx import XLSX_TYPE
from xuedai.loans.models import Kind, LoanAccount, Posting
from xuedai.orgs.forms import BootstrapMixin
from xuedai.orgs.models import Organisation
from xuedai.orgs.permissions import may_open
from xuedai.origination.models import Contract
from xuedai.policies.products import Product
from xuedai.widgets import DatePicker

from . import selectors, subsidy_documents, subsidy_summary
from .access import fund_readers, province_office_only
from .services.subsidy import SubsidyPaymentRejected, subsidy_payment_record
from .subsidy_import import lines_from_text, lines_from_xlsx


def _year_quarter(request) -> tuple[int, int]:
    today = businessdate.today()
    default_q = (today.month - 1) // 3  # the last ended quarter
    default_year = today.year if default_q else today.year - 1
    default_q = default_q or 4
    year = request.GET.get("year", "")
    quarter = request.GET.get("quarter", "")
    y = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else default_year
    q = int(quarter) if quarter in {"1", "2", "3", "4"} else default_q
    return y, q


def _org_line(user) -> str:
    return f"单位：{user.organisation.name}" if user.organisation_id else "单位：全部"


# The fund organisation of an account (as selectors.FUND_ORG is of a posting).
_ACCOUNT_ORG = Case(
    When(contract__product=Product.HOME_COUNTY, then=F("contract__county_id")),
    default=F("contract__university_id"),
    output_field=IntegerField(),
)


@fund_readers
def subsidy_home(request):
    year, quarter = _year_quarter(request)
    ids = selectors.org_ids_in_scope(request.user)
    rows = subsidy_summary.quarter_summary(year, quarter, ids)
    _table, total = subsidy_documents.summary_table(rows)
    start, end = subsidy_summary.quarter_span(year, quarter)
    pre_year = businessdate.today().year
    return render(
        request,
        "funds/subsidy_home.html",
        {
            "year": year,
            "quarter": quarter,
            "rows": rows,
            "total": total,
            "start": start,
            "end": end,
            "due": subsidy_summary.summary_due(year, quarter),
            "pre_year": pre_year,
            "pre_due": subsidy_summary.presettlement_due(pre_year),
            "presettlement": subsidy_summary.presettlement_summary(pre_year, ids),
        },
    )


@fund_readers
def subsidy_export(request, fmt: str):
    if fmt not in ("xlsx", "pdf"):
        raise Http404("没有这种格式")
    year, quarter = _year_quarter(request)
    rows = subsidy_summary.quarter_summary(year, quarter, selectors.org_ids_in_scope(request.user))
    heading = f"国家助学贷款{subsidy_documents.SUMMARY_TITLE}（{year}年第{quarter}季度）"
    audit_export(actor=request.user, document=f"{subsidy_documents.SUMMARY_TITLE}.{fmt}", rows=len(rows))
    name = f"{subsidy_documents.SUMMARY_TITLE}-{year}Q{quarter}"
    if fmt == "pdf":
        return pdf_response(
            subsidy_documents.summary_pdf(rows, heading, _org_line(request.user)), f"{name}.pdf"
        )
    return file_response(subsidy_documents.summary_xlsx(rows, heading), f"{name}.xlsx", XLSX_TYPE)


@fund_readers
def presettlement_export(request):
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else businessdate.today().year
    cols, subsidy = subsidy_summary.presettlement(year, selectors.org_ids_in_scope(request.user))
    ids = cols["id"].tolist()
    info = {}
    for start in range(0, len(ids), 5000):
        part = ids[start : start + 5000]
        info.update(
            {
                c[0]: c[1:]
                for c in Contract.objects.filter(pk__in=part).values_list(
                    "pk", "contract_no", "borrower__name", "annual_rate"
                )
            }
        )
    orgs = {o.pk: o.name for o in Organisation.objects.filter(pk__in=set(cols["org"].tolist()))}
    lines = []
    for i, cid in enumerate(ids):
        no, name, rate = info[cid]
        amount = exact.yuan(subsidy[i])
        lines.append(
            [
                i + 1,
                no,
                name,
                orgs.get(int(cols["org"][i]), "—"),
                int(cols["year"][i]),
                exact.yuan(cols["principal"][i]),
                rate,
                exact.to_date(cols["begin"][i]),
                exact.to_date(cols["stop"][i]),
                amount,
                amount,
            ]
        )
    lines.sort(key=lambda r: (r[3], r[4], r[1]))
    for i, line in enumerate(lines, start=1):
        line[0] = i
    audit_export(
        actor=request.user, document=f"{subsidy_documents.PRESETTLEMENT_TITLE}.xlsx", rows=len(lines)
    )
    heading = f"国家助学贷款{subsidy_documents.PRESETTLEMENT_TITLE}（{year}年12月20日结息）"
    return file_response(
        subsidy_documents.presettlement_xlsx(lines, heading),
        f"{subsidy_documents.PRESETTLEMENT_TITLE}-{year}.xlsx",
        XLSX_TYPE,
    )


class PaymentForm(BootstrapMixin, forms.Form):
    received_on = forms.DateField(
        label="到账日期", widget=DatePicker()
    )
    payer = forms.CharField(label="拨付单位", max_length=100, help_text="如：四川省财政厅")
    reference = forms.CharField(label="拨款凭证号", max_length=64)
    file = forms.FileField(
        label="到账明细文件(.xlsx)",
        required=False,
        help_text="须有“合同编号”“到账贴息”两列；可直接使用预结息明细表",
    )
    lines = forms.CharField(
        label="或逐行录入",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行“合同编号,到账贴息”",
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("lines") or "").strip():
            raise forms.ValidationError("请上传到账明细文件或逐行录入。")
        return data


@fund_readers
def subsidy_payments(request):
    form = PaymentForm(initial={"received_on": businessdate.today()})
    return render(
        request,
        "funds/subsidy_payments.html",
        {
            "form": form,
            "errors": [],
            "payments": selectors.subsidy_payments(request.user)[:100],
            "may_record": may_open(request.user, reverse("funds:subsidy_payment_record")),
        },
    )


@fund_readers
@province_office_only
def subsidy_payment_record_view(request):
    form = PaymentForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        lines, errors = lines_from_xlsx(upload) if upload else lines_from_text(data["lines"])
        if not errors:
            try:
                payment = subsidy_payment_record(
                    actor=request.user,
                    received_on=data["received_on"],
                    payer=data["payer"],
                    reference=data["reference"],
                    lines=lines,
                    source_name=getattr(upload, "name", "") or "页面录入",
                )
                messages.success(request, f"已入账贴息 {payment.total:,.2f} 元，共 {payment.lines} 份合同。")
                return redirect("funds:subsidy_payments")
            except SubsidyPaymentRejected as exc:
                errors = exc.errors
    return render(
        request,
        "funds/subsidy_payments.html",
        {
            "form": form,
            "errors": errors,
            "payments": selectors.subsidy_payments(request.user)[:100],
            "may_record": True,
        },
        status=200 if not errors else 422,
    )


def _org_in_scope(request, ids: list[int] | None) -> Organisation | None:
    raw = request.GET.get("org", "")
    if not raw:
        return None
    if not raw.isdigit() or (ids is not None and int(raw) not in ids):
        raise Http404("没有这个单位")
    try:
        return Organisation.objects.get(pk=int(raw))
    except Organisation.DoesNotExist:
        raise Http404("没有这个单位") from None


@fund_readers
def receivable(request):
    """The receivable explained: per university / county, 贴息 charged − received = the receivable
    the accounts carry; then the contracts still owed (the differences), largest first."""
    ids = selectors.org_ids_in_scope(request.user)
    org = _org_in_scope(request, ids)
    if org is not None:  # the drilldown from a dashboard bar: one university or county
        ids = [org.pk]
    postings = Posting.objects.filter(kind__in=[Kind.SUBSIDY_INTEREST, Kind.SUBSIDY_RECEIVED]).annotate(
        fund_org=selectors.FUND_ORG
    )
    accounts = LoanAccount.objects.annotate(fund_org=_ACCOUNT_ORG)
    if ids is not None:
        postings, accounts = postings.filter(fund_org__in=ids), accounts.filter(fund_org__in=ids)
    by_org: dict[int, dict[str, Decimal]] = {}
    for r in postings.values("fund_org", "kind").annotate(total=Sum("amount")):
        by_org.setdefault(r["fund_org"], {})[r["kind"]] = r["total"]
    cached = dict(
        accounts.values("fund_org").annotate(total=Sum("subsidy_receivable")).values_list("fund_org", "total")
    )
    orgs = Organisation.objects.in_bulk([o for o in set(by_org) | set(cached) if o])
    zero = Decimal("0.00")
    lines = []
    for org_id in sorted(set(by_org) | set(cached), key=lambda o: orgs[o].name if o in orgs else ""):
        charged = by_org.get(org_id, {}).get(Kind.SUBSIDY_INTEREST, zero)
        received = by_org.get(org_id, {}).get(Kind.SUBSIDY_RECEIVED, zero)
        held = cached.get(org_id) or zero
        lines.append(
            {
                "organisation": orgs.get(org_id),
                "charged": charged,
                "received": received,
                "receivable": held,
                "difference": charged - received - held,
            }
        )
    owed = (
        accounts.filter(subsidy_receivable__gt=0)
        .select_related("contract")
        .order_by("-subsidy_receivable", "pk")
    )
    page = Paginator(owed, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/receivable.html",
        {
            "org": org,
            "lines": lines,
            "page": page,
            "total": {
                k: sum((x[k] for x in lines), zero)
                for k in ("charged", "received", "receivable", "difference")
            },
        },
    )
