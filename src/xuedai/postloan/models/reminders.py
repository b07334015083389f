"""Reminder campaigns and their delivery records (DOMAIN.md §5, §8: 20 Nov–20 Dec; §9 failed
deductions). One campaign per (kind, business date); one reminder per (campaign, borrower,
channel), which is what makes a re-run send nothing twice."""

from django.db import models


class CampaignKind(models.TextChoices):
    ANNUAL_DUE = "annual_due", "年度还款提醒"
    INTENSIFIED = "intensified", "集中提醒(11月20日–12月20日)"
    FAILED_DEDUCTION = "failed_deduction", "扣款失败提醒"


class ReminderCampaign(models.Model):
    kind = models.CharField("类型", max_length=24, choices=CampaignKind.choices)
    business_date = models.DateField("业务日期")
    job_run = models.ForeignKey("jobs.JobRun", verbose_name="批处理", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒批次"
        verbose_name_plural = "提醒批次"
        ordering = ["-business_date", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "business_date"], name="uniq_reminder_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.business_date}"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    SKIPPED = "skipped", "无联系方式"


class Reminder(models.Model):
    borrower = models.ForeignKey("borrowers.Borrower", verbose_name="借款学生", on_delete=models.CASCADE,
                                 related_name="reminders")
    campaign = models.ForeignKey(ReminderCampaign, verbose_name="提醒批次", on_delete=models.CASCADE,
                                 related_name="reminders")
    channel = models.CharField("渠道", max_length=32)
    # The address as sent, masked: the delivery record is a list others read (DOMAIN.md §2 scope).
    recipient = models.CharField("接收方", max_length=120, blank=True)
    text = models.TextField("内容")
    # The due date the text is about: the annual notice goes once per due date, not once a day.
    due_on = models.DateField("所提醒的还款日", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=DeliveryStatus.choices)
    provider_id = models.CharField("回执编号", max_length=64, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "还款提醒"
        verbose_name_plural = "还款提醒"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "borrower", "channel"],
                                    name="uniq_reminder_delivery"),
        ]
        indexes = [models.Index(fields=["borrower", "due_on"])]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.borrower_id} {self.get_status_display()}"


class OutboxMessage(models.Model):
    """What the log channel "sent": the default backend writes here (and to the log) instead of a
    gateway, so a demo or test can read every message without an SMS contract."""

    channel = models.CharField("渠道", max_length=32)
    recipient = models.CharField("接收方", max_length=120)
    text = models.TextField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "发件记录"
        verbose_name_plural = "发件记录"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.recipient}"
