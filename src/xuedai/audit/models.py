"""The audit log: who wrote what, when, with the values before and after (docs/security.md)."""

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    # Kept as text too, so the entry still names its author if the user row ever goes.
    actor_label = models.CharField("操作人名称", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, db_index=True)
    # Personal data is masked before it reaches these columns (see audit.services).
    object_repr = models.CharField("对象", max_length=200, blank=True)
    # Groups entries under the record a person thinks of ("borrowers.borrower:42"), so a borrower's
    # change history includes edits to their co-borrowers and contacts.
    subject_key = models.CharField("所属记录", max_length=80, blank=True, db_index=True)
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
