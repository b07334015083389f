"""Effective-dated policy versions: every number of DOMAIN.md §1 (ARCHITECTURE principle 5).

A version is never rewritten: a new notice is a new row. A contract keeps the version it was
signed under, except where a later version says its rate applies to existing contracts too
(the 2023 LPR − 60 bp cut) — see policies.selectors.effective_terms.
"""

from decimal import Decimal

from django.db import models

from .products import Product


class RateKind(models.TextChoices):
    FIXED = "fixed", "固定利率"
    LPR_MINUS = "lpr_minus", "LPR 减点"
    # 商业助学贷款 [002]: the bank prices each loan; the contract's own rate is the rule.
    CONTRACT = "contract", "按借款合同约定(银行定价)"


class InterestBasis(models.TextChoices):
    PBOC = "pboc", "人民银行规则(整年按年利率)"
    ACTUAL_360 = "actual_360", "积数计息(实际天数/360)"


class SelfPayRule(models.TextChoices):
    SEP1_OF_GRADUATION_YEAR = "sep1_of_graduation_year", "毕业当年9月1日起自付"
    MONTH_AFTER_CERTIFICATE = "month_after_certificate", "毕业证签发次月1日起自付"
    # 商业助学贷款 has no state subsidy (贴息): the borrower pays interest from disbursement.
    FROM_DISBURSEMENT = "from_disbursement", "放款日起自付(无财政贴息)"


class TermRule(models.TextChoices):
    SEED_2012 = "seed_2012", "最短5年、最长14年，且毕业后不超过10年"
    # [003] 第十六条: 四年制学生每笔合同一般不超过7年，其他学制相应调整 → programme years + 3.
    CAMPUS_2007 = "campus_2007", "学制+3年(四年制不超过7年)"
    STUDY_PLUS = "study_plus", "剩余学制+若干年，且不超过上限"
    # 商业助学贷款 [002]: term set by the bank's approval; no policy cap.
    BANK = "bank", "由贷款银行审批确定"


class EarlyRepaymentRule(models.TextChoices):
    SEED_BEFORE_10TH = "seed_before_10th", "1–10月每月10日前申请，当月20日扣款"
    BY_15TH = "by_15th", "每月15日前申请当月20日扣款；10月16日至11月30日申请于12月20日扣款"
    # [003] 第二十八条: 提前15天向高校机构申请; [002]: 提前30个工作日向贷款银行申请.
    NOTICE = "notice", "提前若干日申请(天数见提前申请天数)"


class ClassificationRule(models.TextChoices):
    SEED = "seed", "原五级分类规则(逾期6个月内次级)"
    RULE_2023 = "2023", "2023年规则(逾期90/270/360天)"


class QuotaRule(models.TextChoices):
    NONE = "none", "不设高校额度"
    ENROLMENT_SHARE = "enrolment_share", "在校生比例×人均额度"


