"""Event rows of the workflows (ARCHITECTURE principle 3): who, when, from, to, action, comment.

Append-only by convention: services create them, nothing updates them. A contract's timeline is
its events; a batch's steps (county report, province audit…) are batch events.
"""

from django.conf import settings
from django.db import models


class ContractEvent(models.Model):
    contract = models.ForeignKey("origination.Contract", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=24)
    from_state = models.CharField("原状态", max_length=16, blank=True)
    to_state = models.CharField("新状态", max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    # Kept as text too: the timeline must still say who acted after an account is removed.
    actor_label = models.CharField("操作人", max_length=60, blank=True)
    at = models.DateTimeField("时间", db_index=True)
    business_date = models.DateField("业务日期")
    comment = models.CharField("意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "合同流转记录"
        verbose_name_plural = "合同流转记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["contract", "at"])]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.action} {self.from_state}→{self.to_state}"


class BatchEvent(models.Model):
    batch = models.ForeignKey("origination.CountyBatch", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=24)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField("操作人", max_length=60, blank=True)
    at = models.DateTimeField("时间")
    business_date = models.DateField("业务日期")
    comment = models.CharField("意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "批次流转记录"
        verbose_name_plural = "批次流转记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.action} {self.from_state}→{self.to_state}"
