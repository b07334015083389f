"""生源地 batch tables: the county's 借款申请汇总表 and the province's summary by county [001 二.4–5, 三].

The county table is printed, signed and stamped on every page, and the paper files are numbered in
its order [001 三(一)(二)], so rows follow the contracts' archive numbers when they have them.

Identity numbers are printed in full here — a deliberate exception to masking: the county signs and
stamps this table for the bank, which checks each line against the contract and the ID copy in the
file. The table goes to the bank on paper; on screen, lists stay masked.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from .amounts import money
from .context import academic_year_label, display, fee_split
from .pdf import render_pdf
from .xlsx import Column, xlsx_table

COUNTY_SUMMARY_TITLE = "生源地信用助学贷款借款申请汇总表"
PROVINCE_SUMMARY_TITLE = "生源地信用助学贷款申请汇总表（以县为单位）"

COUNTY_COLUMNS = [
    Column("序号", "int", 6), Column("合同编号", width=16), Column("学生姓名", width=10),
    Column("身份证号", width=21), Column("高校", width=20), Column("学历", width=10),
    Column("学费", "money"), Column("住宿费", "money"), Column("生活费", "money"),
    Column("贷款金额", "money"), Column("期限(年)", "int", 8), Column("共同借款人", width=10),
    Column("关系", width=8), Column("共同借款人身份证号", width=21), Column("贷款类型", width=8),
]
MONEY_KEYS = ("tuition", "accommodation", "living", "amount")

SIGN_DATE = "日期：　　年　　月　　日"
COUNTY_SIGN_LINES = ("县资助中心经办人（签字）：", "负责人（签字）：", "县资助中心（盖章）：", SIGN_DATE)
PROVINCE_SIGN_LINES = ("省资助中心经办人（签字）：", "负责人（签字）：", "省资助中心（盖章）：", SIGN_DATE)


def _with_relations(contracts: Iterable) -> Iterable:
    # A queryset gets its joins here, so 3,000 rows are one query rather than 12,000.
    if hasattr(contracts, "select_related"):
        return contracts.select_related("borrower", "co_borrower", "university", "county")
    return contracts


def in_archive_order(contracts: Iterable) -> list:
    """By archive number when set (the files are numbered by it), otherwise in the given order."""
    items = list(_with_relations(contracts))
    return sorted(items, key=lambda c: (getattr(c, "archive_no", None) is None,
                                        getattr(c, "archive_no", None) or 0))


def county_summary_rows(contracts: Iterable) -> tuple[list[list], dict[str, Decimal]]:
    rows, totals = [], {k: Decimal(0) for k in MONEY_KEYS}
    for position, c in enumerate(in_archive_order(contracts), start=1):
        fees = {**fee_split(c), "amount": Decimal(c.amount)}
        for key in MONEY_KEYS:
            totals[key] += fees[key]
        co = getattr(c, "co_borrower", None)
        rows.append([
            getattr(c, "archive_no", None) or position, c.contract_no, c.borrower.name, c.borrower.id_number,
            getattr(c.university, "name", ""), display(c.borrower, "education_level"),
            fees["tuition"], fees["accommodation"], fees["living"], fees["amount"], c.term_years,
            co.name if co else "", display(co, "relation") if co else "", co.id_number if co else "",
            "续贷" if getattr(c, "is_renewal", False) else "新贷",
        ])
    return rows, totals


def _county_title(county, year: int, sequence: int | None = None) -> str:
    batch = f" 第{sequence}批" if sequence else ""
    return f"{getattr(county, 'name', county)} {academic_year_label(year)}{batch} {COUNTY_SUMMARY_TITLE}"


def _resolve(batch_contracts, county, year) -> tuple[Iterable, object, int, int | None]:
    """Contracts, county, year and batch number, from a CountyBatch (origination passes one) or from
    the contracts plus the county and year given."""
    if county is None and hasattr(batch_contracts, "contracts") and hasattr(batch_contracts, "county"):
        batch = batch_contracts
        return batch.contracts.all(), batch.county, batch.academic_year, getattr(batch, "sequence", None)
    if county is None or year is None:
        raise TypeError("pass a CountyBatch, or the batch's contracts with county and year")
    return batch_contracts, county, year, None


def county_summary_xlsx(batch_contracts, county=None, year: int | None = None) -> bytes:
    """`county_summary_xlsx(contracts, county, year)` or `county_summary_xlsx(county_batch)`."""
    batch_contracts, county, year, sequence = _resolve(batch_contracts, county, year)
    rows, totals = county_summary_rows(batch_contracts)
    total_row = ["合计", f"{len(rows)}人", "", "", "", "", totals["tuition"], totals["accommodation"],
                 totals["living"], totals["amount"], "", "", "", "", ""]
    return xlsx_table("借款申请汇总表", COUNTY_COLUMNS, [*rows, total_row],
                      title_line=_county_title(county, year, sequence), footer_lines=COUNTY_SIGN_LINES)


def county_summary_pdf(batch_contracts, county=None, year: int | None = None) -> bytes:
    """A4 landscape; every page's foot carries the county's signature and stamp line [001 三].
    Same arguments as county_summary_xlsx."""
    batch_contracts, county, year, sequence = _resolve(batch_contracts, county, year)
    rows, totals = county_summary_rows(batch_contracts)
    money_cols = {6, 7, 8, 9}
    printed = [[money(v) if i in money_cols else v for i, v in enumerate(r)] for r in rows]
    return render_pdf("documents/summary_table.html", {
        "title": COUNTY_SUMMARY_TITLE, "heading": _county_title(county, year, sequence),
        "org_line": f"填报单位：{getattr(county, 'name', county)}",
        "headers": [c.header for c in COUNTY_COLUMNS], "rows": printed, "num_cols": money_cols,
        "total": ["合计", f"{len(rows)}人", "", "", "", "", *(money(totals[k]) for k in MONEY_KEYS),
                  "", "", "", "", ""],
        "sign_lines": COUNTY_SIGN_LINES,
    })


PROVINCE_COLUMNS = [
    Column("序号", "int", 6), Column("县(区)资助中心", width=28), Column("合同份数", "int", 10),
    Column("新贷人数", "int", 10), Column("续贷人数", "int", 10), Column("学费合计", "money", 14),
    Column("住宿费合计", "money", 14), Column("生活费合计", "money", 14), Column("贷款金额合计", "money", 16),
]


def province_summary_rows(contracts: Iterable) -> tuple[list[list], list]:
    """One row per county, in the counties' name order; contracts without a county are grouped as
    "(未指定县)" so a data fault shows up on paper instead of vanishing from the totals."""
    groups: dict[str, list] = defaultdict(lambda: [0, 0, 0, *(Decimal(0) for _ in MONEY_KEYS)])
    for c in _with_relations(contracts):
        g = groups[getattr(c.county, "name", None) or "(未指定县)"]
        fees = {**fee_split(c), "amount": Decimal(c.amount)}
        renewal = bool(getattr(c, "is_renewal", False))
        g[0] += 1
        g[1] += 0 if renewal else 1
        g[2] += 1 if renewal else 0
        for i, key in enumerate(MONEY_KEYS):
            g[3 + i] += fees[key]
    rows = [[i, name, *vals] for i, (name, vals) in enumerate(sorted(groups.items()), start=1)]
    total = ["合计", f"{len(rows)}个县", *(sum((r[j] for r in rows), 0) for j in range(2, 9))]
    return rows, total


def _province_title(province, year: int) -> str:
    return f"{getattr(province, 'name', province)} {academic_year_label(year)} {PROVINCE_SUMMARY_TITLE}"


def province_summary_xlsx(contracts: Iterable, province, year: int) -> bytes:
    rows, total = province_summary_rows(contracts)
    return xlsx_table("省汇总表", PROVINCE_COLUMNS, [*rows, total],
                      title_line=_province_title(province, year), footer_lines=PROVINCE_SIGN_LINES)


def province_summary_pdf(contracts: Iterable, province, year: int) -> bytes:
    rows, total = province_summary_rows(contracts)
    money_cols = {5, 6, 7, 8}
    fmt = [[money(v) if i in money_cols else v for i, v in enumerate(r)] for r in rows]
    return render_pdf("documents/summary_table.html", {
        "title": PROVINCE_SUMMARY_TITLE, "heading": _province_title(province, year),
        "org_line": f"填报单位：{getattr(province, 'name', province)}",
        "headers": [c.header for c in PROVINCE_COLUMNS], "rows": fmt, "num_cols": money_cols,
        "total": [money(v) if i in money_cols else v for i, v in enumerate(total)],
        "sign_lines": PROVINCE_SIGN_LINES,
    })
