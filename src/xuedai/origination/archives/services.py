"""Archive receipts, box numbering and the missing-items report (DOMAIN.md §3.1 step 8, [001 三(二)(三)]).

Which items a file needs is the documents app's checklist (new loan or renewal); here is which of
them arrived. Boxes follow the summary table's order: files 1–20 in box 1, 21–40 in box 2 …, named
"{year}-{box:03d}" so a box label says its season. The report lists, per county and year, each
contract still missing something.
"""

import math
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from xuedai import businessdate
from xuedai.audit.services import audit_bulk, audit_record
from xuedai.documents.archive import archive_items
from xuedai.orgs.models import Organisation, OrgKind, Role, User
from xuedai.policies.products import Product

from ..models import ArchiveFile, ArchiveItemReceipt, Contract, ContractState
from ..selectors import contract_scope
from ..workflow import IllegalTransition

FILES_PER_BOX = 20
# Contracts whose paper file the county keeps: signed and not given up before the summary.
FILED_STATES = [
    ContractState.SIGNED,
    ContractState.RECEIPTED,
    ContractState.IN_REVIEW,
    ContractState.RETURNED,
    ContractState.APPROVED,
    ContractState.DISBURSED,
    ContractState.REPAYING,
    ContractState.OVERDUE,
    ContractState.SETTLED,
    ContractState.REFUSED,
]


def filed_contracts(user: User, *, year: int, county: Organisation | None = None) -> QuerySet[Contract]:
    qs = contract_scope(user).filter(product=Product.HOME_COUNTY, academic_year=year, state__in=FILED_STATES)
    if county is not None:
        qs = qs.filter(county=county)
    return qs.select_related("borrower", "county", "archive_file").order_by(
        "county__name", "batch_id", "archive_no", "contract_no"
    )


def item_names(contract: Contract) -> list[str]:
    return [name for name, _ in archive_items(contract)]


def _check_clerk(actor: User) -> Organisation:
    org = actor.organisation
    if org is None or org.kind != OrgKind.COUNTY_CENTRE or not actor.has_role(Role.OPERATOR, Role.SUPERVISOR):
        raise IllegalTransition("档案由县资助中心经办人或负责人整理。")
    return org


@transaction.atomic(durable=True)
def archive_tick(*, actor: User, contract: Contract, received: list[str]) -> set[str]:
    """Set which checklist items are in the file (ticked = received); returns the missing ones."""
    _check_clerk(actor)
    if not contract_scope(actor).filter(pk=contract.pk).exists():
        raise IllegalTransition("该合同不在您的数据范围内。")
    wanted = item_names(contract)
    unknown = set(received) - set(wanted)
    if unknown:
        raise IllegalTransition(f"档案清单中没有：{'、'.join(sorted(unknown))}。")
    have = set(ArchiveItemReceipt.objects.filter(contract=contract).values_list("item", flat=True))
    ArchiveItemReceipt.objects.filter(contract=contract, item__in=have - set(received)).delete()
    today = businessdate.today()
    ArchiveItemReceipt.objects.bulk_create(
        [
            ArchiveItemReceipt(contract=contract, item=item, received_on=today, received_by=actor)
            for item in set(received) - have
        ]
    )
    if have != set(received):
        audit_record(actor=actor, action="archive.items_tick", obj=contract, subject=contract.borrower,
                     before={"items": sorted(have)}, after={"items": sorted(received)})
    return set(wanted) - set(received)


@transaction.atomic(durable=True)
def boxes_assign(*, actor: User, year: int, per_box: int = FILES_PER_BOX) -> int:
    """Number the county's boxes for the year in summary-table order; re-running renumbers the same."""
    county = _check_clerk(actor)
    contracts = list(filed_contracts(actor, year=year, county=county).filter(archive_no__isnull=False))
    # One upsert for the season (a county files thousands of contracts), not a query per file.
    files = [ArchiveFile(contract=contract, box_no=f"{year}-{position // per_box + 1:03d}")
             for position, contract in enumerate(contracts)]
    ArchiveFile.objects.bulk_create(files, update_conflicts=True, unique_fields=["contract"],
                                    update_fields=["box_no"], batch_size=1000)
    boxes = math.ceil(len(contracts) / per_box) if contracts else 0
    if contracts:
        audit_bulk(actor=actor, action="archive.boxes_assign", model=Contract, ids=[c.pk for c in contracts],
                   what=f"{county} {year}学年档案装盒", after={"academic_year": year, "boxes": boxes})
    return boxes


@dataclass(frozen=True)
class MissingRow:
    county: str
    year: int
    archive_no: int | None
    box_no: str
    contract: Contract
    missing: list[str]


def missing_report(user: User, *, year: int, county: Organisation | None = None) -> list[MissingRow]:
    """Every filed contract of the year with at least one checklist item not received, by county."""
    contracts = list(filed_contracts(user, year=year, county=county))
    received: dict[int, set[str]] = {}
    for cid, item in ArchiveItemReceipt.objects.filter(contract__in=[c.pk for c in contracts]).values_list(
        "contract_id", "item"
    ):
        received.setdefault(cid, set()).add(item)
    rows = []
    for c in contracts:
        missing = [name for name in item_names(c) if name not in received.get(c.pk, set())]
        if missing:
            box = (
                getattr(getattr(c, "archive_file", None), "box_no", "") if hasattr(c, "archive_file") else ""
            )
            rows.append(MissingRow(c.county.name if c.county else "", year, c.archive_no, box, c, missing))
    return rows


def received_map(contracts: list[Contract]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for cid, item in ArchiveItemReceipt.objects.filter(contract__in=contracts).values_list(
        "contract_id", "item"
    ):
        out.setdefault(cid, set()).add(item)
    return out


def missing_report_xlsx(rows: list[MissingRow], title: str) -> bytes:
    from xuedai.documents.xlsx import Column, xlsx_table

    columns = [
        Column("县资助中心", width=22),
        Column("贷款学年", "int", 9),
        Column("档案序号", "int", 9),
        Column("档案盒号", width=10),
        Column("合同编号", width=16),
        Column("学生姓名", width=10),
        Column("缺少材料", width=50),
    ]
    data = [
        [
            r.county,
            r.year,
            r.archive_no,
            r.box_no,
            r.contract.contract_no,
            r.contract.borrower.name,
            "、".join(r.missing),
        ]
        for r in rows
    ]
    return xlsx_table("缺少材料", columns, data, title_line=title)
