"""A whole 生源地 season through the services, and the audit log holding every step: who, what,
before → after (ARCHITECTURE principle 3; docs/security.md promises every write is recorded).

Application → 新增合同 (from the application and from scratch) → 复核 → 回执 (one on the page, one
imported) → 谢绝 → 汇总并提交 → 县负责人上报 → 省审核 → 省复核报分行 → 银行退回 / 审批 → 发放 →
结息 → 还款, and the 汇总表 download. Then the auditor's page shows each step in Chinese.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests import factories
from tests.orgs.helpers import staff_login
from tests.origination.conftest import new_item
from tests.origination.test_receipts_deadline import xlsx
from xuedai import businessdate
from xuedai.audit.models import AuditEntry
from xuedai.loans.models import LoanAccount
from xuedai.loans.services import batch_disburse, repayment_post, settlement_post
from xuedai.orgs.models import Role
from xuedai.origination import services
from xuedai.origination.models import Contract, ContractState, CountyBatch
from xuedai.reports.audit_display import action_label

pytestmark = pytest.mark.django_db
S = ContractState
CJK = re.compile(r"[\u4e00-\u9fff]")


def entries(action: str, actor) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, actor=actor).order_by("id"))


def one(action: str, actor) -> AuditEntry:
    found = entries(action, actor)
    assert found, f"no audit entry {action} by {actor}"
    return found[-1]


def moved(entry: AuditEntry, before: str, after: str) -> bool:
    """The entry records the state before and after (a single move or a batch of them)."""
    was = entry.before.get("state")
    return (was == before or (isinstance(was, list) and before in was)) and entry.after.get("state") == after


def test_a_whole_season_is_in_the_audit_log(people, make_borrower, borrower, province, client):
    p = people
    auditor = factories.make_user(province.centre, Role.AUDITOR)

    # The student applies online; the operator makes contracts of it and of two walk-in students.
    application = services.application_submit(actor=p["student"], data={
        "amount": Decimal("8000"), "term_years": 12, "tuition": Decimal("4500"),
        "accommodation": Decimal("1200"), "co_borrower": borrower.co_borrowers.first(), "reason": "家庭困难"})
    assert one("application_submit", p["student"]).after["amount"] == "8000"
    [online] = services.contracts_from_applications(actor=p["operator"], applications=[application])
    walk_ins = services.contracts_create(actor=p["operator"],
                                         items=[new_item(make_borrower()), new_item(make_borrower())])
    created = entries("contract.create", p["operator"])
    assert {online.pk} | {c.pk for c in walk_ins} <= {int(i) for e in created
                                                       for i in _ids(e)}
    assert moved(one("application.accept", p["operator"]), "submitted", "accepted")

    # The supervisor checks all three at once (maker ≠ checker).
    ids = [online.pk, *(c.pk for c in walk_ins)]
    services.contracts_check(actor=p["supervisor"], contract_ids=ids)
    check = one("contract.check_approve", p["supervisor"])
    assert moved(check, S.APPLIED, S.SIGNED) and check.after["count"] == 3

    # Receipts: one typed on the page, one imported from the university's .xlsx; the third declined.
    first, second, third = Contract.objects.filter(pk__in=ids).order_by("pk").select_related("borrower")
    services.receipt_record(actor=p["officer"], contract=first, tuition=Decimal("4600"),
                            accommodation=Decimal("1200"))
    page_receipt = one("contract.receipt", p["officer"])
    assert page_receipt.object_id == str(first.pk) and page_receipt.before["state"] == S.SIGNED
    assert page_receipt.after["tuition"] == "4600.00" and page_receipt.after["state"] == S.RECEIPTED
    result = services.receipts_import(actor=p["officer"], file=xlsx(
        [[second.contract_no, second.borrower.name, 4000, 1000, 0]]))
    assert result.ok, result.errors
    assert moved(one("contract.receipt", p["officer"]), S.SIGNED, S.RECEIPTED)
    services.contract_transition(actor=p["operator"], contract=third, action="decline", comment="本人放弃")
    decline = one("contract.decline", p["operator"])
    assert decline.before["state"] == S.SIGNED and decline.after["comment"] == "本人放弃"

    # 汇总并提交, the county supervisor reports it, the province audits and reviews.
    batch = services.batch_submit(actor=p["operator"])
    assert moved(one("contract.submit", p["operator"]), S.RECEIPTED, S.IN_REVIEW)
    assert one("batch.submit", p["operator"]).after["state"] == "summarised"
    for who, action, before, after in [
        ("supervisor", "county_submit", "summarised", "county_submitted"),
        ("prov_operator", "province_audit", "county_submitted", "province_audited"),
        ("prov_supervisor", "province_submit", "province_audited", "province_submitted"),
    ]:
        batch = services.batch_transition(actor=p[who], batch=batch, action=action)
        assert moved(one(f"batch.{action}", p[who]), before, after)

    # The bank returns one contract; the reviewer reviews the rest, the approver approves; it closes.
    services.bank_decide(actor=p["bank"], contract=second, action="bank_return", comment="共同借款人签字不全")
    ret = one("contract.bank_return", p["bank"])
    assert ret.before["state"] == S.IN_REVIEW and ret.after["state"] == S.RETURNED
    services.bank_decide_rest(actor=p["bank"], batch=batch, action="bank_check")
    assert moved(one("contract.bank_check", p["bank"]), S.IN_REVIEW, S.BANK_CHECKED)
    services.bank_decide_rest(actor=p["approver"], batch=batch, action="bank_approve")
    assert moved(one("contract.bank_approve", p["approver"]), S.BANK_CHECKED, S.APPROVED)
    assert moved(one("batch.bank_close", p["approver"]), "province_submitted", "bank_reviewed")

    # Disbursement: the ledger's entry and the contract's move, both by the bank.
    batch.refresh_from_db()
    batch_disburse(actor=p["bank"], batch=batch)
    disburse = one("contract.disburse", p["bank"])
    assert disburse.before["state"] == S.APPROVED and disburse.after["state"] == S.DISBURSED
    assert one("loans.contract_disburse", p["bank"]).after["amount"] == "8000.00"
    assert one("loans.batch_disburse", p["bank"]).after["count"] == 1

    # Servicing: the 20 Dec settlement and a payment, each recorded with its actor.
    account = LoanAccount.objects.get(contract=first)
    with businessdate.business_date(dt.date(2026, 12, 20)):
        settlement_post(actor=p["bank"], account=account, on=dt.date(2026, 12, 20))
        repayment_post(actor=p["operator"], account=account, on=dt.date(2026, 12, 20), amount=Decimal("50"))
    assert entries("loans.settlement_post", p["bank"]) and entries("loans.repayment_post", p["operator"])

    # Taking the 借款申请汇总表 away is recorded too.
    staff_login(client, p["operator"])
    response = client.get(f"/origination/batches/{batch.pk}/summary.xlsx")
    assert response.status_code == 200
    assert one("origination_county_summary_export", p["operator"])

    # On the auditor's page each step reads in Chinese, with its actor and its states.
    for code in AuditEntry.objects.values_list("action", flat=True).distinct():
        assert CJK.search(action_label(code)), f"no Chinese name for {code}"
    client.logout()
    staff_login(client, auditor)
    html = client.get("/audit/", {"action": "contract.bank_return"}).content.decode()
    table = html[html.index("<tbody>"):html.index("</tbody>")]
    shown = re.sub(r"<[^>]+>", " ", table)  # the text a person reads, without tags and attributes
    assert "合同：退回县资助中心" in shown and "审核中" in shown and "已退回(待修改)" in shown
    assert "共同借款人签字不全" in shown and f"借款学生 {second.borrower.name}" in shown
    assert not re.search(r"[a-z]+[._][a-z_]+", shown), "a code on the page instead of its Chinese name"
    assert CountyBatch.objects.get(pk=batch.pk).state == "bank_reviewed"


def _ids(entry: AuditEntry) -> list[str]:
    if entry.object_id:
        return [entry.object_id]
    out = []
    for part in entry.after["ids"].split(","):
        lo, _, hi = part.partition("-")
        out += [str(i) for i in range(int(lo), int(hi or lo) + 1)]
    return out
