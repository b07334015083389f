"""Background job runs with progress, and the stored business date (ARCHITECTURE principles 6, 7)."""

from django.db import models


class JobStatus(models.TextChoices):
    PENDING = "pending", "等待中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class JobRun(models.Model):
    """One run of a batch, keyed by (kind, business date, scope) so a re-run finds and resumes it."""

    kind = models.CharField("任务类型", max_length=64)
    business_date = models.DateField("业务日期")
    scope_key = models.CharField("范围", max_length=128, default="all")
    status = models.CharField("状态", max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress_done = models.BigIntegerField("已完成", default=0)
    progress_total = models.BigIntegerField("总数", default=0)
    # Where a killed run picks up again (e.g. the last contract id written).
    checkpoint = models.JSONField("断点", default=dict, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    created_by = models.ForeignKey("orgs.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "business_date", "scope_key"], name="uniq_job_run"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.business_date} {self.scope_key}"

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class BusinessDate(models.Model):
    """A single row holding the simulated business date; absent means the calendar date."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.DateField("业务日期")

    class Meta:
        verbose_name = "业务日期"
        verbose_name_plural = "业务日期"

    def __str__(self) -> str:
        return self.value.isoformat()
