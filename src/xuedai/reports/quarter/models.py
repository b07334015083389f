"""The quarter end kept as it was: the snapshot of every contract's grade, the hand-set grades, the
moves between grades, and the 资产质量分类认定表 submitted on it (DOMAIN.md §6, seed [004] 第七–九条).

Grades are stored as ranks (0 正常 … 4 损失, ``core.classification.Grade.rank``), so "the worse of two
grades" is ``MAX`` in set-based SQL on SQLite and PostgreSQL alike; :data:`GRADE_LABELS` names them.

Why a snapshot table beside ``loans_graderecord``: the loans batch grades by the days overdue only;
the quarter's reported grade also carries the hand-set 关注 / 损失, the relief hold, and the overdue
principal and interest of the day — and once a unit has submitted its 认定表 on it, nothing may move
it. A snapshot is taken once per quarter end and never recomputed (its ``as_of`` is unique); later
changes are moves with their reason (:class:`GradeMove`), refused once the unit's table is locked.
"""

from django.conf import settings
from django.db import models

from xuedai.core.classification import Grade

GRADE_LABELS = tuple(g.label_zh for g in Grade)
GRADE_CHOICES = [(rank, label) for rank, label in enumerate(GRADE_LABELS)]


class QuarterSnapshot(models.Model):
    """One quarter end (31 Mar, 30 Jun, 30 Sep, 31 Dec), taken once after the classification batch."""

    as_of = models.DateField("分类时点", unique=True)
    taken_at = models.DateTimeField("生成时间", auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="生成人",
    )
    contracts = models.PositiveIntegerField("合同数", default=0)

    class Meta:
        verbose_name = "季末分类快照"
        verbose_name_plural = "季末分类快照"
        ordering = ["-as_of"]

    def __str__(self) -> str:
        return f"{self.as_of:%Y年%m月%d日}季末分类"


class QuarterGrade(models.Model):
    """One contract at one quarter end: the computed grade, the reported grade and why they differ.

    Written only set-based (``reports.quarter.snapshot``); one row per live contract that is not
    正常-and-unchanged (those are :class:`QuarterNormalLine`).
    """

    # No FOREIGN KEY in the database (db_constraint=False): a deferred key check per row at commit
    # would cost more than the snapshot's own statements at 10⁶ rows; rows are written only by
    # :mod:`.snapshot` for the snapshot it just created, and snapshots are never deleted. No index of
    # its own either: the unique (snapshot, contract) and the unit index both start with it.
    snapshot = models.ForeignKey(
        QuarterSnapshot,
        on_delete=models.PROTECT,
        related_name="grades",
        db_constraint=False,
        db_index=False,
    )
    # The contract id (= loan account id); no foreign key: written by INSERT … SELECT in one statement.
    contract_id = models.BigIntegerField("合同")
    borrower_id = models.BigIntegerField("借款学生")
    product = models.CharField("产品", max_length=16)
    # 认定表 unit: the university for a campus loan, the signing county otherwise (DOMAIN.md §6).
    unit_id = models.BigIntegerField("填报单位", null=True)
    county_id = models.BigIntegerField("县资助中心", null=True)
    university_id = models.BigIntegerField("高校", null=True)
    # 年度项目: the contract's academic year, "2006年度助学贷款项目" = 2006–2007 [004 第九条].
    project_year = models.PositiveSmallIntegerField("项目年度")
    rule = models.CharField("分类规则", max_length=8)
    computed_rank = models.PositiveSmallIntegerField("按逾期天数", choices=GRADE_CHOICES)
    rank = models.PositiveSmallIntegerField("五级分类", choices=GRADE_CHOICES)
    # Why ``rank`` differs from ``computed_rank``: "" (it does not), relief_hold, or a designation reason.
    reason = models.CharField("调整原因", max_length=24, blank=True, default="")
    oldest_unpaid_due = models.DateField("最早未还到期日", null=True)
    days_overdue = models.PositiveIntegerField("逾期天数", default=0)
    principal_outstanding = models.DecimalField("贷款余额", max_digits=14, decimal_places=2)
    principal_overdue = models.DecimalField("逾期本金", max_digits=14, decimal_places=2, default=0)
    interest_overdue = models.DecimalField("逾期利息", max_digits=14, decimal_places=2, default=0)
    # The borrower also has a contract in this unit's and project year's :class:`QuarterNormalLine`:
    # the figures count each borrower once per table, so such a borrower is already in the line's
    # ``borrowers`` and is not counted again from this row.
    borrower_in_line = models.BooleanField("借款学生另有正常汇总合同", default=False)

    class Meta:
        verbose_name = "季末分类结果"
        verbose_name_plural = "季末分类结果"
        constraints = [models.UniqueConstraint(fields=["snapshot", "contract_id"], name="uniq_quarter_grade")]
        indexes = [models.Index(fields=["snapshot", "unit_id", "project_year"], name="quarter_grade_unit")]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.snapshot_id} {GRADE_LABELS[self.rank]}"


