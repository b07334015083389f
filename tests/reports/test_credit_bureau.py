"""征信报送 worked by hand: a three-contract portfolio, its December file, a reversal that makes a
correction, and the 2022 relief's not-reportable amounts (reports.bureau).

Every contract: 6000 yuan at 5.65 %, disbursed 1 Sep 2018, self-pay from 1 Sep 2019, 1500 principal
each 20 Dec from 2019 (DOMAIN.md §4 worked example): on 20 Dec 2019 each owes 103.58 interest
(6000 × 5.65 % × 110/360) and 1500 principal, 1603.58 in all.

- A pays 1603.58 on 20 Dec 2019 (balance 4500); the bank then returns the deduction's principal
  (reversal of the 1500 on 10 Jan 2020): December's figures change → one correction record.
- B pays nothing: overdue 1500 + 103.58, 11 days at 31 Dec (20 Dec → 31 Dec), 42 at 31 Jan.
- C pays 1000: interest first (先收息、后还本), so 103.58 interest and 896.42 principal; 603.58
  principal overdue, balance 5103.58.
"""

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from tests.loans.conftest import make_contract
from tests.web.helpers import login
from xuedai import businessdate
from xuedai.audit.models import AuditEntry
from xuedai.loans.batches import settlement_batch
from xuedai.loans.models import Kind, Posting, ReliefProgramme
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.loans.services.ledger import posting_reverse
from xuedai.loans.services.servicing import relief_apply
from xuedai.orgs.models import Role
from xuedai.reports.bureau.download import credit_file_lines
from xuedai.reports.bureau.export import CreditExportError, credit_file_make, credit_file_request
from xuedai.reports.bureau.layout import credit_file_read
from xuedai.reports.bureau.models import CreditFile

D = Decimal


@pytest.fixture
def portfolio(province):
    accounts = {
        n: contract_disburse(
            actor=None, contract=make_contract(province, no=f"SC2018-{n}"), on=dt.date(2018, 9, 1)
        )
        for n in "ABC"
    }
    for year in (2018, 2019):
        settlement_batch(on=dt.date(year, 12, 20))
    repayment_post(actor=None, account=accounts["A"], on=dt.date(2019, 12, 20), amount=D("1603.58"))
    repayment_post(actor=None, account=accounts["C"], on=dt.date(2019, 12, 20), amount=D("1000.00"))
    return accounts


@pytest.fixture
def bank_officer(province):
    return factories.make_user(province.branch, Role.BANK_REVIEWER)


def _make(officer, month: dt.date, today: dt.date) -> CreditFile:
    with businessdate.business_date(today):
        credit_file = credit_file_request(actor=officer, month=month)
    credit_file_make(credit_file, actor=officer)
    credit_file.refresh_from_db()
    return credit_file


def _records(credit_file) -> dict:
    back = credit_file_read(b"".join(credit_file_lines(credit_file)))
    return back, {(r["record_type"], r["month"], r["contract_no"]): r for r in back["records"]}


def _figures(r) -> tuple:
    return (
        r["balance"],
        r["due_amount"],
        r["paid_amount"],
        r["overdue_principal"],
        r["overdue_interest"],
        r["overdue_days"],
        r["status"],
        r["waived_amount"],
        r["held_overdue"],
        r["not_reportable"],
    )


def test_december_file_every_record_by_hand(portfolio, bank_officer, province):
    credit_file = _make(bank_officer, dt.date(2019, 12, 1), dt.date(2020, 1, 6))
    back, records = _records(credit_file)
    assert back["header"]["records"] == 3 and back["header"]["month"] == 201912
    assert _figures(records["A", 201912, "SC2018-A"]) == (
        D("4500"),
        D("1603.58"),
        D("1603.58"),
        0,
        0,
        0,
        "N",
        0,
        0,
        0,
    )
    assert _figures(records["A", 201912, "SC2018-B"]) == (
        D("6000"),
        D("1603.58"),
        0,
        D("1500"),
        D("103.58"),
        11,
        "1",
        0,
        0,
        0,
    )
    assert _figures(records["A", 201912, "SC2018-C"]) == (
        D("5103.58"),
        D("1603.58"),
        D("1000"),
        D("603.58"),
        0,
        11,
        "1",
        0,
        0,
        0,
    )
    b = records["A", 201912, "SC2018-B"]
    borrower = portfolio["B"].contract.borrower
    assert (b["name"], b["id_number"], b["product"], b["amount"]) == (
        borrower.name,
        borrower.id_number,
        1,
        D(6000),
    )
    assert (b["disbursed_on"], b["maturity_date"]) == (dt.date(2018, 9, 1), dt.date(2022, 12, 20))
    assert back["trailer"] == {
        "record_type": "T",
        "base_records": 3,
        "corrections": 0,
        "balance_total": D("15603.58"),
    }
    assert (credit_file.base_records, credit_file.corrections, credit_file.not_reportable) == (3, 0, 0)


