"""The student's online application (学生在线服务系统 → 贷款申请 → 新增) [001 二.1, 附件二 三].

It carries what the student typed for the year; the county operator turns it into a contract
(新增合同), which reads it [001 附件三 三(一)1]. One live application per student per year.
"""

from django.db import models

from xuedai.policies.products import Product


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", "已提交(待县资助中心受理)"
    ACCEPTED = "accepted", "已受理(已生成合同)"
    CANCELLED = "cancelled", "已撤销"


class Application(models.Model):
    borrower = models.ForeignKey("borrowers.Borrower", verbose_name="借款学生", on_delete=models.PROTECT,
                                 related_name="applications")
    product = models.CharField("产品", max_length=16, choices=Product.choices, default=Product.HOME_COUNTY)
    academic_year = models.PositiveSmallIntegerField("贷款学年")
    # Copied from the borrower when submitted, so scope filters never need a join.
    county = models.ForeignKey("orgs.Organisation", verbose_name="县资助中心", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    university = models.ForeignKey("orgs.Organisation", verbose_name="高校", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("申请金额", max_digits=12, decimal_places=2)
    term_years = models.PositiveSmallIntegerField("申请期限(年)")
    tuition = models.DecimalField("学费", max_digits=12, decimal_places=2, default=0)
    accommodation = models.DecimalField("住宿费", max_digits=12, decimal_places=2, default=0)
    co_borrower = models.ForeignKey("borrowers.CoBorrower", verbose_name="共同借款人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    # 续贷: the student has borrowed 生源地 before; no new eligibility stamp is needed [001 二.1].
    is_renewal = models.BooleanField("续贷", default=False)
    reason = models.CharField("申请理由", max_length=300, blank=True)
    state = models.CharField("状态", max_length=16, choices=ApplicationState.choices,
                             default=ApplicationState.SUBMITTED, db_index=True)
    submitted_on = models.DateField("申请日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "在线贷款申请"
        verbose_name_plural = "在线贷款申请"
        indexes = [models.Index(fields=["county", "academic_year", "state"])]
        constraints = [
            # One application per student per year (a cancelled one does not count).
            models.UniqueConstraint(fields=["borrower", "product", "academic_year"],
                                    condition=~models.Q(state="cancelled"),
                                    name="uniq_live_application_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="application_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year}学年贷款申请 #{self.pk}"