class QuarterNormalLine(models.Model):
    """The 正常-and-unchanged contracts of one unit and project year at one quarter end, as one line.

    The snapshot is sparse: a :class:`QuarterGrade` row only for a contract that is not 正常, owes
    anything overdue, is held or set by hand, or was not 正常 at the previous quarter end; the rest —
    ≈ 94 % of a portfolio — are this line, computed with one GROUP BY in the snapshot's transaction.
    The members (contract id and balance on the day, in the same order) are kept, so the snapshot
    stays self-sufficient: a unit's table, working paper, forecast or list expands them without
    reading the ledger again, and a later posting or settlement changes nothing stored here.
    """

    snapshot = models.ForeignKey(
        QuarterSnapshot,
        on_delete=models.PROTECT,
        related_name="normal_lines",
        db_constraint=False,
        db_index=False,
    )  # as QuarterGrade.snapshot; the unique (snapshot, unit, year) starts with it
    unit_id = models.BigIntegerField("填报单位", null=True)
    project_year = models.PositiveSmallIntegerField("项目年度")
    contracts = models.PositiveIntegerField("合同数")
    # Distinct borrowers among the members (a borrower with two such contracts counts once).
    borrowers = models.PositiveIntegerField("借款学生数")
    balance = models.DecimalField("贷款余额", max_digits=16, decimal_places=2)
    # Comma-separated contract ids and their balances (yuan), position by position.
    member_ids = models.TextField("合同")
    member_balances = models.TextField("各合同贷款余额")

    class Meta:
        verbose_name = "季末正常类汇总"
        verbose_name_plural = "季末正常类汇总"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "unit_id", "project_year"], name="uniq_normal_line")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.project_year} 正常 {self.contracts}"


class DesignationReason(models.TextChoices):
    """Why a grade is set by hand [004 第七条 (二)(五)]: 关注 reasons first, then 损失 reasons."""

    COLLECTION = "collection", "需催收才能按期还款"
    LOST_CONTACT = "lost_contact", "失联"
    FAILED_DEDUCTIONS = "failed_deductions", "多次扣款失败"
    DEATH = "death", "借款人死亡"
    UNRECOVERABLE = "unrecoverable", "追偿后仍无法清偿"


SPECIAL_MENTION_REASONS = (
    DesignationReason.COLLECTION,
    DesignationReason.LOST_CONTACT,
    DesignationReason.FAILED_DEDUCTIONS,
)
LOSS_REASONS = (DesignationReason.DEATH, DesignationReason.UNRECOVERABLE)
# Reasons of a grade that is not the days' own, for the reports: the designations' and the relief hold.
ADJUSTMENT_LABELS = {**{r.value: r.label for r in DesignationReason}, "relief_hold": "免息延期，不下调"}


class GradeDesignation(models.Model):
    """关注 or 损失 set by hand, with its reason; applies at every quarter end while not withdrawn.

    A designation never improves a grade: the reported grade is the worse of it and the computed one.
    """

    contract_id = models.BigIntegerField("合同")
    rank = models.PositiveSmallIntegerField("认定分类", choices=GRADE_CHOICES)
    reason = models.CharField("原因", max_length=24, choices=DesignationReason.choices)
    note = models.CharField("说明", max_length=300)
    designated_on = models.DateField("认定日期")
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="认定人"
    )
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="撤销人",
    )

    class Meta:
        verbose_name = "人工分类认定"
        verbose_name_plural = "人工分类认定"
        indexes = [models.Index(fields=["contract_id", "designated_on"], name="designation_contract")]

    def __str__(self) -> str:
        return f"{self.contract_id} {GRADE_LABELS[self.rank]} {self.get_reason_display()}"


class MoveReason(models.TextChoices):
    WORSE = "overdue_worse", "逾期加重"
    BETTER = "overdue_better", "归还逾期款项或逾期减轻"
    RELIEF_HOLD = "relief_hold", "免息延期，不下调"
    DESIGNATED = "designated", "人工认定"
    WITHDRAWN = "withdrawn", "撤销人工认定"


