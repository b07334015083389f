"""Commercial student loans (DOMAIN.md §3.3; [002]): guarantee and credit consent required, the
investigation report, maker ≠ checker at the bank, 30-working-day prepayment notice, one extension."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from xuedai import businessdate
from xuedai.loans.services import contract_disburse
from xuedai.orgs.models import Role
from xuedai.origination.commercial.services import commercial_apply, extension_grant, prepayment_notice
from xuedai.origination.models import ContractEvent, Instalment
from xuedai.origination.models import ContractState as C
from xuedai.origination.services.transitions import contract_transition as flow_transition
from xuedai.origination.workflow import IllegalTransition

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 9, 15)
GUARANTOR = {"guarantee_kind": "guarantor", "guarantor_name": "张建国", "credit_consent": True}


@pytest.fixture
def bank(province):
    make = factories.make_user
    return {
        "clerk": make(province.branch, Role.BANK_REVIEWER),
        "reviewer": make(province.branch, Role.BANK_REVIEWER),
        "approver": make(province.branch, Role.BANK_APPROVER),
        "uni": province.universities[0],
    }


@pytest.fixture
def borrower(bank):
    return factories.BorrowerFactory(
        university=bank["uni"], enrolled_year=2025, graduation_date=dt.date(2029, 6, 30)
    )


def disbursed(bank, borrower, tranches=1):
    with businessdate.business_date(DAY):
        c = commercial_apply(
            actor=bank["clerk"], borrower=borrower, amount=Decimal("20000"), term_years=6, **GUARANTOR
        )
        c = flow_transition(
            actor=bank["clerk"],
            contract=c,
            action="investigate",
            amount="20000",
            term_years=6,
            annual_rate="0.0435",
            repayment_method="equal_principal",
            tranches=tranches,
            opinion="家庭收入稳定，保证人具备代偿能力",
        )
        c = flow_transition(actor=bank["reviewer"], contract=c, action="bank_check")
        c = flow_transition(actor=bank["approver"], contract=c, action="bank_approve")
        c = flow_transition(actor=bank["clerk"], contract=c, action="sign")
        contract_disburse(actor=bank["clerk"], contract=c)
        c.refresh_from_db()
        return c


def test_guarantee_and_credit_consent_required(bank, borrower):
    with businessdate.business_date(DAY), pytest.raises(ValidationError) as exc:
        commercial_apply(actor=bank["clerk"], borrower=borrower, amount=Decimal("20000"), term_years=6)
    messages = " ".join(exc.value.messages)
    assert "保证人担保或抵(质)押" in messages and "征信查询授权" in messages


def test_collateral_is_an_alternative_to_a_guarantor(bank, borrower):
    with businessdate.business_date(DAY):
        c = commercial_apply(
            actor=bank["clerk"],
            borrower=borrower,
            amount=Decimal("20000"),
            term_years=6,
            guarantee_kind="mortgage",
            collateral="房产一套",
            credit_consent=True,
        )
    assert c.state == C.APPLIED and c.commercial_file.credit_consent_on == DAY


def test_full_path_and_investigation_report(bank, borrower):
    c = disbursed(bank, borrower)
    # No subsidy on a commercial loan: the borrower pays interest from the payout, so the ledger moves
    # it on to 还款中 in the same transaction (DOMAIN.md §3.3).
    assert c.state == C.REPAYING and c.annual_rate == Decimal("0.04350")
    assert c.commercial_file.get_repayment_method_display() == "等额本金"
    assert list(ContractEvent.objects.filter(contract=c).values_list("action", flat=True)) == [
        "create",
        "investigate",
        "bank_check",
        "bank_approve",
        "sign",
        "disburse",
        "mark_repaying",
    ]


def test_investigator_may_not_review_or_approve(bank, borrower):
    with businessdate.business_date(DAY):
        c = commercial_apply(
            actor=bank["reviewer"], borrower=borrower, amount=Decimal("20000"), term_years=6, **GUARANTOR
        )
        c = flow_transition(
            actor=bank["reviewer"],
            contract=c,
            action="investigate",
            annual_rate="0.05",
            repayment_method="bullet",
        )
        with pytest.raises(IllegalTransition, match="须由另一人办理"):
            flow_transition(actor=bank["reviewer"], contract=c, action="bank_check")


def test_tranches_planned_a_month_apart(bank, borrower):
    c = disbursed(bank, borrower, tranches=3)
    rows = list(Instalment.objects.filter(contract=c).order_by("sequence"))
    assert [r.due_on for r in rows] == [DAY, dt.date(2025, 10, 15), dt.date(2025, 11, 15)]
    assert (
        sum(r.amount for r in rows) == Decimal("20000") and rows[0].paid_on == DAY and rows[1].paid_on is None
    )


def test_prepayment_needs_30_working_days_notice(bank, borrower):
    c = disbursed(bank, borrower)
    with businessdate.business_date(DAY):
        # 30 working days from 15 Sep 2025 skip National Day (1–8 Oct) and count Sun 28 Sep, Sat 11 Oct.
        with pytest.raises(IllegalTransition, match=r"30个工作日.*2025年10月31日"):
            prepayment_notice(actor=bank["clerk"], contract=c, prepay_on=dt.date(2025, 10, 30))
        notice = prepayment_notice(actor=bank["clerk"], contract=c, prepay_on=dt.date(2025, 10, 31))
    assert notice.noticed_on == DAY
    assert ContractEvent.objects.filter(contract=c, action="prepay_notice").exists()


def test_only_one_extension(bank, borrower):
    c = disbursed(bank, borrower)
    old = c.maturity_date
    with businessdate.business_date(DAY):
        extension_grant(
            actor=bank["approver"],
            contract=c,
            new_maturity=old.replace(year=old.year + 2),
            reason="继续攻读研究生",
        )
        with pytest.raises(IllegalTransition, match=r"只可展期1次.*已于2025年09月15日展期"):
            extension_grant(actor=bank["approver"], contract=c, new_maturity=old.replace(year=old.year + 3))
    c.refresh_from_db()
    assert c.maturity_date == old.replace(year=old.year + 2) and c.commercial_file.extensions == 1
