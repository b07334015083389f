"""Deduction runs (批量扣款) on the 20th: the file sent to a channel and the lines in it.

DOMAIN.md §4 Channels, §8; seed [001] 三 (本息还款流程): Alipay deducts on the 20th, the county
exports the 扣款明细表 on the 21st; agent-bank counties fill the 批量扣款信息表(代理行版) and
import it. One run per (business date, channel, agent bank): the Alipay run covers every county
that has no agent bank; each agent bank gets its own run for the counties it serves.
"""

from django.db import models


class Channel(models.TextChoices):
    ALIPAY = "alipay", "支付宝"
    AGENT_BANK = "agent_bank", "代理行"


class RunStatus(models.TextChoices):
    SENT = "sent", "已生成扣款文件"
    IMPORTED = "imported", "已导入结果"
    POSTED = "posted", "已入账"


class DeductionRun(models.Model):
    business_date = models.DateField("扣款日期")
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    agent_bank = models.ForeignKey("orgs.Organisation", verbose_name="代理行", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=RunStatus.choices, default=RunStatus.SENT)
    # Paths relative to MEDIA_ROOT; served only through the scope-checked download view.
    request_file = models.CharField("扣款文件", max_length=300, blank=True)
    result_file = models.CharField("结果文件", max_length=300, blank=True)
    lines_count = models.PositiveIntegerField("笔数", default=0)
    amount_requested = models.DecimalField("应扣金额", max_digits=16, decimal_places=2, default=0)
    amount_paid = models.DecimalField("实扣金额", max_digits=16, decimal_places=2, default=0)
    failed_count = models.PositiveIntegerField("失败笔数", default=0)
    job_run = models.ForeignKey("jobs.JobRun", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "批量扣款"
        verbose_name_plural = "批量扣款"
        ordering = ["-business_date", "channel", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business_date", "channel", "agent_bank"],
                                    name="uniq_deduction_run"),
            # The Alipay run has no agent bank: NULLs are distinct in a unique index, so say it again.
            models.UniqueConstraint(fields=["business_date", "channel"],
                                    condition=models.Q(agent_bank__isnull=True),
                                    name="uniq_deduction_run_alipay"),
        ]

    def __str__(self) -> str:
        return f"{self.business_date} {self.get_channel_display()}"

    @property
    def layout_name(self) -> str:
        return "批量扣款信息表(代理行版)" if self.channel == Channel.AGENT_BANK else "扣款明细表"


class LineKind(models.TextChoices):
    DUE = "due", "到期还款"
    OVERDUE = "overdue", "逾期还款"
    EARLY = "early", "提前还款"


class LineResult(models.TextChoices):
    PENDING = "", "待扣款"
    SUCCESS = "success", "成功"
    FAILED = "failed", "失败"


class DeductionLine(models.Model):
    run = models.ForeignKey(DeductionRun, verbose_name="批量扣款", on_delete=models.PROTECT,
                            related_name="lines")
    seq = models.PositiveIntegerField("序号")
    account = models.ForeignKey("loans.LoanAccount", verbose_name="账户", on_delete=models.PROTECT,
                                related_name="deduction_lines")
    # Copied for the scope filter (a county or university sees its lines).
    county = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField("扣款类型", max_length=16, choices=LineKind.choices)
    principal = models.DecimalField("应扣本金", max_digits=14, decimal_places=2, default=0)
    interest = models.DecimalField("应扣利息", max_digits=14, decimal_places=2, default=0)
    penalty = models.DecimalField("应扣罚息复利", max_digits=14, decimal_places=2, default=0)
    amount = models.DecimalField("应扣合计", max_digits=14, decimal_places=2)
    early_repayment = models.ForeignKey("loans.EarlyRepaymentApplication", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    result = models.CharField("扣款结果", max_length=16, choices=LineResult.choices, blank=True, default="")
    paid = models.DecimalField("实扣金额", max_digits=14, decimal_places=2, default=0)
    reason = models.CharField("失败原因", max_length=100, blank=True)
    # Set in the same transaction as the repayment postings: an import re-run never posts twice.
    posted = models.BooleanField("已入账", default=False)

    class Meta:
        verbose_name = "扣款明细"
        verbose_name_plural = "扣款明细"
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="uniq_line_seq"),
                       models.UniqueConstraint(fields=["run", "account"], name="uniq_line_account")]

    def __str__(self) -> str:
        return f"{self.run} #{self.seq}"


