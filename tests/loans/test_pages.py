"""Loans pages: the account page explains each posting; deduction files leave only through a view
that checks scope; a result file can be uploaded (issue 3 §6)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.loans.conftest import make_contract
from tests.web.helpers import login
from xuedai.loans.batches import settlement_batch
from xuedai.loans.deduction.services import deduction_prepare
from xuedai.loans.models import Channel, Posting
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.orgs.models import Role

DAY = dt.date(2019, 12, 20)


@pytest.fixture
def setup(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    accounts = [contract_disburse(actor=None, contract=make_contract(province, county=c),
                                  on=dt.date(2018, 9, 1)) for c in province.counties]
    settlement_batch(on=dt.date(2018, 12, 20))
    settlement_batch(on=DAY)
    repayment_post(actor=None, account=accounts[0], on=DAY, amount=D("2000.00"))
    return accounts, {}


def test_account_page_explains_subsidy_self_pay_and_allocation(client, province, setup):
    accounts, _ = setup
    login(client, factories.make_user(province.counties[0], Role.OPERATOR))
    response = client.get(reverse("loans:account_detail", args=[accounts[0].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "贴息(应收财政)" in html and "自付利息(应还)" in html and "溢缴款转存" in html
    assert "由财政承担" in html and "由借款人承担" in html and "先收息、后还本" in html
    assert "240.13" in html and "103.58" in html
    contract = accounts[0].contract
    # Amounts as money, the rate as a percentage (not 8000.00 元 and 0.03450).
    assert f"¥{contract.amount:,.2f}" in html and f"{contract.annual_rate * 100:.2f} %" in html


def test_out_of_scope_account_is_a_404(client, province, setup):
    accounts, _ = setup
    login(client, factories.make_user(province.counties[1], Role.OPERATOR))
    assert client.get(reverse("loans:account_detail", args=[accounts[0].pk])).status_code == 404
    assert client.get(reverse("loans:account_detail", args=[accounts[1].pk])).status_code == 200
    api = client.get(f"/api/v1/loans/accounts/{accounts[0].pk}/")
    assert api.status_code == 404


def test_student_sees_only_their_own_account(client, province, setup):
    from xuedai.orgs.services import user_create

    accounts, _ = setup
    borrower = accounts[1].contract.borrower
    student = user_create(actor=None, username="stu1", organisation=None, roles=[Role.STUDENT],
                          real_name=borrower.name, password=factories.PASSWORD)
    borrower.user = student
    borrower.save(update_fields=["user"])
    login(client, student)
    assert client.get(reverse("loans:account_detail", args=[accounts[1].pk])).status_code == 200
    assert client.get(reverse("loans:account_detail", args=[accounts[0].pk])).status_code == 404


def test_deduction_files_are_scoped(client, province, setup, tmp_path):
    accounts, _ = setup
    runs = {r.channel: r for r in deduction_prepare(on=dt.date(2020, 1, 20))}
    alipay = runs[Channel.ALIPAY]  # 南部县 only (三台县 has an agent bank and paid anyway)
    other_county = factories.make_user(province.counties[0], Role.OPERATOR)
    login(client, other_county)
    assert client.get(reverse("loans:deduction_file", args=[alipay.pk, "request"])).status_code == 404
    listing = client.get(reverse("loans:deduction_runs")).content.decode()
    assert f'/loans/deductions/{alipay.pk}/request/' not in listing

    login(client, factories.make_user(province.centre, Role.OPERATOR))
    response = client.get(reverse("loans:deduction_file", args=[alipay.pk, "request"]))
    assert response.status_code == 200
    target = tmp_path / "download.xlsx"
    target.write_bytes(b"".join(response.streaming_content))
    sheet = load_workbook(target, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "序号" and rows[1][1] == accounts[1].contract.contract_no
    assert not str(alipay.request_file).startswith("/")  # stored under MEDIA_ROOT, no public URL


def test_result_upload_posts_the_payment(client, province, setup, tmp_path):
    from tests.loans.test_deduction import _answer

    accounts, _ = setup
    run = {r.channel: r for r in deduction_prepare(on=dt.date(2020, 1, 20))}[Channel.ALIPAY]
    line = run.lines.get()
    path = _answer(run, {1: ("成功", str(line.amount), "")}, tmp_path / "回盘.xlsx")
    login(client, factories.make_user(province.centre, Role.OPERATOR))
    with path.open("rb") as handle:
        response = client.post(reverse("loans:deduction_upload", args=[run.pk]), {"file": handle},
                               follow=True)
    assert "已导入并入账" in response.content.decode()
    assert Posting.objects.filter(account=accounts[1], business_date=dt.date(2020, 1, 20),
                                  kind="pay_overdue_principal").exists()
    run.refresh_from_db()
    assert run.status == "posted"
