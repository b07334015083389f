"""The origination rules, each a Chinese message or None (DOMAIN.md §1, §3.1; [001 二, 附件二, 附件三]).

Numbers come from the policy version the contract is signed under (policies.selectors.policy_for),
never from constants here. Checks that look at many contracts take sets prepared by one query, so
a 3,000-contract bulk run asks the database a handful of times, not 3,000.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from xuedai.borrowers.models import Borrower, CoBorrower, EducationLevel, Relation
from xuedai.borrowers.rules import age_on
from xuedai.orgs.models import Organisation
from xuedai.policies.models import PolicyVersion
from xuedai.policies.params import amount_error, as_core_params, max_term_years
from xuedai.policies.products import Product

from .models import (
    ENDED_STATES,
    LIVE_STATES,
    Application,
    ApplicationState,
    Contract,
    ContractState,
    CountySeason,
)
from .models.batch import LOCKING_STATES, CountyBatch


def academic_year_of(day: dt.date) -> int:
    """The academic year a date falls in: it starts on 1 September (2026-11-20 → 2026)."""
    return day.year if day.month >= 9 else day.year - 1


# A year's tuition, accommodation or arrears far beyond any Chinese university's fees is a typing
# mistake (or a hostile file): refused before it reaches a numeric(12, 2) column.
MAX_RECEIPT_AMOUNT = Decimal("1000000")


def money_or_error(raw, label: str, *, required: bool = True) -> tuple[Decimal | None, str | None]:
    """'4500' → Decimal('4500.00'); blank, text, negatives, non-finite or absurd amounts (1e100000)
    or more than 2 decimals are errors."""
    if isinstance(raw, bool):
        return None, f"{label}应为金额数字，填写的是「{raw}」。"
    if isinstance(raw, float):
        raw = repr(raw)  # the shortest decimal that round-trips: 4500.1, not 4500.0999…
    text = str(raw if raw is not None else "").strip().replace(",", "")
    if not text:
        return (None, f"{label}不能为空。") if required else (Decimal("0.00"), None)
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"{label}应为金额数字，填写的是「{text[:20]}」。"
    if not value.is_finite():
        return None, f"{label}应为金额数字，填写的是「{text[:20]}」。"
    if value < 0:
        return None, f"{label}不能为负数。"
    if value > MAX_RECEIPT_AMOUNT:  # before quantize: 1e100000 cannot be quantized at all
        return None, f"{label}超过 {MAX_RECEIPT_AMOUNT:,.2f} 元，请检查金额。"
    if value != value.quantize(Decimal("0.01")):
        return None, f"{label}最多两位小数。"
    return value.quantize(Decimal("0.01")), None


# ---- amount and term (DOMAIN.md §1; [001 附件二 一]) ----------------------------------------------------

def is_graduate(borrower: Borrower) -> bool:
    return borrower.education_level in EducationLevel.graduate_levels()


def amount_rule(policy: PolicyVersion, amount: Decimal, borrower: Borrower) -> str | None:
    """Range and multiple of 100 per year, undergraduate vs graduate cap, from the signing version.

    Example: under the 2012 Sichuan version 6500 → "本专科生每学年贷款金额不超过6,000元"; 3050 →
    "须为100元的整数倍"; under the 2024 version a master's student may borrow 25000.
    """
    return amount_error(as_core_params(policy), amount, graduate=is_graduate(borrower))


def remaining_study_years(borrower: Borrower, academic_year: int) -> int:
    """Years of study from this academic year to graduation, at least 1 (graduating 2027-06 → 2026: 1)."""
    return max(1, borrower.graduation_date.year - academic_year)


def term_bounds(policy: PolicyVersion, borrower: Borrower, academic_year: int) -> tuple[int, int | None]:
    params = as_core_params(policy)
    high = max_term_years(params, remaining_study_years=remaining_study_years(borrower, academic_year),
                          programme_years=borrower.study_years)
    return params.term_min_years, high


def default_term(policy: PolicyVersion, borrower: Borrower, academic_year: int) -> int:
    """The longest term allowed: what students are usually offered (interest-free while studying)."""
    low, high = term_bounds(policy, borrower, academic_year)
    return high if high is not None else max(low, 1)


def term_rule(policy: PolicyVersion, term_years: int, borrower: Borrower, academic_year: int) -> str | None:
    """The version's term rule. Example: seed_2012, 3 years of study left → 5 ≤ term ≤ min(14, 3 + 10) = 13.
    Under study_plus (2020 on) with 3 years left → term ≤ 3 + 15 = 18 (≤ 22)."""
    low, high = term_bounds(policy, borrower, academic_year)
    rule = policy.get_term_rule_display()
    if term_years < max(low, 1):
        return f"贷款期限不得短于{max(low, 1)}年（{policy.name}：{rule}）。"
    if high is not None and term_years > high:
        left = remaining_study_years(borrower, academic_year)
        return f"贷款期限最长{high}年（剩余学制{left}年；{policy.name}：{rule}）。"
    return None


def alipay_account_for(borrower_id: int) -> str:
    """The Alipay account the bank opens for a borrower with the first contract, named after them
    ([001 支付宝使用说明]); one per borrower: "借款人所有未结清的生源地助学贷款均通过该账户还款".
    Example: borrower 42 → zxdk00000042@alipay.cdb."""
    return f"zxdk{borrower_id:08d}@alipay.cdb"


def repayment_alipay_account(borrower: Borrower, county: Organisation | None) -> str:
    """The account printed on a new contract: none where the county's agent bank collects."""
    return "" if county is not None and county.agent_bank_id else alipay_account_for(borrower.pk)


