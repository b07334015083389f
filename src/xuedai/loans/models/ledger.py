"""The loan account and its append-only ledger (ARCHITECTURE principle 2).

``loans_posting`` is the truth; ``loans_loanaccount`` caches balances derived from it, refreshed in
the same transaction as each posting. The database refuses UPDATE and DELETE on postings
(migration 0002's triggers), an amount ≤ 0, and a second reversal of the same posting.

COPY contract for ``xuedai.batch`` (bulk writers)::

    loans_posting(id bigint identity, account_id bigint → loans_loanaccount.contract_id,
                  business_date date, kind varchar(24), amount numeric(14,2) CHECK > 0,
                  due_on date NULL, reverses_id bigint NULL UNIQUE (where set) → loans_posting.id,
                  job_run_id bigint NULL → jobs_jobrun.id, memo varchar(200) DEFAULT '',
                  created_at timestamptz DEFAULT now())

References are checked by the database per statement, not per row (migration 0004): a foreign
key costs a row lock and a query per posting at commit — half the annual settlement's time at a
million accounts — so ``account_id``, ``reverses_id`` and ``job_run_id`` carry no FOREIGN KEY
constraint; a statement trigger refuses an INSERT naming a missing account, job run or posting, and
accounts are never deleted (their own trigger), posted-to job runs neither.

``account_id`` *is* the contract id (the account's primary key is its contract), so a kernel that
works on contract ids can COPY postings without a join. Kinds and the sign convention: see
:mod:`xuedai.loans.models.kinds` (amount always positive; the kind gives the direction). After a
bulk COPY the writer moves the cached balances itself, set-based (``xuedai.batch.settle_io.write``).
"""

from django.db import models
from django.db.models.functions import Now

from .kinds import Kind

MONEY = {"max_digits": 14, "decimal_places": 2, "default": 0, "db_default": 0}


class LoanAccount(models.Model):
    """One contract's account, opened at disbursement. Balances are caches of the postings."""

    contract = models.OneToOneField("origination.Contract", verbose_name="借款合同", primary_key=True,
                                    on_delete=models.PROTECT, related_name="account")
    opened_on = models.DateField("开户日期")
    # The Alipay account the bank's system creates with the contract; all the borrower's unsettled
    # contracts repay through it [001 支付宝使用说明].
    channel_account = models.CharField("支付宝账号", max_length=64, blank=True, default="", db_default="")
    principal_outstanding = models.DecimalField("贷款余额", **MONEY)
    # Due and unpaid: overdue from the end of its due day (DOMAIN.md §4 Overdue).
    principal_due = models.DecimalField("到期未还本金", **MONEY)
    interest_due = models.DecimalField("到期未还利息", **MONEY)
    penalty_due = models.DecimalField("已计未还罚息复利", **MONEY)
    credit = models.DecimalField("溢缴款", **MONEY)
    subsidy_receivable = models.DecimalField("应收贴息", **MONEY)
    # Penalty and compound interest accrued but not yet charged (rounded at penalty_accrued_on): a
    # statement figure, not a posting — the ledger charges penalties when a payment is applied,
    # as the core engine does, so both round at the same moments (DOMAIN.md §4 Overdue).
    penalty_accrued = models.DecimalField("应计罚息复利", **MONEY)
    penalty_accrued_on = models.DateField("罚息计至", null=True, blank=True)
    last_settled_on = models.DateField("上次结息日", null=True, blank=True)
    oldest_unpaid_due = models.DateField("最早未还到期日", null=True, blank=True)
    grade = models.CharField("五级分类", max_length=24, blank=True, default="")
    graded_on = models.DateField("分类日期", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "贷款账户"
        verbose_name_plural = "贷款账户"
        constraints = [
            models.CheckConstraint(condition=models.Q(**{f"{f}__gte": 0}), name=f"account_{f}_not_negative")
            for f in ("principal_outstanding", "principal_due", "interest_due", "penalty_due", "credit",
                      "subsidy_receivable")
        ]

    def __str__(self) -> str:
        return f"账户 {self.contract_id}"

    @property
    def amount_owed(self):
        """What a deduction asks for today: due principal, interest, penalties charged and accrued."""
        return self.principal_due + self.interest_due + self.penalty_due + self.penalty_accrued


class Posting(models.Model):
    """One movement of money on an account. Never updated, never deleted: reversed instead."""

    # db_constraint=False, db_index=False: checked by migration 0004's statement trigger (module doc);
    # looked up through posting_account_date, whose first column it is.
    account = models.ForeignKey(LoanAccount, verbose_name="账户", on_delete=models.PROTECT,
                                related_name="postings", db_constraint=False, db_index=False)
    business_date = models.DateField("业务日期")
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    # The due date of the owed amount this posting charges or pays (core.engine.Posting.due_on).
    due_on = models.DateField("应还日", null=True, blank=True)
    # At most one reversal per posting: a unique index over the few rows that reverse something
    # (posting_reversed_once), not over millions of NULLs.
    reverses = models.ForeignKey("self", verbose_name="冲正的分录", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reversed_by",
                                 db_constraint=False, db_index=False)
    job_run = models.ForeignKey("jobs.JobRun", verbose_name="批处理", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", db_constraint=False,
                                db_index=False)
    memo = models.CharField("说明", max_length=200, blank=True, default="", db_default="")
    created_at = models.DateTimeField("记账时间", db_default=Now())

    class Meta:
        verbose_name = "分录"
        verbose_name_plural = "分录"
        # The day's postings are found through posting_date (migration 0004: BRIN on PostgreSQL —
        # postings arrive in business-date order, so a summary per block range serves "the postings of
        # a day" at almost no cost per insert; a b-tree on SQLite). Not declared here: Django has no
        # index type that both databases accept.
        indexes = [
            models.Index(fields=["account", "business_date", "id"], name="posting_account_date"),
            models.Index(fields=["job_run"], condition=models.Q(job_run__isnull=False),
                         name="posting_job_run"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="posting_amount_positive"),
            models.UniqueConstraint(fields=["reverses"], condition=models.Q(reverses__isnull=False),
                                    name="posting_reversed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
