"""The bank's 催收 records and its quarterly repayment report to a university, by hand.

Contracts of the worked example at 四川大学 (6000 yuan at 5.65 %, 1603.58 due on 20 Dec 2019):
A pays it all, B nothing, C 1000 (103.58 interest first, then 896.42 principal). A fourth contract at
西南石油大学 is never in 四川大学's report.
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from tests import factories
from tests.loans.conftest import make_contract
from tests.web.helpers import login
from xuedai import businessdate
from xuedai.audit.models import AuditEntry
from xuedai.documents import checks
from xuedai.loans.batches import settlement_batch
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.orgs.models import Role
from xuedai.postloan.models import ContactLog
from xuedai.reports.bank.repayment import last_full_quarter, quarter_bounds, repayment_report

D = Decimal


@pytest.fixture
def portfolio(province):
    sichuan, swpu = province.universities
    accounts = {}
    for name, university in (("A", sichuan), ("B", sichuan), ("C", sichuan), ("X", swpu)):
        borrower = factories.BorrowerFactory(
            graduation_date=dt.date(2019, 6, 30),
            enrolled_year=2015,
            university=university,
            name=f"学生{name}",
        )
        contract = make_contract(province, borrower=borrower, university=university, no=f"Q4-{name}")
        accounts[name] = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    for year in (2018, 2019):
        settlement_batch(on=dt.date(year, 12, 20))
    repayment_post(actor=None, account=accounts["A"], on=dt.date(2019, 12, 20), amount=D("1603.58"))
    repayment_post(actor=None, account=accounts["C"], on=dt.date(2019, 12, 20), amount=D("1000.00"))
    return accounts


@pytest.fixture
def bank_officer(province):
    return factories.make_user(province.branch, Role.BANK_REVIEWER)


def test_quarters():
    assert quarter_bounds(2019, 4) == (dt.date(2019, 10, 1), dt.date(2019, 12, 31))
    assert quarter_bounds(2020, 1) == (dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    assert last_full_quarter(dt.date(2020, 1, 6)) == (2019, 4)
    assert last_full_quarter(dt.date(2020, 8, 1)) == (2020, 2)


def test_repayment_report_by_hand(portfolio, province):
    report = repayment_report(bank=province.branch, university=province.universities[0], year=2019, quarter=4)
    rows = [
        (
            r["contract_no"],
            r["due_amount"],
            r["paid_amount"],
            r["balance"],
            r["overdue_principal"],
            r["overdue_interest"],
            r["overdue_days"],
        )
        for r in report["rows"]
    ]
    assert rows == [
        ("Q4-A", D("1603.58"), D("1603.58"), D("4500.00"), 0, 0, 0),
        ("Q4-B", D("1603.58"), 0, D("6000.00"), D("1500.00"), D("103.58"), 11),
        ("Q4-C", D("1603.58"), D("1000.00"), D("5103.58"), D("603.58"), 0, 11),
    ]
    assert report["totals"] == {
        "due_amount": D("4810.74"),
        "paid_amount": D("2603.58"),
        "balance": D("15603.58"),
        "overdue_principal": D("2103.58"),
        "overdue_interest": D("103.58"),
    }
    assert (report["contracts"], report["overdue_contracts"], report["borrowers"]) == (3, 2, 3)
    # 2603.58 of the 4810.74 that fell due was paid: 54.12 %.
    assert round(report["repayment_rate"], 4) == D("0.5412")
    # The third quarter: nothing fell due, nothing paid; balances whole.
    q3 = repayment_report(bank=province.branch, university=province.universities[0], year=2019, quarter=3)
    assert [(r["due_amount"], r["paid_amount"], r["balance"]) for r in q3["rows"]] == [(0, 0, D(6000))] * 3
    assert q3["repayment_rate"] is None


def test_repayment_files(client, portfolio, province, bank_officer):
    login(client, bank_officer)
    query = f"?university={province.universities[0].pk}&year=2019&quarter=4"
    with businessdate.business_date(dt.date(2020, 1, 6)):
        page = client.get("/reports/credit/bank/repayment/" + query).content.decode()
        assert "54.12 %" in page and "Q4-B" in page and "Q4-X" not in page
        sheet = openpyxl.load_workbook(
            io.BytesIO(client.get("/reports/credit/bank/repayment/xlsx/" + query).content)
        ).active
        pdf = client.get("/reports/credit/bank/repayment/pdf/" + query).content
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0].startswith("国家助学贷款还款情况季度报告")
    total = next(row for row in values if row[1] == "合计")
    assert total[4:9] == (4810.74, 2603.58, 15603.58, 2103.58, 103.58)
    b = portfolio["B"].contract.borrower
    assert all(b.id_number not in str(row) for row in values)  # masked
    checks.assert_no_missing_glyphs(pdf, "国家助学贷款还款情况季度报告", "四川大学")
    assert AuditEntry.objects.filter(action="document_export").count() == 2
    # Another university's officer is no bank: 403.
    login(client, factories.make_user(province.universities[0], Role.UNIVERSITY_OFFICER))
    assert client.get("/reports/credit/bank/repayment/" + query).status_code == 403


def test_bank_records_a_collection_contact(client, portfolio, bank_officer):
    login(client, bank_officer)
    with businessdate.business_date(dt.date(2020, 1, 6)):
        page = client.get("/reports/credit/bank/collection/").content.decode()
        assert "学生B" in page and "学生C" in page and "学生A" not in page
        b = portfolio["B"].contract.borrower
        assert b.id_number not in page
        response = client.post(
            f"/postloan/graduates/{b.pk}/contacts/",
            {
                "contacted_on": "2020-01-06",
                "channel": "phone",
                "result": "promised",
                "note": "银行电话催收，承诺月底前还款",
            },
        )
        assert response.status_code == 302
    log = ContactLog.objects.get(borrower=b)
    assert log.staff == bank_officer and log.result == "promised"
    assert AuditEntry.objects.filter(action="contact_record", actor=bank_officer).count() == 1
    with businessdate.business_date(dt.date(2020, 1, 6)):
        assert "2020-01-06" in client.get("/reports/credit/bank/collection/").content.decode()


def test_a_university_outside_the_scope_is_not_found(client, portfolio, province, bank_officer):
    from xuedai.orgs.models import Organisation, OrgKind

    stranger = Organisation.objects.create(name="外省大学", kind=OrgKind.UNIVERSITY, code="OUT-1")
    login(client, bank_officer)
    assert client.get(f"/reports/credit/bank/repayment/?university={stranger.pk}").status_code == 404
