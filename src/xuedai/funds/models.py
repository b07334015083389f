"""The state's money: the risk-compensation fund's accounts and settlements, and the finance
department's subsidy (贴息) payments (DOMAIN.md §6, seed [003] 资金管理办法 第五–七章).

The fund is a ledger of its own, built like the loans ledger (ARCHITECTURE principle 2): a
``FundPosting`` is never updated or deleted, its amount is > 0 and its kind gives the direction
(:data:`FUND_EFFECT`); ``FundAccount.balance`` is a cache of the postings, refreshed in the same
transaction. The subsidy payments themselves land on the *loans* ledger (``SUBSIDY_RECEIVED``
against each contract's receivable, through ``loans.services.subsidy``); here they keep the record
of the finance department's transfer and its lines.
"""

from django.conf import settings
from django.db import models

MONEY = {"max_digits": 16, "decimal_places": 2}


class FundAccount(models.Model):
    """风险补偿金专户, 分校核算 ([003] 第二十五条): one per university (campus loans) and one per
    county centre (生源地 loans)."""

    organisation = models.OneToOneField(
        "orgs.Organisation", verbose_name="机构", on_delete=models.PROTECT, related_name="risk_fund"
    )
    opened_on = models.DateField("开户日期")
    balance = models.DecimalField("补偿金余额", default=0, **MONEY)

    class Meta:
        verbose_name = "风险补偿金账户"
        verbose_name_plural = "风险补偿金账户"
        constraints = [
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="fund_balance_not_negative")
        ]

    def __str__(self) -> str:
        return f"风险补偿金账户 {self.organisation_id}"


class FundKind(models.TextChoices):
    ACCRUAL_FINANCE = "accrual_finance", "财政划入补偿金"
    ACCRUAL_UNIVERSITY = "accrual_university", "高校划入补偿金"
    COVER_PAID = "cover_paid", "补偿违约本息(付银行)"
    COVER_RETURNED = "cover_returned", "收回补偿(逆向返还)"
    REWARD_PAID = "reward_paid", "奖励性返还高校"
    REWARD_RETURNED = "reward_returned", "高校退回奖励"
    # [003] 第二十八条: what borrowers pay back on compensated defaults goes into the fund first…
    RECOVERY_IN = "recovery_in", "收回违约本息纳入专户"
    # …and at the next settlement the fund returns it to those who bore it, in reverse order.
    RECOVERY_RETURNED = "recovery_returned", "收回款逆向返还"


FUND_EFFECT = {
    FundKind.ACCRUAL_FINANCE: +1,
    FundKind.ACCRUAL_UNIVERSITY: +1,
    FundKind.COVER_PAID: -1,
    FundKind.COVER_RETURNED: +1,
    FundKind.REWARD_PAID: -1,
    FundKind.REWARD_RETURNED: +1,
    FundKind.RECOVERY_IN: +1,
    FundKind.RECOVERY_RETURNED: -1,
}


class AccrualStatus(models.TextChoices):
    REQUESTED = "requested", "已提出申请"
    CONFIRMED = "confirmed", "银行已确认到账"


class Accrual(models.Model):
    """One academic year's accrual of one fund under one policy version: the 风险补偿金申请书
    figures (statistics by end of September, request by end of October) and, once the bank
    confirms the money arrived (确认书, by 20 Dec), the postings into the fund."""

    account = models.ForeignKey(
        FundAccount, verbose_name="补偿金账户", on_delete=models.PROTECT, related_name="accruals"
    )
    # The academic year that *ends* on 31 Aug of this year: 2026 = 1 Sep 2025 – 31 Aug 2026.
    academic_year = models.PositiveSmallIntegerField("学年(截至8月31日)")
    policy_version = models.ForeignKey(
        "policies.PolicyVersion", verbose_name="政策版本", on_delete=models.PROTECT, related_name="+"
    )
    contracts = models.PositiveIntegerField("合同数")
    disbursed = models.DecimalField("实际发放额", **MONEY)
    rate = models.DecimalField("计提比例", max_digits=5, decimal_places=4)
    total = models.DecimalField("应计补偿金", **MONEY)
    finance = models.DecimalField("财政承担", **MONEY)
    university = models.DecimalField("高校承担", **MONEY)
    status = models.CharField(
        "状态", max_length=12, choices=AccrualStatus.choices, default=AccrualStatus.REQUESTED
    )
    requested_on = models.DateField("申请日期")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "风险补偿金计提"
        verbose_name_plural = "风险补偿金计提"
        constraints = [
            models.UniqueConstraint(
                fields=["account", "academic_year", "policy_version"], name="uniq_fund_accrual"
            )
        ]
        ordering = ["-academic_year", "account_id"]

    def __str__(self) -> str:
        return f"{self.academic_year}学年补偿金 {self.total}"


