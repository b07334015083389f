"""payments_for_contract reads the ledger's repayments (issue 5 §8): a repayment changes what the
student owes on their page."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.postloan.ledger_world import disbursed
from xuedai.calculator.contract_request import quote_request_for_contract
from xuedai.calculator.payments import payments_for_contract
from xuedai.calculator.plans import contract_plan
from xuedai.loans.services import repayment_post
from xuedai.loans.terms import principal_from

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def test_no_account_no_payments(world):
    borrower = world.graduate()
    assert payments_for_contract(borrower.contracts.get()) == []


def test_a_repayment_changes_the_amount_due(world):
    contract, account = disbursed(world)
    before = contract_plan(contract, TODAY, payments_for_contract(contract))
    assert before.due_now > 0  # 2025's interest and first principal, unpaid since 20 Dec 2025
    repayment_post(actor=None, account=account, on=TODAY, amount=Decimal("2000.00"), source="支付宝")
    payments = payments_for_contract(contract)
    assert payments == [{"on": "2026-11-20", "amount": "2000.00"}]
    after = contract_plan(contract, TODAY, payments)
    assert after.due_now == 0
    assert Decimal(after.state["outstanding_principal"]) < Decimal(before.state["outstanding_principal"])


def test_principal_from_is_the_ledgers(world):
    contract, _ = disbursed(world, settle_to=2022)
    request = quote_request_for_contract(contract, TODAY)
    assert request["principal_from"] == principal_from(contract).isoformat()
