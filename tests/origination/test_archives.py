"""Archives (DOMAIN.md §3.1 step 8; [001 三(二)(三)]): ticking received items, box numbers in
summary-table order, the missing-items report per county and year."""

import pytest

from xuedai.origination import services
from xuedai.origination.archives.services import (
    archive_tick,
    boxes_assign,
    missing_report,
    missing_report_xlsx,
)
from xuedai.origination.models import ArchiveFile, Contract
from xuedai.origination.models import ContractState as C
from xuedai.origination.workflow import IllegalTransition

pytestmark = pytest.mark.django_db

ALL_NEW = [
    "申请表",
    "借款合同",
    "借款学生身份证",
    "学生证或高校录取通知书",
    "共同借款人身份证",
    "户口簿",
    "其他相关重要材料",
]


def test_missing_report_lists_what_has_not_arrived(walk, make_borrower, people):
    a, b = walk(make_borrower(), C.RECEIPTED), walk(make_borrower(), C.RECEIPTED)
    services.batch_submit(actor=people["operator"])
    a, b = Contract.objects.get(pk=a.pk), Contract.objects.get(pk=b.pk)
    archive_tick(actor=people["operator"], contract=a, received=ALL_NEW)
    archive_tick(actor=people["operator"], contract=b, received=["申请表", "借款合同"])
    rows = missing_report(people["operator"], year=a.academic_year)
    assert [r.contract.pk for r in rows] == [b.pk]
    assert rows[0].missing == [
        "借款学生身份证",
        "学生证或高校录取通知书",
        "共同借款人身份证",
        "户口簿",
        "其他相关重要材料",
    ]
    assert rows[0].county == a.county.name
    assert missing_report_xlsx(rows, "缺少材料报告")[:2] == b"PK"


def test_unticking_makes_an_item_missing_again(walk, make_borrower, people):
    a = walk(make_borrower(), C.SIGNED)
    archive_tick(actor=people["operator"], contract=a, received=ALL_NEW)
    missing = archive_tick(actor=people["operator"], contract=a, received=ALL_NEW[:-1])
    assert missing == {"其他相关重要材料"}


def test_unknown_item_and_other_county_refused(walk, make_borrower, people):
    a = walk(make_borrower(), C.SIGNED)
    with pytest.raises(IllegalTransition, match="档案清单中没有"):
        archive_tick(actor=people["operator"], contract=a, received=["结婚证"])
    with pytest.raises(IllegalTransition, match="数据范围"):
        archive_tick(actor=people["other_operator"], contract=a, received=["申请表"])


def test_boxes_numbered_in_summary_order(walk, make_borrower, people):
    contracts = [walk(make_borrower(), C.RECEIPTED) for _ in range(3)]
    services.batch_submit(actor=people["operator"])
    boxes = boxes_assign(actor=people["operator"], year=contracts[0].academic_year, per_box=2)
    assert boxes == 2
    by_no = {f.contract.archive_no: f.box_no for f in ArchiveFile.objects.select_related("contract")}
    year = contracts[0].academic_year
    assert by_no == {1: f"{year}-001", 2: f"{year}-001", 3: f"{year}-002"}