def test_a_reversal_makes_one_correction_record(portfolio, bank_officer):
    _make(bank_officer, dt.date(2019, 12, 1), dt.date(2020, 1, 6))
    returned = Posting.objects.get(account=portfolio["A"], kind=Kind.PAY_PRINCIPAL)
    posting_reverse(actor=None, posting=returned, reason="扣款退回", on=dt.date(2020, 1, 10))
    january = _make(bank_officer, dt.date(2020, 1, 1), dt.date(2020, 2, 3))
    back, records = _records(january)
    # December again for A only, with the principal unpaid: 1500 overdue, 11 days; B and C unchanged.
    assert [(r["record_type"], r["month"], r["contract_no"]) for r in back["records"]] == [
        ("C", 201912, "SC2018-A"),
        ("A", 202001, "SC2018-A"),
        ("A", 202001, "SC2018-B"),
        ("A", 202001, "SC2018-C"),
    ]
    assert _figures(records["C", 201912, "SC2018-A"]) == (
        D("6000"),
        D("1603.58"),
        D("103.58"),
        D("1500"),
        0,
        11,
        "1",
        0,
        0,
        0,
    )
    # January: nothing falls due, nothing paid; 20 Dec → 31 Jan is 42 days (status 2: 31–60).
    assert _figures(records["A", 202001, "SC2018-A"]) == (D("6000"), 0, 0, D("1500"), 0, 42, "2", 0, 0, 0)
    assert _figures(records["A", 202001, "SC2018-B"]) == (
        D("6000"),
        0,
        0,
        D("1500"),
        D("103.58"),
        42,
        "2",
        0,
        0,
        0,
    )
    assert _figures(records["A", 202001, "SC2018-C"]) == (
        D("5103.58"),
        0,
        0,
        D("603.58"),
        0,
        42,
        "2",
        0,
        0,
        0,
    )
    assert back["trailer"]["corrections"] == 1 and back["trailer"]["base_records"] == 3
    # Made again with nothing changed: no base record repeated, no correction.
    again = _make(bank_officer, dt.date(2020, 1, 1), dt.date(2020, 2, 4))
    assert (again.sequence, again.base_records, again.corrections) == (3, 0, 0)


def test_relief_waiver_and_epidemic_overdue_are_not_reportable(province, bank_officer):
    """G repays 2019 and 2020 on time, not 2021 (1500 + 169.50 = 3000 × 5.65 %), and comes under the
    2022 programme on 1 Mar 2022: the penalty charged to that day (21.73 + 2.46) and 2022's interest
    (1500 × 5.65 % = 84.75) are waived; 2022's 1500 principal, unpaid at 31 Dec, is epidemic-held.
    H never pays and has no relief: its 2022 overdue stays reportable."""
    g = contract_disburse(actor=None, contract=make_contract(province, no="SC2018-G"), on=dt.date(2018, 9, 1))
    contract_disburse(actor=None, contract=make_contract(province, no="SC2018-H"), on=dt.date(2018, 9, 1))
    for year in (2018, 2019):
        settlement_batch(on=dt.date(year, 12, 20))
    repayment_post(actor=None, account=g, on=dt.date(2019, 12, 20), amount=D("1603.58"))
    settlement_batch(on=dt.date(2020, 12, 20))
    repayment_post(actor=None, account=g, on=dt.date(2020, 12, 20), amount=D("1754.25"))  # 1500 + 254.25
    settlement_batch(on=dt.date(2021, 12, 20))
    programme = ReliefProgramme.objects.create(name="2022年国家助学贷款免息及本金延期偿还", year=2022)
    with businessdate.business_date(dt.date(2022, 3, 1)):
        relief_apply(actor=None, programme=programme, account=g, on=dt.date(2022, 3, 1))
    settlement_batch(on=dt.date(2022, 12, 20))

    # 31 Mar 2022: 20 Dec 2021 → 31 Mar 2022 is 11 + 31 + 28 + 31 = 101 days (status 4: 91–120).
    march = _make(bank_officer, dt.date(2022, 3, 1), dt.date(2022, 4, 6))
    _, records = _records(march)
    assert _figures(records["A", 202203, "SC2018-G"]) == (
        D("3000"),
        0,
        0,
        D("1500"),
        D("169.50"),
        101,
        "4",
        D("24.19"),
        0,
        1,
    )
    december = _make(bank_officer, dt.date(2022, 12, 1), dt.date(2023, 1, 5))
    _, records = _records(december)
    # 2021's arrears stay reportable (376 days: 20 Dec 2021 → 31 Dec 2022); 2022's are held.
    assert _figures(records["A", 202212, "SC2018-G"]) == (
        D("3000"),
        D("1584.75"),
        0,
        D("1500"),
        D("169.50"),
        376,
        "7",
        D("84.75"),
        D("1500"),
        3,
    )
    # H: 4 × 1500 principal; interest on the principal not yet due each year (overdue principal
    # bears penalty instead): 103.58 + 4500 × 5.65 % + 3000 × 5.65 % + 1500 × 5.65 %
    # = 103.58 + 254.25 + 169.50 + 84.75 = 612.08, all reportable (no relief).
    h_record = records["A", 202212, "SC2018-H"]
    assert (
        h_record["overdue_principal"],
        h_record["overdue_interest"],
        h_record["held_overdue"],
        h_record["not_reportable"],
    ) == (D("6000"), D("612.08"), 0, 0)
    assert h_record["overdue_days"] == (dt.date(2022, 12, 31) - dt.date(2019, 12, 20)).days
    assert december.not_reportable == 1


