"""Rules and their Chinese messages (DOMAIN.md §1, §3.1; [001 附件二 一]); the policy in force on
2026-11-20 is the shipped 2024 national notice (20000 / 25000, remaining study years + 15 ≤ 22)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.origination.conftest import new_item
from tests.web.helpers import make_contract, make_policy_version
from xuedai import businessdate
from xuedai.origination import rules, services
from xuedai.origination.models import ContractState
from xuedai.origination.workflow import IllegalTransition


def create(people, *items):
    return services.contracts_create(actor=people["operator"], items=list(items))


@pytest.mark.parametrize(("amount", "message"), [
    ("20100", "本专科生每学年贷款金额不超过20,000元"),
    ("800", "不得低于1,000元"),
    ("8050", "100元的整数倍"),
])
def test_amount_messages(people, borrower, amount, message):
    with pytest.raises(ValidationError, match=message) as caught:
        create(people, new_item(borrower, amount))
    assert caught.value.messages[0].startswith("第1行（")


def test_graduate_cap_is_higher(people, make_borrower):
    from xuedai.borrowers.models import EducationLevel

    master = make_borrower(education_level=EducationLevel.MASTER)
    [contract] = create(people, new_item(master, "25000"))
    assert contract.amount == Decimal("25000")
    with pytest.raises(ValidationError, match="研究生每学年贷款金额不超过25,000元"):
        create(people, new_item(make_borrower(education_level=EducationLevel.MASTER), "25100"))


def test_term_rule_and_default(people, borrower):
    # graduating 2029: 3 years of study left from 2026 → at most 3 + 15 = 18 years
    with pytest.raises(ValidationError, match="贷款期限最长18年（剩余学制3年"):
        create(people, new_item(borrower, term_years=19))
    [contract] = create(people, new_item(borrower))
    assert contract.term_years == 18 and contract.maturity_date.year == 2026 + 18
    assert contract.self_pay_from == dt.date(2029, 9, 1)


def test_seed_term_rule_under_the_2012_version(people, borrower):
    """[001 附件二 一(二)]: ≥ 5 years, ≤ 14, ≤ 10 after graduation — a Sichuan-only version dated later."""
    make_policy_version(effective_from=dt.date(2026, 10, 1), region_code="51", name="四川测试版")
    with pytest.raises(ValidationError) as caught:
        create(people, new_item(borrower, "6500", term_years=4))
    text = " ".join(caught.value.messages)
    assert "不超过6,000元" in text and "贷款期限不得短于5年" in text


def test_co_borrower_same_county_and_age(people, borrower):
    co = borrower.co_borrowers.first()
    co.household_region_code = "511321"
    co.save()
    with pytest.raises(ValidationError, match="须与学生同县户籍"):
        create(people, new_item(borrower))
    co.household_region_code, co.relation, co.birth_date = "510722", "other", dt.date(1960, 1, 1)
    co.save()
    with pytest.raises(ValidationError, match=r"非父母的共同借款人.*须年满25周岁且不超过60周岁，.*为66周岁"):
        create(people, new_item(borrower))


def test_co_borrower_rules_agree_with_the_borrowers_app(borrower):
    """The bulk check and borrowers.rules.co_borrower_errors judge the same pairs alike."""
    from xuedai.borrowers.rules import co_borrower_errors
    from xuedai.policies.selectors import policy_for

    co = borrower.co_borrowers.first()
    on = businessdate.today()
    for relation, birth in [("father", dt.date(1950, 1, 1)), ("other", dt.date(1950, 1, 1)),
                            ("other", dt.date(1980, 1, 1))]:
        co.relation, co.birth_date = relation, birth
        mine = rules.co_borrower_problems(policy_for("home_county", "510722", on), [(borrower, co)], on)
        theirs = co_borrower_errors(borrower=borrower, id_number=co.id_number, birth_date=birth,
                                    relation=relation, household_region_code="510722", signed_on=on)
        assert bool(mine) == bool(theirs), (relation, birth)


def test_one_contract_per_student_per_year(people, borrower):
    create(people, new_item(borrower))
    with pytest.raises(ValidationError, match="每名学生每学年只能签订一份"):
        create(people, new_item(borrower))


def test_same_student_twice_in_one_run(people, borrower):
    with pytest.raises(ValidationError, match="出现多次"):
        create(people, new_item(borrower), new_item(borrower))


def test_declined_contract_frees_the_year_but_bank_refusal_does_not(people, borrower):
    make_contract(borrower, state=ContractState.DECLINED)
    assert rules.one_per_year_error(borrower, 2026) is None
    make_contract(borrower, state=ContractState.REFUSED)
    assert "银行谢绝" in rules.one_per_year_error(borrower, 2026)


def test_acceptance_dates(people, borrower, county):
    services.season_set(actor=people["operator"], academic_year=2026, accept_from=dt.date(2026, 7, 1),
                        accept_until=dt.date(2026, 9, 30), receipt_deadline=dt.date(2026, 10, 31))
    with pytest.raises(IllegalTransition, match="已于2026-09-30截止受理"):
        create(people, new_item(borrower))
    with pytest.raises(IllegalTransition, match="不能早于申请受理结束日期"):
        services.season_set(actor=people["operator"], academic_year=2026, accept_from=None,
                            accept_until=dt.date(2026, 9, 30), receipt_deadline=dt.date(2026, 9, 1))


def test_money_parsing():
    assert rules.money_or_error("4,500", "学费") == (Decimal("4500.00"), None)
    assert rules.money_or_error("abc", "学费")[1] == "学费应为金额数字，填写的是「abc」。"
    assert rules.money_or_error("-1", "学费")[1] == "学费不能为负数。"
    assert rules.money_or_error("1.005", "学费")[1] == "学费最多两位小数。"
    assert rules.money_or_error("", "往年欠费", required=False) == (Decimal("0.00"), None)
