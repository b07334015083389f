"""Contacts with graduate borrowers and the lost-contact hand-over [000 九; DOMAIN.md §5].

Departments contact every graduate borrower each quarter; the university keeps a monthly
逾期学生联系台账; a borrower nobody can reach is flagged 失联 for the county centre to trace.
"""

from django.conf import settings
from django.db import models


class ContactChannel(models.TextChoices):
    PHONE = "phone", "电话"
    SMS = "sms", "短信"
    WECHAT = "wechat", "微信"
    QQ = "qq", "QQ"
    VISIT = "visit", "上门"
    LETTER = "letter", "信函"


class ContactResult(models.TextChoices):
    REACHED = "reached", "已联系上"
    PROMISED = "promised", "承诺按时还款"
    INFO_UPDATED = "info_updated", "已更新联系方式"
    NO_ANSWER = "no_answer", "无人接听/未回复"
    WRONG_NUMBER = "wrong_number", "号码错误/停机"
    REFUSED = "refused", "拒绝沟通"
    LOST = "lost", "失联"

    @classmethod
    def reached(cls) -> frozenset[str]:
        """Results that count as "contacted" for quarterly coverage: someone answered."""
        return frozenset({cls.REACHED, cls.PROMISED, cls.INFO_UPDATED, cls.REFUSED})


class ContactLog(models.Model):
    borrower = models.ForeignKey("borrowers.Borrower", verbose_name="借款学生", on_delete=models.CASCADE,
                                 related_name="contact_logs")
    contacted_on = models.DateField("联系日期")
    channel = models.CharField("联系方式", max_length=8, choices=ContactChannel.choices)
    result = models.CharField("联系结果", max_length=16, choices=ContactResult.choices)
    note = models.CharField("情况说明", max_length=500, blank=True)
    next_step = models.CharField("下一步措施", max_length=200, blank=True)
    next_contact_on = models.DateField("下次联系日期", null=True, blank=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="联系人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["borrower", "contacted_on"]), models.Index(fields=["contacted_on"])]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_channel_display()} {self.get_result_display()}"


class LostContactStatus(models.TextChoices):
    OPEN = "open", "待县资助中心查找"
    FOUND = "found", "已找到"
    CLOSED = "closed", "已关闭"


class LostContactFlag(models.Model):
    """A 失联 borrower handed to the county centre of their household registration [000 九].

    The organisations are copied from the borrower when flagged, so the flag stays in the county's
    scope (orgs.scope.record_scope_q) and in the university's, which raised it.
    """

    borrower = models.ForeignKey("borrowers.Borrower", verbose_name="借款学生", on_delete=models.CASCADE,
                                 related_name="lost_contact_flags")
    county = models.ForeignKey("orgs.Organisation", verbose_name="县资助中心", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    university = models.ForeignKey("orgs.Organisation", verbose_name="高校", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("orgs.Organisation", verbose_name="院系", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=8, choices=LostContactStatus.choices,
                              default=LostContactStatus.OPEN, db_index=True)
    raised_on = models.DateField("标记日期")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="标记人", null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField("失联情况", max_length=300)
    resolved_on = models.DateField("处理日期", null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    resolution = models.CharField("查找结果", max_length=300, blank=True)

    class Meta:
        verbose_name = "失联标记"
        verbose_name_plural = "失联标记"
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["borrower"], condition=models.Q(status="open"),
                                    name="uniq_open_lost_contact_flag"),
        ]

    def __str__(self) -> str:
        return f"失联 {self.borrower_id} {self.get_status_display()}"