def test_refusals_and_scope(portfolio, bank_officer, province):
    officer = factories.make_user(province.universities[0], Role.UNIVERSITY_OFFICER)
    with businessdate.business_date(dt.date(2020, 1, 6)):
        with pytest.raises(CreditExportError, match="分行的审查人或审批人"):
            credit_file_request(actor=officer, month=dt.date(2019, 12, 1))
        with pytest.raises(CreditExportError, match="2020年01月尚未结束"):
            credit_file_request(actor=bank_officer, month=dt.date(2020, 1, 1))
        credit_file_request(actor=bank_officer, month=dt.date(2019, 12, 1))
        with pytest.raises(CreditExportError, match="尚在生成中"):
            credit_file_request(actor=bank_officer, month=dt.date(2019, 11, 1))
    assert CreditFile.objects.count() == 1


def test_page_download_is_audited(client, portfolio, bank_officer, province):
    login(client, bank_officer)
    with businessdate.business_date(dt.date(2020, 1, 6)):
        page = client.get("/reports/credit/bureau/")
        assert page.status_code == 200 and "征信报送" in page.content.decode()
        response = client.post("/reports/credit/bureau/request/", {"month": "2019-12"})
        assert response.status_code == 302
    credit_file = CreditFile.objects.get()
    assert credit_file.done and credit_file.job_run.status == "done"  # the immediate task backend ran it
    response = client.get(f"/reports/credit/bureau/{credit_file.pk}/download/")
    data = b"".join(response.streaming_content)
    assert len(credit_file_read(data)["records"]) == 3
    entry = AuditEntry.objects.filter(action="document_export").latest("id")
    assert entry.after["document"].startswith("征信报送-") and str(entry.after["rows"]) == "3"
    assert AuditEntry.objects.filter(action="reports.credit_file_make").exists()
    other = factories.make_user(province.universities[0], Role.UNIVERSITY_OFFICER)
    login(client, other)
    assert client.get(f"/reports/credit/bureau/{credit_file.pk}/download/").status_code == 403


def test_a_failed_run_is_resumed_not_replaced(portfolio, bank_officer, monkeypatch):
    from xuedai.reports.bureau import export

    with businessdate.business_date(dt.date(2020, 1, 6)):
        credit_file = credit_file_request(actor=bank_officer, month=dt.date(2019, 12, 1))

    def broken(*args, **kwargs):
        raise RuntimeError("连接中断")

    monkeypatch.setattr(export, "_insert", broken)
    with pytest.raises(RuntimeError):
        credit_file_make(credit_file, actor=bank_officer)
    monkeypatch.undo()
    with businessdate.business_date(dt.date(2020, 1, 7)):
        again = credit_file_request(actor=bank_officer, month=dt.date(2019, 12, 1))
    assert again.pk == credit_file.pk
    credit_file_make(again, actor=bank_officer)
    again.refresh_from_db()
    assert again.done and again.base_records == 3 and CreditFile.objects.count() == 1
