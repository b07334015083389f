"""Student self-service (issue 5 §8): due this year, postings explained, early repayment, 已结清凭证,
非恶意逾期证明 — and scope: another student's contract or certificate is a 404."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.web.helpers import login
from xuedai import businessdate
from xuedai.documents.checks import assert_no_missing_glyphs
from xuedai.orgs.models import Role
from xuedai.origination.models import ContractState
from xuedai.postloan.models import RequestStatus
from xuedai.postloan.services.selfservice import certificate_decide, certificate_request

from .conftest import make_contract
from .ledger_world import disbursed

pytestmark = pytest.mark.django_db


def test_loans_page_shows_this_years_due_and_channel(world, client):
    contract, _ = disbursed(world)
    login(client, contract.borrower.user)
    html = client.get(reverse("postloan:my_loans")).content.decode()
    assert "2026-12-20" in html and "逾期未还" in html
    from xuedai.loans.amount_due import contract_due
    assert contract_due(contract, businessdate.today()).channel.where in html and "10 天" in html
    home = client.get(reverse("home")).content.decode()
    assert 'id="year-due"' in home and 'class="card-number due-amount"' in home


def test_contract_page_explains_postings_and_other_students_get_404(world, client):
    contract, _ = disbursed(world)
    other, _ = disbursed(world)
    login(client, contract.borrower.user)
    html = client.get(reverse("postloan:my_contract", args=[contract.pk])).content.decode()
    assert "贴息：" in html and "由财政承担" in html and "自付利息：" in html
    assert "完整还款计划" in html
    assert client.get(reverse("postloan:my_contract", args=[other.pk])).status_code == 404


def test_early_repayment_shows_deduction_date(world, client):
    contract, _ = disbursed(world)
    login(client, contract.borrower.user)
    url = reverse("postloan:my_early_repayment", args=[contract.pk])
    with businessdate.business_date(dt.date(2027, 3, 5)):
        response = client.post(url, {"principal": "1000"}, follow=True)
    assert "扣款日为 2027年3月20日" in response.content.decode()
    # 20 Nov is outside the seed window: refused with the loans service's message.
    response = client.post(url, {}, follow=True)
    assert "不在提前还款申请期内" in response.content.decode()


def test_settlement_certificate_only_for_settled(world, client):
    borrower = world.graduate(state=ContractState.SETTLED)
    settled = borrower.contracts.get()
    live = make_contract(borrower, academic_year=2023)
    login(client, borrower.user)
    assert client.get(reverse("postloan:settlement_pdf", args=[live.pk])).status_code == 404
    response = client.get(reverse("postloan:settlement_pdf", args=[settled.pk]))
    assert response.status_code == 200
    assert_no_missing_glyphs(response.content, "已结清凭证", settled.contract_no, "盖章")
    stranger = world.graduate()
    login(client, stranger.user)
    assert client.get(reverse("postloan:settlement_pdf", args=[settled.pk])).status_code == 404


def test_non_malicious_certificate_request_approval_and_pdf(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contract, _ = disbursed(world)
    student = contract.borrower.user
    with pytest.raises(ValidationError):
        certificate_request(actor=student, contract=contract, reason="短")
    evidence = SimpleUploadedFile("冻结通知.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    certificate = certificate_request(actor=student, contract=contract,
                                      reason="支付宝账户被司法冻结，无法扣款", evidence=evidence)
    assert (tmp_path / certificate.evidence.name).exists() and "冻结" not in certificate.evidence.name
    with pytest.raises(PermissionDenied):  # a student cannot approve
        certificate_decide(actor=student, certificate=certificate, approve=True)
    login(client, student)
    assert client.get(reverse("postloan:certificate_pdf", args=[certificate.pk])).status_code == 404
    certificate_decide(actor=world.county_operator, certificate=certificate, approve=True, note="情况属实")
    certificate.refresh_from_db()
    assert certificate.status == RequestStatus.APPROVED
    response = client.get(reverse("postloan:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert_no_missing_glyphs(response.content, "非恶意逾期证明", "情况属实")
    stranger = world.graduate()
    login(client, stranger.user)
    assert client.get(reverse("postloan:certificate_pdf", args=[certificate.pk])).status_code == 404
    assert client.get(reverse("postloan:certificate_evidence", args=[certificate.pk])).status_code == 404
    login(client, world.county_operator)
    assert client.get(reverse("postloan:certificate_evidence", args=[certificate.pk])).status_code == 200


def test_certificate_refused_without_overdue_and_maker_is_not_checker(world):
    borrower = world.graduate()
    with pytest.raises(ValidationError, match="没有逾期记录"):
        certificate_request(actor=borrower.user, contract=borrower.contracts.get(), reason="支付宝账户被冻结")
    contract, _ = disbursed(world)
    officer2 = factories.make_user(world.university, Role.UNIVERSITY_OFFICER, username="officer2")
    certificate = certificate_request(actor=officer2, contract=contract, reason="学生委托：账户被冻结")
    with pytest.raises(PermissionDenied):
        certificate_decide(actor=officer2, certificate=certificate, approve=True)


def test_loans_page_queries_grow_by_one_per_contract(world, client):
    """下次应还 is the page students open most (bench/load_web.py): each more contract may cost its
    ledger read, not a query per terms change, rate change and relief kind."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, _ = disbursed(world, academic_year=2022)
    borrower = first.borrower
    login(client, borrower.user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("postloan:my_loans")).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    disbursed(world, borrower, academic_year=2023)
    disbursed(world, borrower, academic_year=2024)
    assert queries() - one <= 2, "every further contract should add only its ledger read"