def maturity_of(policy: PolicyVersion, academic_year: int, term_years: int) -> dt.date:
    """The last settlement day: the version's final settlement day in (year + term), as demo data does."""
    month, day = (int(part) for part in policy.final_settlement_day.split("-"))
    return dt.date(academic_year + term_years, month, day)


def self_pay_from(policy: PolicyVersion, borrower: Borrower) -> dt.date:
    """生源地: the student pays interest from 1 September of the graduation year [001 附件四]."""
    if policy.self_pay_rule == "month_after_certificate":
        return dt.date(borrower.graduation_date.year, 7, 1)
    return dt.date(borrower.graduation_date.year, 9, 1)


# ---- co-borrower (DOMAIN.md §1 co-borrower row; [001 附件二 一(四)]) ---------------------------------

def co_borrower_problems(policy: PolicyVersion, pairs: Iterable[tuple[Borrower, CoBorrower | None]],
                         on: dt.date) -> dict[int, str]:
    """{borrower id: message} for the pairs whose co-borrower fails the version's rules on `on`.

    The same rules as borrowers.rules.co_borrower_errors (and the same wording), for many pairs at
    once: one query for "has an unpaid student loan" instead of one per pair.
    """
    pairs = list(pairs)
    problems: dict[int, str] = {}
    unpaid: set[str] = set()
    if policy.co_borrower_no_unpaid_loan:
        numbers = [co.id_number for _, co in pairs if co is not None]
        unpaid = set(Contract.objects.filter(borrower__id_number__in=numbers, state__in=LIVE_STATES)
                     .values_list("borrower__id_number", flat=True))
    for borrower, co in pairs:
        if co is None:
            if policy.co_borrower_required:
                problems[borrower.pk] = "共同借款人：生源地贷款须有共同借款人（父母或其他法定监护人）。"
            continue
        messages = []
        if co.borrower_id != borrower.pk:
            messages.append("共同借款人不属于该学生。")
        if not co.is_active:
            messages.append(f"共同借款人{co.name}已停用。")
        if policy.co_borrower_age_applies_to_parents or co.relation not in Relation.parents():
            age = age_on(co.birth_date, on)
            low, high = policy.co_borrower_min_age, policy.co_borrower_max_age
            if not low <= age <= high:
                who = "共同借款人" if policy.co_borrower_age_applies_to_parents else "非父母的共同借款人"
                messages.append(f"{who}在签约日({on:%Y-%m-%d})须年满{low}周岁且不超过{high}周岁，"
                                f"{co.name}为{age}周岁（{policy.name}）。")
        if policy.co_borrower_same_county and co.household_region_code != borrower.household_region_code:
            messages.append(f"共同借款人须与学生同县户籍({borrower.household_region_code})，"
                            f"{co.name}的户籍为{co.household_region_code}。")
        if co.id_number in unpaid:
            messages.append(f"共同借款人{co.name}本人有未结清的国家助学贷款，不能担任共同借款人。")
        if messages:
            problems[borrower.pk] = "共同借款人：" + "".join(messages)
    return problems


