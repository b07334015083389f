"""County batches (汇总并提交) and each county's season dates — DOMAIN.md §3.1 steps 3–6, [001 三].

A county submits one batch a year; contracts the bank returned and the county fixed are resubmitted
in further batches of the same year ("办理完毕后再分批报分行重新审批" [001 二.6]), numbered by
`sequence`. The year is locked for the county once a batch has been reported by its supervisor
[001 附件三 四.1]: that is derived from the batches (see rules.year_locked), not stored twice.
"""

from django.conf import settings
from django.db import models


class BatchState(models.TextChoices):
    SUMMARISED = "summarised", "已汇总(待县负责人复核)"
    COUNTY_SUBMITTED = "county_submitted", "县已上报(待省经办人审核)"
    PROVINCE_AUDITED = "province_audited", "省已审核(待省负责人复核)"
    PROVINCE_SUBMITTED = "province_submitted", "已报分行(待银行审查)"
    BANK_REVIEWED = "bank_reviewed", "银行已审查"
    # Sent back before the bank saw it: its contracts are back to "已回执" for the county to redo.
    REJECTED = "rejected", "已退回县资助中心"


# Batch states after the county supervisor's report: the county's year is locked.
LOCKING_STATES = frozenset({BatchState.COUNTY_SUBMITTED, BatchState.PROVINCE_AUDITED,
                            BatchState.PROVINCE_SUBMITTED, BatchState.BANK_REVIEWED})


class CountyBatch(models.Model):
    county = models.ForeignKey("orgs.Organisation", verbose_name="县资助中心", on_delete=models.PROTECT,
                               related_name="origination_batches")
    academic_year = models.PositiveSmallIntegerField("贷款学年")
    sequence = models.PositiveSmallIntegerField("批次序号", default=1)
    state = models.CharField("状态", max_length=20, choices=BatchState.choices,
                             default=BatchState.SUMMARISED, db_index=True)
    contract_count = models.PositiveIntegerField("合同数", default=0)
    total_amount = models.DecimalField("合同金额合计", max_digits=16, decimal_places=2, default=0)
    created_at = models.DateTimeField("汇总时间", auto_now_add=True)
    # Each step's person; maker ≠ checker at county and province level (ARCHITECTURE principle 3).
    summarised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="汇总人", null=True,
                                      on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="县负责人", null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)
    audited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="省经办人", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    audited_at = models.DateTimeField("省审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="省负责人", null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("省复核时间", null=True, blank=True)
    bank_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="银行审查人", null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="+")
    bank_reviewed_at = models.DateTimeField("银行审查时间", null=True, blank=True)

    class Meta:
        verbose_name = "县批次"
        verbose_name_plural = "县批次"
        ordering = ["-academic_year", "county_id", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["county", "academic_year", "sequence"], name="uniq_county_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.county}{self.academic_year}学年第{self.sequence}批"


class CountySeason(models.Model):
    """The dates each county sets for itself ("各资助中心根据工作安排自行指定" [001 附件三 二(二)]).

    Blank dates impose nothing: a county that has not set its season is not blocked.
    """

    county = models.ForeignKey("orgs.Organisation", verbose_name="县资助中心", on_delete=models.PROTECT,
                               related_name="origination_seasons")
    academic_year = models.PositiveSmallIntegerField("贷款学年")
    accept_from = models.DateField("申请受理开始日期", null=True, blank=True)
    accept_until = models.DateField("申请受理结束日期", null=True, blank=True)
    receipt_deadline = models.DateField("回执接收截止日期", null=True, blank=True)
    # Set when the deadline batch has withdrawn the unreceived contracts (idempotent re-runs).
    withdrawn_at = models.DateTimeField("未回执撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "县受理日期"
        verbose_name_plural = "县受理日期"
        constraints = [
            models.UniqueConstraint(fields=["county", "academic_year"], name="uniq_county_season"),
        ]

    def __str__(self) -> str:
        return f"{self.county}{self.academic_year}学年受理日期"
