"""Receipts import (all or nothing, every bad row listed; a real .xlsx) and the deadline withdrawal
batch ("视同该学生撤销借款申请" [001 二.3])."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from xuedai import businessdate
from xuedai.jobs.models import JobRun
from xuedai.origination import services
from xuedai.origination.models import ContractEvent, ContractState
from xuedai.origination.services.receipts import COLUMNS
from xuedai.origination.workflow import IllegalTransition

S = ContractState


def xlsx(rows, header=COLUMNS) -> io.BytesIO:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.fixture
def signed(walk, make_borrower):
    return [walk(make_borrower(), S.SIGNED) for _ in range(3)]


def test_import_writes_every_row(people, signed):
    rows = [[c.contract_no, c.borrower.name, 4500, "1200.50", None] for c in signed]
    result = services.receipts_import(actor=people["officer"], file=xlsx(rows))
    assert result.ok and result.rows == 3
    for c in signed:
        c.refresh_from_db()
        assert (c.state, c.tuition, c.accommodation, c.arrears) == (S.RECEIPTED, Decimal("4500"),
                                                                    Decimal("1200.50"), Decimal("0"))
        assert c.receipted_by == people["officer"]
    assert ContractEvent.objects.filter(action="receipt").count() == 3


def test_import_is_all_or_nothing_and_lists_every_bad_row(people, signed, walk, make_borrower):
    applied = walk(make_borrower(), S.APPLIED)
    rows = [
        [signed[0].contract_no, signed[0].borrower.name, 4500, 1200, 0],   # good
        [signed[1].contract_no, "别人", "abc", 1200, 0],                    # name, tuition
        ["SY000", "", 1, 1, 0],                                             # unknown
        [signed[0].contract_no, "", 1, 1, 0],                               # duplicate
        [applied.contract_no, "", 1, 1, -5],                                # state, arrears
        [signed[2].contract_no, "", None, 1, 0],                            # tuition missing
    ]
    result = services.receipts_import(actor=people["officer"], file=xlsx(rows))
    assert not result.ok
    text = "\n".join(result.errors)
    for expected in ["第3行：学生姓名「别人」", "第3行：学费应为金额数字", "第4行：合同编号 SY000 不存在",
                     "第5行：合同编号 " + signed[0].contract_no + " 与第2行重复", "第6行：合同 ",
                     "第6行：往年欠费不能为负数", "第7行：学费不能为空"]:
        assert expected in text, expected
    signed[0].refresh_from_db()
    assert signed[0].state == S.SIGNED  # the good row was not written either


def test_import_rejects_a_foreign_university_and_bad_files(people, signed):
    rows = [[signed[0].contract_no, "", 1, 1, 0]]
    result = services.receipts_import(actor=people["other_officer"], file=xlsx(rows))
    assert "不是本校学生的合同" in result.errors[0]
    assert "缺少列：往年欠费" in services.receipts_import(
        actor=people["officer"], file=xlsx(rows, header=COLUMNS[:-1])).errors[0]
    not_a_workbook = io.BytesIO(b"not a workbook")
    not_a_workbook.name = "回执.xlsx"
    refused = services.receipts_import(actor=people["officer"], file=not_a_workbook)
    assert "不是有效的 .xlsx" in refused.errors[0]


def test_import_page_shows_errors(client, people, signed):
    from tests.web.helpers import login

    login(client, people["officer"])
    upload = xlsx([["SY404", "", 1, 1, 0]])
    upload.name = "回执.xlsx"
    body = client.post("/origination/receipts/", {"file": upload}).content.decode()
    assert "文件未导入" in body and "第2行" in body
    template = client.get("/origination/receipts/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_receipt_after_deadline_refused(people, signed):
    services.season_set(actor=people["operator"], academic_year=2026, accept_from=None, accept_until=None,
                        receipt_deadline=dt.date(2026, 11, 10))
    with pytest.raises(IllegalTransition, match="回执接收截止日期\\(2026-11-10\\)已过"):
        services.receipt_record(actor=people["officer"], contract=signed[0], tuition="1", accommodation="1")


def test_deadline_withdrawal_batch(people, signed, county):
    services.receipt_record(actor=people["officer"], contract=signed[0], tuition="4500", accommodation="1200")
    with pytest.raises(IllegalTransition, match="未到"):
        services.withdraw_unreceived(county=county, academic_year=2026)
    services.season_set(actor=people["operator"], academic_year=2026, accept_from=None, accept_until=None,
                        receipt_deadline=dt.date(2026, 11, 30))
    with pytest.raises(IllegalTransition, match="未到"):
        services.withdraw_unreceived(county=county, academic_year=2026)
    with businessdate.business_date(dt.date(2026, 12, 1)):
        assert services.withdraw_all_due() == {county.pk: 2}
        assert services.withdraw_unreceived(county=county, academic_year=2026) == 2  # idempotent re-run
    states = sorted(c.state for c in county.county_contracts.all())
    assert states == [S.RECEIPTED, S.WITHDRAWN, S.WITHDRAWN]
    event = ContractEvent.objects.filter(action="withdraw").first()
    assert event.actor is None and event.actor_label == "系统" and "视同撤销" in event.comment
    assert JobRun.objects.get().status == "done"
    # Now the county can summarise: no receipt is outstanding.
    batch = services.batch_submit(actor=people["operator"])
    assert batch.contract_count == 1