class GradeMove(models.Model):
    """A contract's move between grades: from the previous quarter end to this one (set-based when the
    snapshot is taken), or within an open quarter by a designation (one row, with who and why)."""

    snapshot = models.ForeignKey(
        QuarterSnapshot,
        on_delete=models.PROTECT,
        related_name="moves",
        db_constraint=False,
        db_index=False,
    )  # as QuarterGrade.snapshot
    contract_id = models.BigIntegerField("合同")
    unit_id = models.BigIntegerField("填报单位", null=True)
    project_year = models.PositiveSmallIntegerField("项目年度")
    from_rank = models.PositiveSmallIntegerField("原分类", choices=GRADE_CHOICES)
    to_rank = models.PositiveSmallIntegerField("新分类", choices=GRADE_CHOICES)
    reason = models.CharField("原因", max_length=24, choices=MoveReason.choices)
    note = models.CharField("说明", max_length=300, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="操作人",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "分类变动"
        verbose_name_plural = "分类变动"
        indexes = [models.Index(fields=["snapshot", "unit_id", "project_year"], name="grade_move_unit")]

    def __str__(self) -> str:
        return f"{self.contract_id} {GRADE_LABELS[self.from_rank]}→{GRADE_LABELS[self.to_rank]}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已提交(待审定)"
    APPROVED = "approved", "已审定(已报送)"
    RETURNED = "returned", "已退回(待修改)"


LOCKED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


class QualityReport(models.Model):
    """资产质量分类认定表 of one unit (university or county) and project year at one quarter end.

    The 经办人 submits (figures frozen as a new :class:`QualityReportVersion`), the unit's 负责人 (审定人)
    approves — then it counts as reported to the province — or returns it; a returned table is
    submitted again as the next version. Submitted or approved: locked.
    """

    snapshot = models.ForeignKey(QuarterSnapshot, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="填报单位"
    )
    project_year = models.PositiveSmallIntegerField("项目年度")
    status = models.CharField("状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveSmallIntegerField("版本", default=0)
    # The officer's analysis of the overdue (逾期原因) and the changes, printed on the table [004 第九条].
    reasons = models.TextField("逾期及变动原因分析", blank=True, default="")
    due_on = models.DateField("报送期限")

    class Meta:
        verbose_name = "资产质量分类认定表"
        verbose_name_plural = "资产质量分类认定表"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "unit", "project_year"], name="uniq_quality_report")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.project_year}年度 {self.snapshot}"

    @property
    def locked(self) -> bool:
        return self.status in LOCKED_STATUSES


class QualityReportVersion(models.Model):
    """One submission of a 认定表: the figures as submitted, who prepared and who approved it."""

    report = models.ForeignKey(QualityReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField("版本号")
    figures = models.JSONField("报表数据")
    reasons = models.TextField("逾期及变动原因分析", blank=True, default="")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="经办人"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审定人",
    )
    reviewed_at = models.DateTimeField("审定时间", null=True, blank=True)
    approved = models.BooleanField("审定通过", null=True)
    review_comment = models.CharField("审定意见", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "认定表版本"
        verbose_name_plural = "认定表版本"
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="uniq_quality_report_version")
        ]
        ordering = ["report", "number"]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"


class SpecialAccountReport(models.Model):
    """专户报告 of one unit and project year for one quarter [004 第十三、十四条]: the basic facts written
    from the data, the 逾期情况统计表, the risks listed from the records, and the officer's own text on
    post-graduation risk, agent-bank problems, other problems and measures; read and approved by the
    unit's 负责人. Submitted or approved: locked, with the facts frozen as submitted."""

    snapshot = models.ForeignKey(QuarterSnapshot, on_delete=models.PROTECT, related_name="special_reports")
    unit = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="填报单位"
    )
    project_year = models.PositiveSmallIntegerField("项目年度")
    status = models.CharField("状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveSmallIntegerField("版本", default=0)
    post_graduation_risk = models.TextField("借款学生离校后风险分析", blank=True, default="")
    agent_bank_issues = models.TextField("代理行执行中的问题", blank=True, default="")
    other_issues = models.TextField("其他问题", blank=True, default="")
    measures = models.TextField("建议及措施", blank=True, default="")
    facts = models.JSONField("报告数据", default=dict, blank=True)
    due_on = models.DateField("完成期限")
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="撰写人",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批阅人",
    )
    reviewed_at = models.DateTimeField("批阅时间", null=True, blank=True)
    review_comment = models.CharField("批阅意见", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "专户报告"
        verbose_name_plural = "专户报告"
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "unit", "project_year"], name="uniq_special_account_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.project_year}年度 专户报告 {self.snapshot.as_of:%Y-%m-%d}"

    @property
    def locked(self) -> bool:
        return self.status in LOCKED_STATUSES


class ProvinceSummary(models.Model):
    """The province centre's 资产质量分类汇总 of one quarter end, reported to the bank branch within 3
    working days after the units' deadline [004 第八条 (二), 第九条 3]: its operator submits the
    summary as it stands (frozen as the version's lines), its 负责人 approves it (then the branch has
    it) or returns it. A submission while units have not reported names them in ``note``."""

    snapshot = models.ForeignKey(QuarterSnapshot, on_delete=models.PROTECT, related_name="province_summaries")
    centre = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="省资助中心"
    )
    status = models.CharField("状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveSmallIntegerField("版本", default=0)
    lines = models.JSONField("汇总数据", default=list, blank=True)
    note = models.TextField("说明", blank=True, default="")
    due_on = models.DateField("报送期限")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="经办人",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="负责人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.CharField("审核意见", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "省级资产质量分类汇总"
        verbose_name_plural = "省级资产质量分类汇总"
        constraints = [models.UniqueConstraint(fields=["snapshot", "centre"], name="uniq_province_summary")]

    def __str__(self) -> str:
        return f"{self.centre} {self.snapshot.as_of:%Y-%m-%d} 汇总"

    @property
    def locked(self) -> bool:
        return self.status in LOCKED_STATUSES