class PolicyVersion(models.Model):
    product = models.CharField("产品", max_length=16, choices=Product.choices)
    # "" = national; a 2-digit province code ("51" 四川) = a regional version that wins over national.
    region_code = models.CharField("适用地区", max_length=6, blank=True)
    effective_from = models.DateField("生效日期")
    name = models.CharField("名称", max_length=120)
    source = models.CharField("依据", max_length=300, help_text="文件名称与条款，如 [001] 附件四")

    amount_min = models.DecimalField("每学年最低金额", max_digits=10, decimal_places=2)
    # Blank = no policy cap (商业助学贷款: the bank approves the amount [002]).
    amount_max_undergraduate = models.DecimalField("本专科每学年最高金额", max_digits=10, decimal_places=2,
                                                   null=True, blank=True)
    amount_max_graduate = models.DecimalField("研究生每学年最高金额", max_digits=10, decimal_places=2,
                                              null=True, blank=True)
    amount_multiple = models.DecimalField("金额倍数", max_digits=10, decimal_places=2, default=100)

    term_rule = models.CharField("期限规则", max_length=16, choices=TermRule.choices)
    term_min_years = models.PositiveSmallIntegerField("最短期限(年)", default=0)
    # Blank for term_rule "bank" (商业助学贷款 [002]). campus_2007: the cap for a 4-year programme.
    term_max_years = models.PositiveSmallIntegerField("最长期限(年)", null=True, blank=True)
    # seed_2012: ≤ 10 years after graduation; campus_2007: programme + 3; study_plus: remaining + 15.
    term_years_after_study = models.PositiveSmallIntegerField("毕业后最长年限/学制外加年限",
                                                              null=True, blank=True)
    # 展期: campus contracts up to 2014 for further study [003 第二十一条]; commercial once [002].
    max_extensions = models.PositiveSmallIntegerField("最多展期次数", default=0)
    grace_years = models.PositiveSmallIntegerField("毕业后还本宽限期(年)", default=0)

    rate_kind = models.CharField("利率规则", max_length=12, choices=RateKind.choices)
    fixed_rate = models.DecimalField("固定年利率", max_digits=7, decimal_places=5, null=True, blank=True)
    lpr_spread_bp = models.SmallIntegerField("LPR 减点(基点)", null=True, blank=True)
    rate_applies_to_existing = models.BooleanField("利率适用于存量合同", default=False)
    interest_basis = models.CharField("计息方式", max_length=12, choices=InterestBasis.choices,
                                      default=InterestBasis.PBOC)
    self_pay_rule = models.CharField("自付起始规则", max_length=32, choices=SelfPayRule.choices)

    settlement_day = models.CharField("结息日(月-日)", max_length=5, default="12-20")
    final_settlement_day = models.CharField("最后一年结息日(月-日)", max_length=5, default="12-20")
    repayment_day = models.CharField("还款日(月-日)", max_length=5, default="12-20")
    deposit_days_before = models.PositiveSmallIntegerField("提前存款天数", default=0)
    early_repayment_rule = models.CharField("提前还款规则", max_length=20, choices=EarlyRepaymentRule.choices)
    # Only for early_repayment_rule "notice": 15 calendar days [003], 30 working days [002].
    early_repayment_notice_days = models.PositiveSmallIntegerField("提前申请天数", default=0)
    early_repayment_notice_working_days = models.BooleanField("提前申请按工作日计", default=False)
    # Decimal defaults: a float 1.3 is 1.3000000000000000444… and fails the 2-place validation.
    penalty_multiplier = models.DecimalField("罚息倍数", max_digits=4, decimal_places=2,
                                             default=Decimal("1.30"))
    misuse_penalty_multiplier = models.DecimalField("挪用罚息倍数", max_digits=4, decimal_places=2,
                                                    default=Decimal("1.50"))
    transit_grace_working_days = models.PositiveSmallIntegerField("在途宽限(工作日)", default=0)

    # Campus and commercial loans have no co-borrower (parents' commitment, or a guarantor) [002][003].
    co_borrower_required = models.BooleanField("须有共同借款人", default=True)
    # 商业助学贷款 needs a guarantee or collateral [002]; national loans are credit loans.
    guarantee_required = models.BooleanField("须提供担保或抵(质)押", default=False)
    co_borrower_min_age = models.PositiveSmallIntegerField("共同借款人最低年龄", default=25)
    co_borrower_max_age = models.PositiveSmallIntegerField("共同借款人最高年龄", default=60)
    co_borrower_same_county = models.BooleanField("共同借款人须同县户籍", default=True)
    # 2012 seed: parents too must be 25–60; later: only a non-parent must be 25–60.
    co_borrower_age_applies_to_parents = models.BooleanField("父母也受年龄限制", default=True)
    co_borrower_no_unpaid_loan = models.BooleanField("共同借款人不得有未结清助学贷款", default=False)

    classification_rule = models.CharField("五级分类规则", max_length=8, choices=ClassificationRule.choices)
    risk_fund_rate = models.DecimalField("风险补偿金比例", max_digits=5, decimal_places=4)
    risk_fund_finance_share = models.DecimalField("财政承担比例", max_digits=5, decimal_places=4,
                                                  default=Decimal("0.5"))
    risk_fund_university_share = models.DecimalField("高校承担比例", max_digits=5, decimal_places=4,
                                                     default=Decimal("0.5"))
    quota_rule = models.CharField("额度规则", max_length=16, choices=QuotaRule.choices,
                                  default=QuotaRule.NONE)
    quota_student_share = models.DecimalField("额度在校生比例", max_digits=5, decimal_places=4,
                                              null=True, blank=True)
    quota_amount_per_student = models.DecimalField("额度人均金额", max_digits=10, decimal_places=2,
                                                   null=True, blank=True)

    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    created_by = models.ForeignKey("orgs.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "政策版本"
        verbose_name_plural = "政策版本"
        ordering = ["product", "region_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["product", "region_code", "effective_from"],
                                    name="uniq_policy_version"),
            # A rate rule without its number would leave effective_terms nothing to compute.
            models.CheckConstraint(
                condition=~models.Q(rate_kind="fixed") | models.Q(fixed_rate__isnull=False),
                name="policy_fixed_rate_present"),
            models.CheckConstraint(
                condition=~models.Q(rate_kind="lpr_minus") | models.Q(lpr_spread_bp__isnull=False),
                name="policy_lpr_spread_present"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from} 起）"


class LprRate(models.Model):
    """Loan prime rate history: the 5-year-plus LPR drives LPR-minus contracts.

    Rates are stored as fractions like every rate in xuedai (0.0485 = 4.85%), as published by the
    PBOC's National Interbank Funding Center on the 20th; a row is in force from its date on.
    """

    effective_from = models.DateField("公布日期", unique=True)
    one_year = models.DecimalField("1年期 LPR", max_digits=6, decimal_places=4)
    five_year_plus = models.DecimalField("5年期以上 LPR", max_digits=6, decimal_places=4)

    class Meta:
        verbose_name = "LPR 利率"
        verbose_name_plural = "LPR 利率"
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.five_year_plus}"


class WorkingDayOverride(models.Model):
    """A day whose working status the official calendar gets wrong or does not know yet (a year
    chinese_calendar does not ship, a local holiday): the administrator's word wins (DOMAIN.md §8)."""

    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True, help_text="如：国务院办公厅2027年节假日安排")

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}：{'工作日' if self.is_working_day else '休息日'}"