class ResultFile(models.Model):
    """One channel result file imported for a run (回盘文件), the first or a correcting one.

    DOMAIN.md §4 Channels: the channel answers each run with a file (Alipay's 扣款明细表, the agent
    bank's 批量扣款信息表); an agent bank may send a corrected file for the same run. Each file is
    kept once (its SHA-256 is unique per run: the same file uploaded again is refused) and numbered
    in the order it was accepted; what it changed is in its :class:`ResultRow` rows.
    """

    run = models.ForeignKey(DeductionRun, verbose_name="批量扣款", on_delete=models.PROTECT,
                            related_name="result_files")
    number = models.PositiveSmallIntegerField("第几份回盘")
    sha256 = models.CharField("文件摘要(SHA-256)", max_length=64)
    original_name = models.CharField("上传文件名", max_length=200, blank=True)
    stored_file = models.CharField("存档文件", max_length=300, blank=True)
    rows = models.PositiveIntegerField("数据行数", default=0)
    changed = models.PositiveIntegerField("变动笔数", default=0)
    amount_paid = models.DecimalField("文件实扣合计", max_digits=16, decimal_places=2, default=0)
    amount_to_post = models.DecimalField("本次入账金额", max_digits=16, decimal_places=2, default=0)
    # The posting job of this file alone ("result:<id>"): two files never share a job row.
    job_run = models.ForeignKey("jobs.JobRun", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    posted = models.BooleanField("已入账", default=False)
    imported_by = models.ForeignKey("orgs.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "回盘文件"
        verbose_name_plural = "回盘文件"
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "sha256"], name="uniq_result_file_hash"),
            models.UniqueConstraint(fields=["run", "number"], name="uniq_result_file_number"),
        ]

    def __str__(self) -> str:
        return f"{self.run} 第{self.number}份回盘"


class ResultRow(models.Model):
    """What one result file says about one line, and the money it moves: the idempotency key of
    a posting from an external file.

    ``amount`` is what this file adds to what earlier files recorded for the line (the first file:
    all of it). Unique per (line, file): one file cannot post a line twice, whoever runs it;
    ``posted_at`` is set in the same transaction as the line's postings, by a compare-and-set on
    the locked row, so two workers posting the same file post each row once.
    """

    result_file = models.ForeignKey(ResultFile, verbose_name="回盘文件", on_delete=models.PROTECT,
                                    related_name="result_rows")
    line = models.ForeignKey(DeductionLine, verbose_name="扣款明细", on_delete=models.PROTECT,
                             related_name="result_rows")
    row_number = models.PositiveIntegerField("文件行号")
    result = models.CharField("扣款结果", max_length=16, choices=LineResult.choices)
    paid = models.DecimalField("实扣金额", max_digits=14, decimal_places=2)
    amount = models.DecimalField("本次入账", max_digits=14, decimal_places=2)
    reason = models.CharField("失败原因", max_length=100, blank=True)
    posted_at = models.DateTimeField("入账时间", null=True, blank=True)
    # Why the last attempt could not post the row (e.g. a later payment made the day back-dated):
    # the row stays unposted, the others go on, and reconcile reports the line until it is settled.
    problem = models.CharField("未入账原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "回盘明细"
        verbose_name_plural = "回盘明细"
        ordering = ["result_file", "id"]
        constraints = [
            models.UniqueConstraint(fields=["line", "result_file"], name="uniq_result_row_per_line"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="result_row_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(paid__gte=0), name="result_row_paid_not_negative"),
        ]
        indexes = [models.Index(fields=["result_file", "id"], condition=models.Q(posted_at__isnull=True),
                                name="result_row_unposted")]

    def __str__(self) -> str:
        return f"{self.result_file} 第{self.row_number}行"
