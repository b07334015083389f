"""Campus national loans (校园地国家助学贷款) — DOMAIN.md §3.2, [002 (一)–(四)], [003 第七–十五条].

A campus loan is a Contract (product "campus") from the day the loan office enters the student's
申请审批表, so one timeline (ContractEvent) covers application to disbursement. What only campus
loans have lives here: the application's paper checklist and the 公示, objections raised during it,
the university's yearly quota, and the disbursement instalments.
"""

from django.conf import settings
from django.db import models


class CampusFile(models.Model):
    """The application's papers and the dates the clocks run from [003 第十一–十五条]."""

    contract = models.OneToOneField(
        "origination.Contract", on_delete=models.CASCADE, related_name="campus_file"
    )
    # 第十一条 (2): copies of the student card and ID card.
    id_card_copy = models.BooleanField("身份证复印件", default=False)
    student_card_copy = models.BooleanField("学生证复印件", default=False)
    # 第十一条 (3): the parents agree and will see that the student repays.
    parents_commitment = models.BooleanField("家长承诺书", default=False)
    # 第十一条 (4): civil-affairs certificate of the family's hardship.
    poverty_certificate = models.BooleanField("民政部门家庭经济困难证明", default=False)
    # 第十二条: 5-day public notice after the department's initial review.
    notice_start = models.DateField("公示开始日期", null=True, blank=True)
    notice_end = models.DateField("公示结束日期", null=True, blank=True)
    # 第十四条: the province office reviews and forwards within 3 working days of receiving.
    sent_on = models.DateField("报省教贷办日期", null=True, blank=True)
    forwarded_on = models.DateField("转送银行日期", null=True, blank=True)
    # 第十五条: the bank approves within 5 working days of receiving.
    approved_on = models.DateField("银行审批日期", null=True, blank=True)

    class Meta:
        verbose_name = "校园地贷款申请材料"
        verbose_name_plural = "校园地贷款申请材料"

    def __str__(self) -> str:
        return f"{self.contract_id} 申请材料"


class NoticeObjection(models.Model):
    """An objection raised during the 公示: who raised it, what, and how it was resolved. While one is
    open the loan office may not review the application (DOMAIN.md §3.2)."""

    contract = models.ForeignKey(
        "origination.Contract", on_delete=models.CASCADE, related_name="notice_objections"
    )
    raised_on = models.DateField("提出日期")
    raised_by = models.CharField("异议人", max_length=60)
    content = models.CharField("异议内容", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField("处理结果", max_length=300, blank=True)
    resolved_on = models.DateField("处理日期", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["raised_on", "id"]

    def __str__(self) -> str:
        return f"{self.contract_id} 异议：{self.content[:20]}"


class UniversityQuota(models.Model):
    """A university's loan quota for one academic year [003 第八、九条; 合作协议 第十一条]: requested
    by 5 Sep, granted by the province office by 25 Sep. Dates are recorded as they happened; a late
    one is shown as late, not refused (the office decides, the system keeps the record)."""

    university = models.ForeignKey(
        "orgs.Organisation", verbose_name="高校", on_delete=models.PROTECT, related_name="loan_quotas"
    )
    academic_year = models.PositiveSmallIntegerField("贷款学年")
    enrolled_students = models.PositiveIntegerField("在校学生人数")
    requested_amount = models.DecimalField("申请额度", max_digits=16, decimal_places=2)
    requested_on = models.DateField("申请日期")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_amount = models.DecimalField("下达额度", max_digits=16, decimal_places=2, null=True, blank=True)
    granted_on = models.DateField("下达日期", null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="下达人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "高校贷款额度"
        verbose_name_plural = "高校贷款额度"
        constraints = [
            models.UniqueConstraint(fields=["university", "academic_year"], name="uniq_university_quota")
        ]

    def __str__(self) -> str:
        return f"{self.university}{self.academic_year}学年额度"


class Payee(models.TextChoices):
    UNIVERSITY = "university", "高校账户(学费住宿费)"
    STUDENT = "student", "学生账户(生活费)"
    BORROWER = "borrower", "借款人账户"


class Instalment(models.Model):
    """One planned payment of a loan: campus fees by academic year to the university, living
    expenses monthly to the student (never February or August [002]); commercial tranches."""

    contract = models.ForeignKey("origination.Contract", on_delete=models.CASCADE, related_name="instalments")
    sequence = models.PositiveSmallIntegerField("期次")
    due_on = models.DateField("计划发放日")
    payee = models.CharField("收款方", max_length=12, choices=Payee.choices)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    paid_on = models.DateField("实际发放日", null=True, blank=True)

    class Meta:
        verbose_name = "发放计划"
        verbose_name_plural = "发放计划"
        ordering = ["contract_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="uniq_instalment"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} 第{self.sequence}期"