# The parts of core.riskfund.Parts, stored twice on a settlement: cumulative and this year's movement.
PARTS = ("from_fund", "university_share", "bank_share", "province_share", "above_cap", "reward", "shortfall")
PART_LABELS = {
    "from_fund": "补偿金补偿",
    "university_share": "高校分担(5)",
    "bank_share": "银行分担(4)",
    "province_share": "省教贷办分担(1)",
    "above_cap": "高校承担(20%以上)",
    "reward": "奖励性返还",
    "shortfall": "补偿金不足部分",
}


class Settlement(models.Model):
    """One fund's 20 Dec settlement ([003] 第二十六–二十八条): the waterfall over the cumulative
    figures and what it moved this year (core.riskfund.movement)."""

    account = models.ForeignKey(
        FundAccount, verbose_name="补偿金账户", on_delete=models.PROTECT, related_name="settlements"
    )
    settled_on = models.DateField("结算日")
    contracts = models.PositiveIntegerField("合同数")
    total_loans = models.DecimalField("贷款总额", **MONEY)
    defaulted = models.DecimalField("违约贷款本息", **MONEY)
    recovered = models.DecimalField("上次结算后收回", **MONEY)
    fund_in = models.DecimalField("累计划入补偿金", **MONEY)
    rate = models.DecimalField("补偿比例", max_digits=5, decimal_places=4)
    band = models.CharField("风险区间", max_length=16)
    # The limits drawn this day (T1 = rate × loans, T2 = 20 % × loans): the next settlement returns
    # a recovery against these, not against its own (core.riskfund.settlement_steps).
    fund_limit = models.DecimalField("补偿限额(补偿比例×贷款总额)", default=0, **MONEY)
    cap_limit = models.DecimalField("20%限额", default=0, **MONEY)
    # The part of ``recovered`` taken into the fund and returned in reverse order this day.
    recovery_taken = models.DecimalField("纳入专户逆向返还的收回款", default=0, **MONEY)
    job_run = models.ForeignKey(
        "jobs.JobRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # cumulative parts, then this settlement's movement (negative: money flowing back)
    cum_from_fund = models.DecimalField("累计补偿金补偿", **MONEY)
    cum_university_share = models.DecimalField("累计高校分担(5)", **MONEY)
    cum_bank_share = models.DecimalField("累计银行分担(4)", **MONEY)
    cum_province_share = models.DecimalField("累计省教贷办分担(1)", **MONEY)
    cum_above_cap = models.DecimalField("累计高校承担(20%以上)", **MONEY)
    cum_reward = models.DecimalField("累计奖励性返还", **MONEY)
    cum_shortfall = models.DecimalField("累计补偿金不足部分", **MONEY)
    move_from_fund = models.DecimalField("本次补偿金补偿", **MONEY)
    move_university_share = models.DecimalField("本次高校分担(5)", **MONEY)
    move_bank_share = models.DecimalField("本次银行分担(4)", **MONEY)
    move_province_share = models.DecimalField("本次省教贷办分担(1)", **MONEY)
    move_above_cap = models.DecimalField("本次高校承担(20%以上)", **MONEY)
    move_reward = models.DecimalField("本次奖励性返还", **MONEY)
    move_shortfall = models.DecimalField("本次补偿金不足部分", **MONEY)

    class Meta:
        verbose_name = "风险补偿金结算"
        verbose_name_plural = "风险补偿金结算"
        constraints = [models.UniqueConstraint(fields=["account", "settled_on"], name="uniq_fund_settlement")]
        ordering = ["-settled_on", "account_id"]

    def __str__(self) -> str:
        return f"{self.settled_on} 结算 {self.account_id}"

    @property
    def risk_ratio(self):
        return self.defaulted / self.total_loans if self.total_loans else 0


class FundPosting(models.Model):
    """One movement of the fund. Never updated, never deleted (migration 0002's triggers)."""

    account = models.ForeignKey(
        FundAccount, verbose_name="补偿金账户", on_delete=models.PROTECT, related_name="postings"
    )
    business_date = models.DateField("业务日期")
    kind = models.CharField("类型", max_length=24, choices=FundKind.choices)
    amount = models.DecimalField("金额", **MONEY)
    accrual = models.ForeignKey(
        Accrual, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    settlement = models.ForeignKey(
        Settlement, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    memo = models.CharField("说明", max_length=200, blank=True, default="")
    # Which part of the settlement this posting carries (models.PARTS; empty for accruals). Null,
    # not a default: SQLite adds a nullable column in place, where a default would rebuild the
    # table and drop its append-only triggers.
    part = models.CharField("结算项目", max_length=24, null=True, blank=True)
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "补偿金分录"
        verbose_name_plural = "补偿金分录"
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_posting_positive")]
        indexes = [models.Index(fields=["account", "business_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Party(models.TextChoices):
    """Who bears a part of the defaults besides the fund ([003] 第二十七条), and the cover the fund
    owed but did not hold."""

    UNIVERSITY = "university", "高校(县)承担"
    BANK = "bank", "银行承担"
    PROVINCE = "province", "省教贷办承担"
    SHORTFALL = "shortfall", "补偿金欠付银行"


# The settlement parts each party's account carries (the fund carries from_fund and reward).
PARTY_PARTS = {
    Party.UNIVERSITY: ("university_share", "above_cap"),
    Party.BANK: ("bank_share",),
    Party.PROVINCE: ("province_share",),
    Party.SHORTFALL: ("shortfall",),
}


class ShareAccount(models.Model):
    """分担账户: what one party has borne of the defaults through the 20 Dec settlements, net of
    what came back — per university (or county) for its 5 share and the part above 20 %, per bank
    branch for its 4, per province office for its 1, per fund for the cover it owed the bank.
    ``balance`` caches the postings (signed: borne − returned)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="机构", on_delete=models.PROTECT, related_name="share_accounts"
    )
    party = models.CharField("分担方", max_length=12, choices=Party.choices)
    opened_on = models.DateField("开户日期")
    balance = models.DecimalField("累计净分担", default=0, **MONEY)

    class Meta:
        verbose_name = "违约分担账户"
        verbose_name_plural = "违约分担账户"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "party"], name="uniq_share_account")
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.organisation_id}"


class ShareKind(models.TextChoices):
    BORNE = "borne", "分担违约本息"
    RETURNED = "returned", "逆向返还"


SHARE_EFFECT = {ShareKind.BORNE: +1, ShareKind.RETURNED: -1}


class SharePosting(models.Model):
    """One part of one fund's settlement borne by (or returned to) one party. Never updated, never
    deleted (migration 0004's triggers); amount > 0, the kind gives the direction."""

    account = models.ForeignKey(
        ShareAccount, verbose_name="分担账户", on_delete=models.PROTECT, related_name="postings"
    )
    settlement = models.ForeignKey(
        Settlement, verbose_name="结算", on_delete=models.PROTECT, related_name="share_postings"
    )
    business_date = models.DateField("业务日期")
    part = models.CharField("结算项目", max_length=24)
    kind = models.CharField("类型", max_length=12, choices=ShareKind.choices)
    amount = models.DecimalField("金额", **MONEY)
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "违约分担分录"
        verbose_name_plural = "违约分担分录"
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="share_posting_positive")
        ]
        indexes = [models.Index(fields=["account", "business_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class SubsidyPayment(models.Model):
    """A finance department's transfer of subsidy interest (贴息资金) for a settlement, recorded by
    the province office and posted contract by contract against the receivable."""

    received_on = models.DateField("到账日期")
    payer = models.CharField("拨付单位", max_length=100)
    reference = models.CharField("拨款凭证号", max_length=64)
    total = models.DecimalField("到账金额", **MONEY)
    lines = models.PositiveIntegerField("合同数")
    source_name = models.CharField("导入文件", max_length=200, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "贴息资金到账"
        verbose_name_plural = "贴息资金到账"
        constraints = [
            models.UniqueConstraint(fields=["payer", "reference"], name="uniq_subsidy_payment_ref")
        ]
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"贴息到账 {self.reference}"


class SubsidyPaymentLine(models.Model):
    """One contract's part of a transfer; its SUBSIDY_RECEIVED posting carries the same amount."""

    payment = models.ForeignKey(
        SubsidyPayment, verbose_name="到账", on_delete=models.PROTECT, related_name="payment_lines"
    )
    contract = models.ForeignKey(
        "origination.Contract", verbose_name="借款合同", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField("到账贴息", **MONEY)

    class Meta:
        verbose_name = "贴息到账明细"
        verbose_name_plural = "贴息到账明细"
        constraints = [
            models.UniqueConstraint(fields=["payment", "contract"], name="uniq_subsidy_line"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="subsidy_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.amount}"


class SubsidyShare(models.Model):
    """The central / local split of the subsidy under one policy version (DOMAIN.md §6: central
    and local shares per the policy version). A version without a row is shown as all local: the
    2007 Jilin seed has the provincial finance pay in full ([003] 资金管理办法 第十八条)."""

    policy_version = models.OneToOneField(
        "policies.PolicyVersion",
        verbose_name="政策版本",
        on_delete=models.PROTECT,
        related_name="subsidy_share",
    )
    central_share = models.DecimalField("中央财政承担比例", max_digits=5, decimal_places=4)
    source = models.CharField("依据", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "贴息分担比例"
        verbose_name_plural = "贴息分担比例"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(central_share__gte=0, central_share__lte=1),
                name="subsidy_central_share_0_1",
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy_version_id} 中央 {self.central_share}"
