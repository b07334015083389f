"""贴息: the quarter's summary and the pre-settlement list by hand (DOMAIN.md §4's published example:
6000.00 at 5.65 %, disbursed 1 Sep 2018, self-pay from 1 Sep 2019), and the finance department's
transfer posted contract by contract — whole or not at all — until the receivable is zero."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from tests.funds.conftest import settle_year
from xuedai.audit.models import AuditEntry
from xuedai.funds.models import SubsidyPayment, SubsidyPaymentLine
from xuedai.funds.services.subsidy import PaymentLine, SubsidyPaymentRejected, subsidy_payment_record
from xuedai.funds.subsidy_import import lines_from_text, lines_from_xlsx
from xuedai.funds.subsidy_summary import presettlement, presettlement_due, quarter_summary, summary_due
from xuedai.loans.models import Kind, LoanAccount, Posting
from xuedai.loans.services import account_balances_from_postings


def test_quarter_summary_by_hand(pair, province):
    # Q3 2018: 1 Sep → 1 Oct = 30 days: 6000 × 5.65 % × 30/360 = 28.25 per contract.
    (row,) = quarter_summary(2018, 3)
    assert (row.organisation, row.project_year, row.borrowers, row.contracts) == (
        province.counties[0],
        2018,
        2,
        2,
    )
    assert (row.principal, row.rate_min, row.rate_max, row.subsidy) == (
        D("12000.00"),
        D("0.0565"),
        D("0.0565"),
        D("56.50"),
    )
    # Q4 2018: 92 days → 86.633… → 86.63 each (rounded per contract, then summed).
    assert quarter_summary(2018, 4)[0].subsidy == D("173.26")
    # Q3 2019: 1 Jul → 1 Sep (self-pay start) = 62 days → 58.383… → 58.38 each.
    assert quarter_summary(2019, 3)[0].subsidy == D("116.76")
    assert quarter_summary(2019, 4) == []  # the borrowers pay their own interest now
    assert quarter_summary(2018, 2) == []  # not disbursed yet


def test_the_summary_is_scoped_to_the_organisations_given(pair, province):
    assert quarter_summary(2018, 4, [province.counties[1].pk]) == []
    assert len(quarter_summary(2018, 4, [province.counties[0].pk])) == 1


def test_presettlement_is_what_the_settlement_posts(pair):
    _contracts, accounts = pair
    _cols, subsidy = presettlement(2018)
    assert sorted(subsidy.tolist()) == [10358, 10358]  # 110 days → 103.58 (the published figure)
    settle_year(accounts, 2018)
    posted = Posting.objects.filter(kind=Kind.SUBSIDY_INTEREST, business_date=dt.date(2018, 12, 20))
    assert sorted(p.amount for p in posted) == [D("103.58"), D("103.58")]
    _cols, subsidy = presettlement(2019)  # 20 Dec 2018 → 1 Sep 2019 = 255 days → 240.13
    assert sorted(subsidy.tolist()) == [24013, 24013]


def test_deadlines_count_working_days(db):
    # Q3 2026 ends Wed 30 Sep; 1–8 Oct is the National Day holiday (10 Oct, a Saturday, is worked).
    assert summary_due(2026, 3) > dt.date(2026, 10, 14)
    due = presettlement_due(2026)
    assert dt.date(2026, 11, 1) < due < dt.date(2026, 11, 10)


def _settled(pair):
    contracts, accounts = pair
    settle_year(accounts, 2018)
    return contracts, accounts


def test_a_transfer_posts_against_each_receivable(pair, province_officer):
    contracts, accounts = _settled(pair)
    payment = subsidy_payment_record(
        actor=province_officer,
        received_on=dt.date(2018, 12, 18),
        payer="四川省财政厅",
        reference="川财教2018-1",
        lines=[
            PaymentLine(1, contracts[0].contract_no, D("103.58")),
            PaymentLine(2, contracts[1].contract_no, D("100.00")),
        ],
    )
    assert (payment.total, payment.lines) == (D("203.58"), 2)
    for account, left in zip(accounts, (D("0.00"), D("3.58")), strict=True):
        account.refresh_from_db()
        assert (
            account.subsidy_receivable
            == left
            == account_balances_from_postings(account)["subsidy_receivable"]
        )
    assert SubsidyPaymentLine.objects.filter(payment=payment).count() == 2
    assert AuditEntry.objects.filter(action="loans.subsidy_received").count() == 1
    assert AuditEntry.objects.filter(action="funds.subsidy_payment_record").count() == 1


def test_one_bad_line_saves_nothing_and_every_error_is_named(pair, province_officer):
    contracts, _accounts = _settled(pair)
    lines = [
        PaymentLine(2, contracts[0].contract_no, D("103.58")),
        PaymentLine(3, "NO-SUCH", D("1.00")),
        PaymentLine(4, contracts[0].contract_no, D("1.00")),
    ]
    with pytest.raises(SubsidyPaymentRejected) as refused:
        subsidy_payment_record(
            actor=province_officer,
            received_on=dt.date(2018, 12, 18),
            payer="四川省财政厅",
            reference="X1",
            lines=lines,
        )
    messages = [str(e) for e in refused.value.errors]
    assert messages == [
        "第3行“合同编号”：没有合同“NO-SUCH”，或不在本机构管辖范围内。",
        f"第4行“合同编号”：合同“{contracts[0].contract_no}”与第2行重复。",
    ]
    # Above the receivable: refused after the lock, still nothing saved.
    with pytest.raises(SubsidyPaymentRejected) as refused:
        subsidy_payment_record(
            actor=province_officer,
            received_on=dt.date(2018, 12, 18),
            payer="四川省财政厅",
            reference="X2",
            lines=[
                PaymentLine(2, contracts[0].contract_no, D("50.00")),
                PaymentLine(3, contracts[1].contract_no, D("103.59")),
            ],
        )
    assert [str(e) for e in refused.value.errors] == [
        "第3行“到账贴息”：到账金额 103.59 超过应收贴息余额 103.58。"
    ]
    assert SubsidyPayment.objects.count() == 0 and SubsidyPaymentLine.objects.count() == 0
    assert not Posting.objects.filter(kind=Kind.SUBSIDY_RECEIVED).exists()
    assert {a.subsidy_receivable for a in LoanAccount.objects.all()} == {D("103.58")}


def test_the_same_voucher_cannot_be_posted_twice(pair, province_officer):
    contracts, _ = _settled(pair)
    kw = {
        "actor": province_officer,
        "received_on": dt.date(2018, 12, 18),
        "payer": "四川省财政厅",
        "reference": "V1",
    }
    subsidy_payment_record(**kw, lines=[PaymentLine(1, contracts[0].contract_no, D("1.00"))])
    with pytest.raises(SubsidyPaymentRejected, match="1 处错误"):
        subsidy_payment_record(**kw, lines=[PaymentLine(1, contracts[1].contract_no, D("1.00"))])


def test_a_county_cannot_post_another_countys_contract(pair, province, make_user):
    from xuedai.orgs.models import Role

    contracts, _ = _settled(pair)
    other = make_user(province.counties[1], Role.OPERATOR)
    with pytest.raises(SubsidyPaymentRejected, match="1 处错误"):
        subsidy_payment_record(
            actor=other,
            received_on=dt.date(2018, 12, 18),
            payer="财政",
            reference="R",
            lines=[PaymentLine(1, contracts[0].contract_no, D("1.00"))],
        )


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["预结息明细表"])
    sheet.append(["序号", "合同编号", "借款学生", "到账贴息"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_xlsx_and_typed_lines_are_read_with_row_errors(db):
    lines, errors = lines_from_xlsx(
        _xlsx(
            [
                [1, "C1", "张三", 103.58],
                [2, "C2", "李四", "abc"],
                [3, "C1", "王五", 1],
                [4, "C4", "赵六", 1.005],
            ]
        )
    )
    assert [(line.row_number, line.contract_no, line.amount) for line in lines] == [(3, "C1", D("103.58"))]
    assert [str(e) for e in errors] == [
        "第4行“到账贴息”：须为数字。",
        "第5行“合同编号”：与第3行重复。",
        "第6行“到账贴息”：最多2位小数。",
    ]
    lines, errors = lines_from_text("C1,103.58\nC2，abc\n\nC3")
    assert [(line.contract_no, line.amount) for line in lines] == [("C1", D("103.58"))]
    assert [str(e) for e in errors] == ["第2行“到账贴息”：须为数字。", "第4行：每行写“合同编号,到账贴息”。"]


def test_central_and_local_shares_per_policy_version(pair, province):
    from xuedai.funds.models import SubsidyShare

    (row,) = quarter_summary(2018, 4)
    assert (row.central, row.local) == (D("0.00"), D("173.26"))  # no split set: all local
    SubsidyShare.objects.create(policy_version=pair[0][0].policy_version, central_share=D("0.8"))
    (row,) = quarter_summary(2018, 4)
    # 173.26 × 80 % = 138.608 → 138.61 central, the rest 34.65 local: the parts add up.
    assert (row.central, row.local) == (D("138.61"), D("34.65"))
