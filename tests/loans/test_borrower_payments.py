"""One payment of a borrower over his contracts, oldest first, 先收息、后还本 (issue 12 item 6)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests import factories
from xuedai.audit.models import AuditEntry
from xuedai.loans.models import Kind, Posting
from xuedai.loans.services import contract_disburse, settlement_post
from xuedai.loans.services.borrower_payments import borrower_repayment_post
from xuedai.loans.services.servicing import ServicingError

from .conftest import make_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_contracts(province):
    """The published example's contract (2018) and a second one a year later, same borrower; both
    settled on 20 Dec 2019 and left unpaid: each owes 103.58 interest and 1500 principal."""
    borrower = factories.BorrowerFactory(graduation_date=dt.date(2019, 6, 30), enrolled_year=2015)
    older = make_contract(province, borrower=borrower)
    newer = make_contract(province, borrower=borrower, disbursed_on=dt.date(2019, 9, 1))
    accounts = []
    for contract, on in ((older, dt.date(2018, 9, 1)), (newer, dt.date(2019, 9, 1))):
        account = contract_disburse(actor=None, contract=contract, on=on)
        accounts.append(account)
    settlement_post(actor=None, account=accounts[0], on=dt.date(2018, 12, 20))
    for account in accounts:
        settlement_post(actor=None, account=account, on=dt.date(2019, 12, 20))
    return borrower, accounts


def _paid(account, on):
    return sorted((p.kind, p.amount) for p in Posting.objects.filter(account=account, business_date=on)
                  if p.kind.startswith("pay_"))


def test_interest_of_every_contract_before_principal_oldest_first(two_contracts):
    borrower, (older, newer) = two_contracts
    on = dt.date(2020, 1, 20)  # 31 days overdue
    # Penalty 1500 × 7.345 % × 31/360 = 9.487… → 9.49 and compound 103.58 × 7.345 % × 31/360 =
    # 0.655… → 0.66 on each contract; then both interests 103.58; then the older contract's 1500
    # principal; the 72.54 left of 1800 goes to the newer contract's principal.
    paid = borrower_repayment_post(actor=None, borrower=borrower, on=on, amount="1800.00", source="柜台")
    assert [(a.pk, s) for a, s in paid] == [(older.pk, D("1613.73")), (newer.pk, D("186.27"))]
    assert _paid(older, on) == sorted([(Kind.PAY_PENALTY, D("9.49")), (Kind.PAY_COMPOUND, D("0.66")),
                                       (Kind.PAY_OVERDUE_INTEREST, D("103.58")),
                                       (Kind.PAY_OVERDUE_PRINCIPAL, D("1500.00"))])
    assert _paid(newer, on) == sorted([(Kind.PAY_PENALTY, D("9.49")), (Kind.PAY_COMPOUND, D("0.66")),
                                       (Kind.PAY_OVERDUE_INTEREST, D("103.58")),
                                       (Kind.PAY_OVERDUE_PRINCIPAL, D("72.54"))])
    entry = AuditEntry.objects.get(action="loans.borrower_repayment_post")
    assert entry.after["amount"] == "1800.00"


def test_a_small_payment_pays_penalties_of_both_before_any_interest(two_contracts):
    borrower, (older, newer) = two_contracts
    on = dt.date(2020, 1, 20)
    # 20.00: penalties 9.49 + 9.49 = 18.98 first (both contracts), then compound: 0.66 to the older,
    # 0.36 to the newer.
    paid = dict((a.pk, s) for a, s in borrower_repayment_post(actor=None, borrower=borrower, on=on,
                                                               amount="20.00"))
    assert paid == {older.pk: D("10.15"), newer.pk: D("9.85")}


def test_more_than_owed_waits_as_credit_on_the_oldest_contract(two_contracts):
    borrower, (older, newer) = two_contracts
    borrower_repayment_post(actor=None, borrower=borrower, on=dt.date(2019, 12, 20), amount="4000.00")
    older.refresh_from_db()
    newer.refresh_from_db()
    # Due that day (not overdue): 103.58 + 1500 on each → 3207.16; 792.84 waits on the older one.
    assert (older.credit, newer.credit) == (D("792.84"), D("0"))
    assert older.principal_due == newer.principal_due == D("0")


def test_bad_input_is_refused_and_nothing_is_saved(two_contracts):
    borrower, _ = two_contracts
    before = Posting.objects.count()
    with pytest.raises(ServicingError, match="还款金额"):
        borrower_repayment_post(actor=None, borrower=borrower, on=dt.date(2020, 1, 20), amount="0")
    assert Posting.objects.count() == before


def test_the_counter_page_previews_the_split_and_posts_it(client, province, two_contracts, monkeypatch):
    from django.urls import reverse

    from tests.web.helpers import login
    from xuedai import businessdate
    from xuedai.orgs.models import Role

    borrower, (older, newer) = two_contracts
    monkeypatch.setattr(businessdate, "today", lambda: dt.date(2020, 1, 20))
    login(client, factories.make_user(province.counties[0], Role.OPERATOR))
    account_page = client.get(reverse("loans:account_detail", args=[older.pk])).content.decode()
    assert 'id="counter-payment"' in account_page
    url = reverse("loans:borrower_payment", args=[borrower.pk])
    preview = client.get(url, {"amount": "1800.00"}).content.decode()
    assert "1,613.73" in preview and "186.27" in preview and 'id="confirm"' in preview
    assert borrower.id_number not in preview  # masked
    assert "还款金额" in client.get(url, {"amount": "-5"}).content.decode()
    assert not Posting.objects.filter(business_date=dt.date(2020, 1, 20)).exists()  # preview writes nothing
    response = client.post(url, {"amount": "1800.00", "confirm": "1"}, follow=True)
    assert "已入账 1800.00 元" in response.content.decode()
    assert Posting.objects.filter(account=newer, kind=Kind.PAY_OVERDUE_PRINCIPAL, amount=D("72.54")).exists()
    other = factories.make_user(province.counties[1], Role.OPERATOR)
    login(client, other)
    assert client.get(url).status_code == 404


def test_a_supervisor_flags_misuse_and_penalty_uses_the_misuse_multiplier(client, province, two_contracts,
                                                                        monkeypatch):
    from django.urls import reverse

    from tests.web.helpers import login
    from xuedai import businessdate
    from xuedai.loans.models import TermsChange
    from xuedai.loans.services import penalty_accrue
    from xuedai.orgs.models import Role

    _, (older, _newer) = two_contracts
    monkeypatch.setattr(businessdate, "today", lambda: dt.date(2020, 1, 5))
    operator = factories.make_user(province.counties[0], Role.OPERATOR)
    login(client, operator)
    page = client.get(reverse("loans:account_detail", args=[older.pk])).content.decode()
    assert 'id="misuse-form"' not in page
    assert client.post(reverse("loans:misuse_flag", args=[older.pk]), {"reason": "x"}).status_code == 403
    login(client, factories.make_user(province.counties[0], Role.SUPERVISOR))
    url = reverse("loans:misuse_flag", args=[older.pk])
    response = client.post(url, {"reason": " "}, follow=True)
    assert "挪用原因：请填写" in response.content.decode()
    assert not TermsChange.objects.filter(kind="misuse").exists()
    response = client.post(url, {"reason": "贷款用于购买手机，经学校核实"}, follow=True)
    html = response.content.decode()
    assert 'id="misuse"' in html and "购买手机" in html and "150%" in html
    # 1500 overdue since 20 Dec 2019 and 103.58 interest: 16 days at 130 % (7.345 %), 15 at 150 %
    # (8.475 %) to 20 Jan 2020: 1500 × (0.07345 × 16 + 0.08475 × 15)/360 = 10.193… → 10.19 and
    # 103.58 × 2.44645/360 = 0.7039… → 0.70; without the flag 9.49 + 0.66.
    older.refresh_from_db()
    assert penalty_accrue(account=older, on=dt.date(2020, 1, 20)) == D("10.89")


def test_a_contract_whose_policy_settles_on_21_december(province):
    """DOMAIN.md §1: "some contracts carry 21 Dec" — the version's settlement day drives the batch."""
    from xuedai.loans.batches import settlement_batch
    from xuedai.policies.models import PolicyVersion

    version = PolicyVersion.objects.order_by("pk").first()
    version.pk, version.effective_from, version.settlement_day = None, dt.date(2011, 1, 1), "12-21"
    version.name = "测试：12月21日结息"
    version.save()
    contract = make_contract(province)
    contract.policy_version = version
    contract.save(update_fields=["policy_version"])
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    settlement_batch(on=dt.date(2018, 12, 20))
    assert not Posting.objects.filter(account=account, kind=Kind.SUBSIDY_INTEREST).exists()
    from xuedai.daily.calendar import event_days

    assert dt.date(2018, 12, 21) in event_days(dt.date(2018, 12, 1), dt.date(2018, 12, 31))  # simulate
    settlement_batch(on=dt.date(2018, 12, 21))
    # 1 Sep → 21 Dec 2018 is 111 days: 6000 × 5.65 % × 111/360 = 104.525 → 104.53 (not 103.58).
    assert Posting.objects.get(account=account, kind=Kind.SUBSIDY_INTEREST).amount == D("104.53")
