"""The season's tables as .xlsx (DOMAIN.md §7: Chinese headers, the names the seeds use) and the
printed forms as PDF, built by the documents app; the file responses the pages send.
"""

import datetime as dt
import io
from decimal import Decimal

from django.db.models import Count, Sum
from django.http import HttpResponse

from xuedai.documents import home_county
from xuedai.documents.cells import SafeText

from .models import Contract, CountyBatch
from .services.disbursement import split

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROVINCE_HEADERS = [
    "县(区)资助中心",
    "批次数",
    "合同数",
    "贷款金额合计(元)",
    "学费合计(元)",
    "住宿费合计(元)",
]


def xlsx_bytes(title: str, headers: list[str], rows) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet(title[:31])
    safe = SafeText(book)  # never write_row(): write() turns a name like "=cmd|…" into a formula
    bold = safe.format({"bold": True})
    # Amounts read 1,234.50 and dates 2026-09-01 in Excel as on the page (a date cell without a
    # format shows as a serial number); both stay numbers and dates, so sums and filters work.
    formats = {Decimal: book.add_format({"num_format": "#,##0.00"}),
               dt.date: book.add_format({"num_format": "yyyy-mm-dd"}),
               dt.datetime: book.add_format({"num_format": "yyyy-mm-dd hh:mm"})}
    for col, header in enumerate(headers):
        sheet.set_column(col, col, max(10, 2 * len(header) + 2))  # a Chinese character is two wide
        safe.write(sheet, 0, col, header, bold)
    for n, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            # xlsxwriter writes a Decimal as a number cell itself: no float in between.
            safe.write_value(sheet, n, col, value, formats.get(type(value)))
    book.close()
    return out.getvalue()


def file_response(data: bytes, filename: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"export\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"  # identity numbers: never in a shared cache
    return response


def county_summary_xlsx(batch: CountyBatch) -> bytes:
    """生源地信用助学贷款借款申请汇总表 of one batch, in archive order [001 三(二)]."""
    return home_county.county_summary_xlsx(batch)


def province_summary_rows(batches) -> list[list]:
    """四川省生源地贷款申请汇总表(以县为单位) [001 二.5]: the submitted batches grouped by county."""
    rows = (
        Contract.objects.filter(batch__in=batches)
        .values("county__name")
        .annotate(
            batches=Count("batch", distinct=True),
            n=Count("id"),
            amount=Sum("amount"),
            tuition=Sum("tuition"),
            accommodation=Sum("accommodation"),
        )
        .order_by("county__name")
    )
    return [
        [r["county__name"], r["batches"], r["n"], r["amount"], r["tuition"], r["accommodation"]] for r in rows
    ]


def arrival_rows(contracts) -> list[list]:
    """学费到账查询 [001 二.7]: what went to the university and to the student, per contract."""
    out = []
    for c in contracts:
        to_university, to_student = split(c)
        out.append(
            [
                c.contract_no,
                c.borrower.name,
                c.university.name if c.university else "",
                c.amount,
                to_university,
                to_student,
                c.disbursed_on,
            ]
        )
    return out


PRINTS = {
    # Everything handed over at signing in one print job.
    "signing_pack": ("签约材料(合同一式4份、受理证明、违约责任告知书)", "signing_pack_pdf"),
    "application": ("国家开发银行生源地贷款申请表", "application_form_pdf"),
    "contract": ("生源地信用助学贷款借款合同", "contract_pdf"),
    "acceptance": ("国家开发银行生源地贷款受理证明", "acceptance_certificate_pdf"),
    "notice": ("生源地助学贷款违约责任告知书", "default_notice_pdf"),
}


def print_pdf(kind: str, contract: Contract) -> bytes:
    return getattr(home_county, PRINTS[kind][1])(contract)


def application_pdf(application) -> bytes:
    """The printed application form the student takes for the eligibility stamp [001 二.1]."""
    return home_county.application_form_pdf(application)


def county_summary_pdf(batch: CountyBatch) -> bytes:
    return home_county.county_summary_pdf(batch)


def province_summary_xlsx(batches, province, year: int) -> bytes:
    """The provincial table by county, with its title and signature lines."""
    return home_county.province_summary_xlsx(Contract.objects.filter(batch__in=batches), province, year)
