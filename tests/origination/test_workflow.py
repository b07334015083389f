"""The transition table: every legal move, illegal moves raise, maker ≠ checker, locked year,
refused-this-year, returned → fixed → resubmitted (DOMAIN.md §3.1; [001 二, 三])."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.origination.conftest import new_item
from xuedai.orgs.models import Role
from xuedai.origination import services
from xuedai.origination.models import BatchState, ContractEvent, ContractState, CountyBatch
from xuedai.origination.workflow import HOME_COUNTY_TRANSITIONS, IllegalTransition

S = ContractState


@pytest.mark.parametrize("state", [S.APPLIED, S.SIGNED, S.RECEIPTED, S.IN_REVIEW, S.APPROVED, S.RETURNED,
                                   S.REFUSED, S.DISBURSED])
def test_walk_reaches_every_state_and_writes_events(walk, borrower, state):
    contract = walk(borrower, state)
    contract.refresh_from_db()
    assert contract.state == state
    events = list(ContractEvent.objects.filter(contract=contract))
    assert events[0].action == "create" and events[0].from_state == ""
    for before, after in itertools.pairwise(events):
        assert after.from_state == before.to_state  # an unbroken chain of moves
    assert events[-1].to_state == state
    assert all(e.actor_label for e in events)


def test_checked_contract_is_signed_by_another_person(walk, borrower, people):
    contract = walk(borrower, S.SIGNED)
    assert contract.checked_by == people["supervisor"] and contract.signed_on is not None


def test_maker_cannot_check_own_contract(borrower, people):
    boss = people["supervisor"]
    boss.roles.create(role="operator")
    boss._role_codes = None
    [contract] = services.contracts_create(actor=boss, items=[new_item(borrower)])
    with pytest.raises(IllegalTransition, match="经办与复核分离"):
        services.contract_transition(actor=boss, contract=contract, action="check_approve")


def test_operator_cannot_check_and_student_cannot_create(borrower, people, walk):
    contract = walk(borrower, S.APPLIED)
    with pytest.raises(IllegalTransition, match="负责人"):
        services.contract_transition(actor=people["operator2"], contract=contract, action="check_approve")
    with pytest.raises(IllegalTransition):
        services.contracts_create(actor=people["student"], items=[new_item(borrower)])


@pytest.mark.parametrize("action", ["receipt", "bank_approve", "disburse", "resubmit", "withdraw"])
def test_illegal_moves_from_applied_raise_in_chinese(walk, borrower, people, action):
    contract = walk(borrower, S.APPLIED)
    with pytest.raises(IllegalTransition, match="当前状态为「已受理\\(待复核\\)」"):
        services.contract_transition(actor=people["bank"], contract=contract, action=action)
    contract.refresh_from_db()
    assert contract.state == S.APPLIED


def test_out_of_scope_actor_is_refused(walk, borrower, people):
    contract = walk(borrower, S.SIGNED)
    with pytest.raises(IllegalTransition, match="数据范围"):
        services.receipt_record(actor=people["other_officer"], contract=contract, tuition="1",
                                accommodation="1")


def test_check_return_stays_applied_with_comment(walk, borrower, people):
    contract = walk(borrower, S.APPLIED)
    with pytest.raises(IllegalTransition, match="须填写"):
        services.contract_transition(actor=people["supervisor"], contract=contract, action="check_return")
    contract = services.contract_transition(actor=people["supervisor"], contract=contract,
                                            action="check_return", comment="金额有误")
    assert contract.state == S.APPLIED
    assert contract.events.last().comment == "金额有误"


def test_decline_needs_reason(walk, borrower, people):
    contract = walk(borrower, S.RECEIPTED)
    with pytest.raises(IllegalTransition, match="原因"):
        services.contract_transition(actor=people["operator"], contract=contract, action="decline")
    contract = services.contract_transition(actor=people["operator"], contract=contract, action="decline",
                                            comment="本人放弃")
    assert contract.state == S.DECLINED


def test_summary_waits_for_every_receipt(walk, borrower, make_borrower, people):
    walk(borrower, S.RECEIPTED)
    walk(make_borrower(), S.SIGNED)
    with pytest.raises(IllegalTransition, match="1份合同待复核或未回执"):
        services.batch_submit(actor=people["operator"])


def test_county_submission_locks_the_year(walk, borrower, make_borrower, people):
    contract = walk(borrower, "summarised")
    batch = CountyBatch.objects.get()
    assert batch.contract_count == 1 and contract.archive_no is None  # refreshed below
    contract.refresh_from_db()
    assert contract.archive_no == 1 and contract.state == S.IN_REVIEW
    with pytest.raises(IllegalTransition, match="负责人"):
        services.batch_transition(actor=people["operator"], batch=batch, action="county_submit")
    services.batch_transition(actor=people["supervisor"], batch=batch, action="county_submit")
    with pytest.raises(IllegalTransition, match="已汇总上报"):
        services.contracts_create(actor=people["operator"], items=[new_item(make_borrower())])


def test_province_reject_unlocks_and_returns_contracts(walk, borrower, people):
    walk(borrower, "summarised")
    batch = CountyBatch.objects.get()
    services.batch_transition(actor=people["supervisor"], batch=batch, action="county_submit")
    with pytest.raises(IllegalTransition, match="原因"):
        services.batch_transition(actor=people["prov_operator"], batch=batch, action="province_reject")
    services.batch_transition(actor=people["prov_operator"], batch=batch, action="province_reject",
                              comment="汇总表未盖章")
    assert borrower.contracts.get().state == S.RECEIPTED
    again = services.batch_submit(actor=people["operator"])
    assert again.sequence == 2


def test_province_supervisor_is_not_the_auditor(walk, borrower, people):
    walk(borrower, "summarised")
    batch = CountyBatch.objects.get()
    services.batch_transition(actor=people["supervisor"], batch=batch, action="county_submit")
    both = people["prov_operator"]
    both.roles.create(role="supervisor")
    both._role_codes = None
    services.batch_transition(actor=both, batch=batch, action="province_audit")
    with pytest.raises(IllegalTransition, match="经办与复核分离"):
        services.batch_transition(actor=both, batch=batch, action="province_submit")


def test_bank_refusal_bars_the_student_this_year(walk, borrower, people):
    walk(borrower, S.REFUSED)
    with pytest.raises(ValidationError, match="银行谢绝") as caught:
        services.application_submit(actor=people["student"],
                                    data={"amount": Decimal("8000"), "term_years": 15})
    assert any("已汇总上报" in m for m in caught.value.messages)  # and the county's year is closed too


def test_returned_fixed_resubmitted_in_a_second_batch(walk, borrower, make_borrower, people):
    other = walk(make_borrower(), S.RECEIPTED)
    contract = walk(borrower, S.IN_REVIEW)  # the batch holds both
    other.refresh_from_db()
    contract = services.bank_decide(actor=people["bank"], contract=contract, action="bank_return",
                                    comment="共同借款人签字不全")
    services.bank_decide_rest(actor=people["bank"], batch=contract.batch, action="bank_check")
    services.bank_decide_rest(actor=people["approver"], batch=contract.batch, action="bank_approve")
    first = CountyBatch.objects.get(sequence=1)
    assert first.state == BatchState.BANK_REVIEWED
    # The year is locked, but a returned contract may still be fixed and resubmitted.
    contract = services.contract_update(actor=people["operator"], contract=contract,
                                        data={"amount": Decimal("7000")})
    assert contract.amount == Decimal("7000")
    with pytest.raises(IllegalTransition, match="已汇总上报"):
        services.contracts_create(actor=people["operator"], items=[new_item(make_borrower())])
    contract = services.contract_resubmit(actor=people["operator"], contract=contract)
    assert contract.state == S.IN_REVIEW and contract.batch.sequence == 2 and contract.archive_no == 1
    second = contract.batch
    for actor, action in [("supervisor", "county_submit"), ("prov_operator", "province_audit"),
                          ("prov_supervisor", "province_submit")]:
        second = services.batch_transition(actor=people[actor], batch=second, action=action)
    services.bank_decide(actor=people["bank"], contract=contract, action="bank_check")
    services.bank_decide(actor=people["approver"], contract=contract, action="bank_approve")
    second.refresh_from_db()
    assert second.state == BatchState.BANK_REVIEWED
    actions = list(contract.events.values_list("action", flat=True))
    assert actions == ["create", "check_approve", "receipt", "submit", "bank_return", "edit", "resubmit",
                       "bank_check", "bank_approve"]


def test_bank_reviewer_reviews_and_a_different_approver_approves(walk, borrower, make_borrower, people,
                                                                  province):
    other = walk(make_borrower(), S.RECEIPTED)
    contract = walk(borrower, S.IN_REVIEW)  # the batch holds both
    with pytest.raises(IllegalTransition, match="仅限：银行已审查"):
        services.bank_decide(actor=people["approver"], contract=contract, action="bank_approve")  # unchecked
    with pytest.raises(IllegalTransition, match="审查人"):
        services.bank_decide(actor=people["approver"], contract=contract, action="bank_check")
    checked = services.bank_decide(actor=people["bank"], contract=other, action="bank_check")
    with pytest.raises(IllegalTransition, match="审批人"):
        services.bank_decide(actor=people["bank"], contract=checked, action="bank_approve")
    both = factories.make_user(province.branch, Role.BANK_REVIEWER)
    both.roles.create(role=Role.BANK_APPROVER)
    both._role_codes = None
    services.bank_decide(actor=both, contract=contract, action="bank_check")
    with pytest.raises(IllegalTransition, match="经办与复核分离"):
        services.bank_decide(actor=both, contract=contract, action="bank_approve")
    with pytest.raises(IllegalTransition, match="经办与复核分离"):
        services.bank_decide_rest(actor=both, batch=contract.batch, action="bank_approve")
    contract = services.bank_decide(actor=people["approver"], contract=contract, action="bank_approve")
    assert contract.state == S.APPROVED


def test_disbursement_splits_fees_and_rest(walk, borrower):
    from xuedai.origination.services.disbursement import split

    contract = walk(borrower, S.DISBURSED)
    assert contract.disbursed_on is not None
    assert split(contract) == (Decimal("5700.00"), Decimal("2300.00"))


def test_every_table_row_has_chinese_label_and_known_states():
    states = set(S.values)
    for row in HOME_COUNTY_TRANSITIONS.values():
        assert row.label and all(s in states for s in row.sources)
        assert row.target is None or row.target in states


def test_a_new_contract_carries_the_borrowers_alipay_account_unless_an_agent_bank_collects(
        people, make_borrower, province, county):
    assert county.agent_bank_id is not None  # 三台县: its agent bank collects
    [contract] = services.contracts_create(actor=people["operator"], items=[new_item(make_borrower())])
    assert contract.alipay_account == ""
    county.agent_bank = None
    county.save(update_fields=["agent_bank"])
    [contract] = services.contracts_create(actor=people["operator"], items=[new_item(make_borrower())])
    assert contract.alipay_account == f"zxdk{contract.borrower_id:08d}@alipay.cdb"
