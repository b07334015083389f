"""Post-loan requests: status changes, plan changes and further study, 非恶意逾期 certificates
(DOMAIN.md §4 Status changes, Further study, §9). ("Servicing" is the ledger's word: interest,
schedule, repayment, DOMAIN.md §4.)

Each is a small workflow: one side records (maker), another confirms (checker, never the same user —
ARCHITECTURE principle 3); the services in ``postloan.services`` write every move to the audit log.
Uploaded evidence lives under MEDIA_ROOT and leaves only through a scope-checked view.
"""

from django.conf import settings
from django.db import models


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已退回"


class StatusChangeKind(models.TextChoices):
    # [002 (5)(3)][003 第二十条, 资金办法 第十八条] — DOMAIN.md §4 Status changes.
    DROPOUT = "dropout", "退学"
    SUSPENSION = "suspension", "休学"
    EXPULSION = "expulsion", "开除学籍"
    TRANSFER = "transfer", "转学"
    ABROAD = "abroad", "出国(境)"
    DEATH = "death", "死亡"


class StatusChange(models.Model):
    """A change of a borrower's student status, recorded by the university officer and confirmed by
    a supervisor (or another officer); confirmation applies the engine consequences to the contract."""

    contract = models.ForeignKey("origination.Contract", verbose_name="借款合同", on_delete=models.PROTECT,
                                 related_name="status_changes")
    kind = models.CharField("变动类型", max_length=16, choices=StatusChangeKind.choices)
    # The day the papers were handled: self-pay runs from the 1st of the next month [资金办法 第十八条].
    handled_on = models.DateField("办理日期")
    # Suspension only: the day the student came back; the subsidy resumes on the 1st of that month.
    returned_on = models.DateField("复学日期", null=True, blank=True)
    # Going abroad after graduating accelerates the whole loan (DOMAIN.md §4 "graduates going abroad
    # repay in full"); before graduating it is treated like a dropout.
    after_graduation = models.BooleanField("毕业后", default=False)
    note = models.CharField("说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING, db_index=True)
    # What confirmation did, kept for the contract page and for loans to replay.
    self_pay_from = models.DateField("自付利息起始日", null=True, blank=True)
    subsidy_resumes_on = models.DateField("恢复贴息日", null=True, blank=True)
    accelerated_to = models.DateField("提前到期日", null=True, blank=True)
    # DOMAIN.md §6: a borrower who has died is 损失 whatever the days overdue.
    loss_flag = models.BooleanField("损失类标记", default=False)
    stopped_contracts = models.CharField("停发合同", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "学籍变动"
        verbose_name_plural = "学籍变动"
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.handled_on:%Y-%m-%d}"


class PlanChangeKind(models.TextChoices):
    PLAN = "plan", "还款计划变更"
    # 展期 for further study: campus contracts signed up to 2014 (DOMAIN.md §4 Further study).
    EXTENSION = "extension", "展期(升学)"
    # 专升本 就学信息变更 by 1 August, with the admission letter [000 七].
    STUDY_INFO = "study_info", "就学信息变更(专升本/升学)"


class PlanChange(models.Model):
    """A chosen principal plan and/or a moved subsidy end date, pending staff approval."""

    contract = models.ForeignKey("origination.Contract", verbose_name="借款合同", on_delete=models.PROTECT,
                                 related_name="plan_changes")
    kind = models.CharField("类型", max_length=16, choices=PlanChangeKind.choices)
    # [{"due": "YYYY-MM-DD", "amount": "1500.00"}], validated by core.schedule.validate_plan.
    instalments = models.JSONField("还款计划", default=list, blank=True)
    new_graduation = models.DateField("新的毕业日期", null=True, blank=True)
    # Computed by the engine's rule and shown to the student before they confirm.
    old_self_pay_from = models.DateField("原自付利息起始日", null=True, blank=True)
    new_self_pay_from = models.DateField("新自付利息起始日", null=True, blank=True)
    new_maturity = models.DateField("新到期日", null=True, blank=True)
    admission_letter = models.FileField("录取通知书", upload_to="postloan/admission/%Y/", blank=True)
    status = models.CharField("状态", max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING, db_index=True)
    applied_on = models.DateField("申请日期")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "还款计划变更"
        verbose_name_plural = "还款计划变更"
        ordering = ["-applied_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.applied_on:%Y-%m-%d}"


class OverdueCertificate(models.Model):
    """非恶意逾期证明: the student explains an overdue (frozen account, channel failure …) with
    evidence; county or university staff approve; the student then downloads the PDF (DOMAIN.md §9)."""

    contract = models.ForeignKey("origination.Contract", verbose_name="借款合同", on_delete=models.PROTECT,
                                 related_name="overdue_certificates")
    reason = models.TextField("逾期原因", max_length=1000)
    evidence = models.FileField("证明材料", upload_to="postloan/evidence/%Y/", blank=True)
    status = models.CharField("状态", max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING, db_index=True)
    applied_on = models.DateField("申请日期")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "非恶意逾期证明申请"
        verbose_name_plural = "非恶意逾期证明申请"
        ordering = ["-applied_on", "-pk"]

    def __str__(self) -> str:
        return f"非恶意逾期证明 {self.get_status_display()}"
