"""The credit-bureau files as they were sent, and every record in them (DOMAIN.md §6).

A file is never rebuilt: what was reported is kept record by record, so a later file can tell which
months changed since (a reversal, a transit-grace replay posted back-dated) and send a correction
record for exactly those (:mod:`.export`). The records freeze the name and ID number as reported.
"""

from django.conf import settings
from django.db import models

MONEY = {"max_digits": 14, "decimal_places": 2, "default": 0}


class CreditFile(models.Model):
    """One 征信报送文件 of a bank branch: the base records of ``month`` (first time only) and the
    corrections of earlier months found when it was made."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="报送机构", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("报送月份")  # the first day of the month reported
    sequence = models.PositiveIntegerField("文件序号")  # 1, 2, … per organisation
    # Postings with a larger id were not on the ledger when this file was made: a later file looks
    # for back-dated changes only among the accounts they touch (export.corrections).
    posting_mark = models.BigIntegerField("账务高水位", default=0)
    job_run = models.OneToOneField(
        "jobs.JobRun",
        verbose_name="后台任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    base_records = models.PositiveIntegerField("正常记录数", default=0)
    corrections = models.PositiveIntegerField("更正记录数", default=0)
    not_reportable = models.PositiveIntegerField("含不报送金额记录数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    done = models.BooleanField("已完成", default=False)

    class Meta:
        verbose_name = "征信报送文件"
        verbose_name_plural = "征信报送文件"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sequence"], name="uniq_credit_file_sequence")
        ]

    def __str__(self) -> str:
        return f"征信报送 {self.month:%Y年%m月} 第{self.sequence}号"

    @property
    def total_records(self) -> int:
        return self.base_records + self.corrections


class RecordType(models.TextChoices):
    BASE = "A", "正常"
    CORRECTION = "C", "更正"


class CreditRecord(models.Model):
    """One borrower-contract-month as reported. Amounts as of the month's last day; a correction
    record replaces the whole earlier record of its month (the bureau keeps the latest)."""

    file = models.ForeignKey(
        CreditFile, verbose_name="报送文件", on_delete=models.CASCADE, related_name="records"
    )
    record_type = models.CharField("记录类型", max_length=1, choices=RecordType.choices)
    month = models.DateField("记录月份")
    contract_id = models.BigIntegerField("合同")  # no FK: the file is history, read by COPY
    organisation_id = models.BigIntegerField("报送机构")  # the file's, for the latest-record lookup
    contract_no = models.CharField("合同编号", max_length=32)
    id_number = models.CharField("身份证号", max_length=18)
    name = models.CharField("姓名", max_length=50)
    product = models.CharField("产品", max_length=16)
    disbursed_on = models.DateField("发放日期", null=True)
    maturity_date = models.DateField("到期日", null=True)
    amount = models.DecimalField("合同金额", **MONEY)
    balance = models.DecimalField("贷款余额", **MONEY)
    due_amount = models.DecimalField("本月应还", **MONEY)
    paid_amount = models.DecimalField("本月实还", **MONEY)
    overdue_principal = models.DecimalField("逾期本金", **MONEY)
    overdue_interest = models.DecimalField("逾期利息及罚息", **MONEY)
    overdue_days = models.PositiveIntegerField("逾期天数", default=0)
    waived_amount = models.DecimalField("免息金额(不报送)", **MONEY)
    held_overdue = models.DecimalField("疫情相关逾期(不报送)", **MONEY)

    class Meta:
        verbose_name = "征信报送记录"
        verbose_name_plural = "征信报送记录"
        indexes = [
            models.Index(
                fields=["organisation_id", "month", "contract_id", "id"], name="credit_record_latest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_no} {self.month:%Y%m} {self.record_type}"


class CreditCheckpoint(models.Model):
    """Each account's month-end sums as one file computed them, so the next month's file reads only
    its own month's postings plus these rows (:mod:`.checkpoint`) instead of the whole ledger.

    Amounts are int fen, as the figures sum them. One row per account in the file's scope with
    ``due_on`` NULL (its balance, charged-unpaid penalty and the month's flows), and one row per due day
    still owing principal or interest (the oldest unpaid due day and the overdue amounts need them by
    day). Only the latest file's rows are kept per organisation: a month needs just the month before.
    """

    # No foreign keys: a million rows a month are written by INSERT … SELECT and dropped by DELETE,
    # without a per-row constraint check (as reports_quartergrade).
    file_id = models.BigIntegerField("报送文件")
    account_id = models.BigIntegerField("账户")
    due_on = models.DateField("应还日", null=True)
    balance = models.BigIntegerField("贷款余额(分)", default=0)
    penalty = models.BigIntegerField("未还罚息复利(分)", default=0)
    principal = models.BigIntegerField("未还到期本金(分)", default=0)
    interest = models.BigIntegerField("未还自付利息(分)", default=0)
    due_amount = models.BigIntegerField("本月应还(分)", default=0)
    paid_amount = models.BigIntegerField("本月实还(分)", default=0)
    waived_amount = models.BigIntegerField("本月免除(分)", default=0)
    moves = models.IntegerField("本月分录数", default=0)

    class Meta:
        verbose_name = "征信月末结存"
        verbose_name_plural = "征信月末结存"
        indexes = [models.Index(fields=["file_id", "account_id"], name="credit_checkpoint_file")]

    def __str__(self) -> str:
        return f"{self.file_id} {self.account_id} {self.due_on or ''}"