# ---- one per year, refused this year (DOMAIN.md §3.1 step 6; [001 二.6]) -------------------------------

def borrowers_with_contract(borrower_ids: Iterable[int], year: int, *, exclude_pk: int | None = None
                            ) -> set[int]:
    return set(Contract.objects.filter(borrower_id__in=list(borrower_ids), academic_year=year,
                                       product=Product.HOME_COUNTY)
               .exclude(state__in=ENDED_STATES).exclude(pk=exclude_pk).values_list("borrower_id", flat=True))


# A contract whose money went out (or was about to) makes the next one a renewal (续贷 [001 二.1]).
BORROWED_STATES = (ContractState.APPROVED, *LIVE_STATES, ContractState.SETTLED, ContractState.WRITTEN_OFF)


def renewing_borrowers(borrower_ids: Iterable[int]) -> set[int]:
    """The borrowers among ``borrower_ids`` who borrowed 生源地 before: their next contract is 续贷."""
    return set(Contract.objects.filter(borrower_id__in=list(borrower_ids), product=Product.HOME_COUNTY,
                                       state__in=BORROWED_STATES).values_list("borrower_id", flat=True))


def borrowers_refused(borrower_ids: Iterable[int], year: int) -> set[int]:
    return set(Contract.objects.filter(borrower_id__in=list(borrower_ids), academic_year=year,
                                       state=ContractState.REFUSED).values_list("borrower_id", flat=True))


DUPLICATE_CONTRACT = "该学生{year}学年已有生源地贷款合同，每名学生每学年只能签订一份。"
REFUSED = "该学生{year}学年的借款申请已被银行谢绝，本学年不再受理（[001] 二.6）。"


def duplicate_application_error(borrower: Borrower, year: int, *,
                                exclude_pk: int | None = None) -> str | None:
    if Application.objects.filter(borrower=borrower, academic_year=year, product=Product.HOME_COUNTY) \
            .exclude(state=ApplicationState.CANCELLED).exclude(pk=exclude_pk).exists():
        return f"你已提交{year}学年的贷款申请，每学年只能申请一次；如需修改，请修改已提交的申请。"
    return None


def one_per_year_error(borrower: Borrower, year: int, *, exclude_pk: int | None = None) -> str | None:
    if borrower.pk in borrowers_refused([borrower.pk], year):
        return REFUSED.format(year=year)
    if borrower.pk in borrowers_with_contract([borrower.pk], year, exclude_pk=exclude_pk):
        return DUPLICATE_CONTRACT.format(year=year)
    return None


# ---- the county's season and lock ([001 附件三 二(二), 四.1]) ---------------------------------------------

def season_of(county: Organisation, year: int) -> CountySeason | None:
    return CountySeason.objects.filter(county=county, academic_year=year).first()


def year_locked(county: Organisation | int, year: int) -> bool:
    """After the county supervisor has reported a batch, the year is closed to adding and editing."""
    return CountyBatch.objects.filter(county=county, academic_year=year, state__in=LOCKING_STATES).exists()


def locked_message(county: Organisation, year: int) -> str:
    return (f"{county.name}{year}学年的贷款合同已汇总上报，不能再新增、修改或进行其他操作"
            "（[001] 附件三 四.1）；银行退回的合同可修改后重新提交。")


def acceptance_error(season: CountySeason | None, today: dt.date) -> str | None:
    """Applications and new contracts only within the county's acceptance dates, where set."""
    if season is None:
        return None
    if season.accept_from and today < season.accept_from:
        return (f"{season.county.name}{season.academic_year}学年贷款申请"
                f"自{season.accept_from:%Y-%m-%d}起受理。")
    if season.accept_until and today > season.accept_until:
        return (f"{season.county.name}{season.academic_year}学年贷款申请已于"
                f"{season.accept_until:%Y-%m-%d}截止受理。")
    return None


def receipt_deadline_error(season: CountySeason | None, today: dt.date) -> str | None:
    if season is not None and season.receipt_deadline and today > season.receipt_deadline:
        return (f"{season.county.name}的回执接收截止日期({season.receipt_deadline:%Y-%m-%d})已过，"
                "未回执的申请视同撤销（[001] 二.3）。")
    return None
