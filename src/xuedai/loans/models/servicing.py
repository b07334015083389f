"""What the engine needs besides the contract: relief programmes, early-repayment applications, and
the quarter-end grades kept per contract (DOMAIN.md §1 relief, §4 early repayment, §6)."""

from django.conf import settings
from django.db import models


class ReliefProgramme(models.Model):
    """One year's relief notice (2022, 2023, 2024 policy): waive the year's interest and old
    penalties for graduated borrowers; the year's principal may be deferred one year."""

    name = models.CharField("名称", max_length=120)
    year = models.PositiveSmallIntegerField("适用年度")
    source = models.CharField("依据", max_length=200, blank=True)
    waive_interest = models.BooleanField("免除当年利息", default=True)
    waive_penalty = models.BooleanField("免除罚息", default=True)
    allow_deferral = models.BooleanField("允许本金延期一年", default=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "免息延期政策"
        verbose_name_plural = "免息延期政策"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name


class ReliefApplication(models.Model):
    """A programme applied to one account: part of its terms from then on (core.relief)."""

    account = models.ForeignKey("loans.LoanAccount", verbose_name="账户", on_delete=models.PROTECT,
                                related_name="reliefs")
    programme = models.ForeignKey(ReliefProgramme, verbose_name="政策", on_delete=models.PROTECT,
                                  related_name="applications")
    applied_on = models.DateField("适用日期")
    defer_principal = models.BooleanField("本金延期", default=False)
    job_run = models.ForeignKey("jobs.JobRun", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = "免息延期适用"
        verbose_name_plural = "免息延期适用"
        constraints = [models.UniqueConstraint(fields=["account", "programme"],
                                               name="uniq_relief_per_account")]

    def __str__(self) -> str:
        return f"{self.programme} → {self.account_id}"

    def as_core(self):
        from xuedai.loans.terms import relief_as_core

        return relief_as_core(self.programme, self.applied_on, self.defer_principal)


class EarlyRepaymentStatus(models.TextChoices):
    PENDING = "pending", "待扣款"
    DONE = "done", "已还款"
    FAILED = "failed", "扣款失败"


class EarlyRepaymentApplication(models.Model):
    """提前还款申请: deducted on ``deduct_on``; a failed deduction needs a new application [001]."""

    account = models.ForeignKey("loans.LoanAccount", verbose_name="账户", on_delete=models.PROTECT,
                                related_name="early_repayments")
    applied_on = models.DateField("申请日期")
    deduct_on = models.DateField("扣款日期")
    # None: repay everything (全部提前还款).
    principal = models.DecimalField("提前还本金额", max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=EarlyRepaymentStatus.choices,
                              default=EarlyRepaymentStatus.PENDING)
    reason = models.CharField("失败原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "提前还款申请"
        verbose_name_plural = "提前还款申请"
        constraints = [models.UniqueConstraint(fields=["account", "deduct_on"], name="uniq_early_per_day")]

    def __str__(self) -> str:
        return f"提前还款 {self.account_id} {self.deduct_on}"


class GradeRecord(models.Model):
    """The five-tier grade of one contract at one quarter end (DOMAIN.md §6, seed [004] 第七条)."""

    account = models.ForeignKey("loans.LoanAccount", verbose_name="账户", on_delete=models.PROTECT,
                                related_name="grades")
    as_of = models.DateField("分类日期")
    rule = models.CharField("分类规则", max_length=8)
    grade = models.CharField("五级分类", max_length=24)
    oldest_unpaid_due = models.DateField("最早未还到期日", null=True, blank=True)
    days_overdue = models.PositiveIntegerField("逾期天数", default=0)
    principal_outstanding = models.DecimalField("贷款余额", max_digits=14, decimal_places=2)
    job_run = models.ForeignKey("jobs.JobRun", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = "五级分类结果"
        verbose_name_plural = "五级分类结果"
        constraints = [models.UniqueConstraint(fields=["account", "as_of"], name="uniq_grade_per_quarter")]
        indexes = [models.Index(fields=["as_of", "grade"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.as_of} {self.grade}"

    @property
    def grade_label(self) -> str:
        from xuedai.core.classification import Grade

        return Grade(self.grade).label_zh
