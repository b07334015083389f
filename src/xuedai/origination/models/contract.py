"""Loan contracts (借款合同) and their states; the moves between states are in origination.workflow.

The codes applied … withdrawn are the oldest (demo data and other apps use them); the 生源地 steps
sit between them (DOMAIN.md §3.1):
applied (entered, not yet signed) → signed → receipted → in_review (in a county batch) → approved
→ disbursed; returned / declined / refused / withdrawn on the side.
"""

from django.conf import settings
from django.db import models

from xuedai.policies.products import Product


class ContractState(models.TextChoices):
    # Entered by the county operator (from the online application or from scratch), waiting for the
    # supervisor's check; not signed yet.
    APPLIED = "applied", "已受理(待复核)"
    # Checked by the supervisor, printed ×4 and signed with the 受理证明 and 违约责任告知书 [001 二.2];
    # waiting for the university's electronic receipt.
    SIGNED = "signed", "已签订(待回执)"
    RECEIPTED = "receipted", "已回执(待汇总)"
    # In a submitted county batch: county supervisor, province, bank review [001 三].
    IN_REVIEW = "in_review", "审核中"
    # Sent back by the bank for the county to fix and resubmit [001 二.6].
    RETURNED = "returned", "已退回(待修改)"
    APPROVED = "approved", "已审批"
    # ---- campus [003 第十二–十五条] and commercial [002] steps (origination.campus / .commercial) ----
    # The department passed the initial review; the 5-day public notice (公示) runs.
    IN_NOTICE = "in_notice", "公示中"
    # The loan office reviewed and stamped the 申请审批表; the 学生审核信息表 is not sent yet.
    OFFICE_REVIEWED = "office_reviewed", "高校已审核(待报送)"
    # Sent to the province loan office, which forwards it to the bank within 3 working days.
    OFFICE_SENT = "office_sent", "已报省教贷办(待转送)"
    # Commercial: the bank's pre-loan investigation report is written.
    INVESTIGATED = "investigated", "已调查(待审查)"
    # The bank reviewer checked compliance, truth and completeness; the approver decides.
    BANK_CHECKED = "bank_checked", "银行已审查(待审批)"
    # Approved and on the 审查合格名册: the contract is signed next, in person.
    QUALIFIED = "qualified", "审查合格(待签约)"
    DISBURSED = "disbursed", "已发放"
    REPAYING = "repaying", "还款中"
    OVERDUE = "overdue", "逾期"
    SETTLED = "settled", "已结清"
    # 谢绝 by the county: ineligible or abandoned [001 附件三 三(一)6]. The student may apply again.
    DECLINED = "declined", "已谢绝"
    # 谢绝 by the bank: "不再受理该学生本年度的借款申请" [001 二.6].
    REFUSED = "refused", "银行谢绝"
    # No receipt by the county's deadline: "视同该学生撤销借款申请" [001 二.3].
    WITHDRAWN = "withdrawn", "已撤回"
    # 停发: approved but not yet paid out when the student dropped out, was suspended or expelled,
    # went abroad or died — the money must not go out (DOMAIN.md §4 Status changes).
    STOPPED = "stopped", "已停发"
    # 核销: the bank wrote a 损失 loan off its books; the debt stays and is still collected
    # (DOMAIN.md §6), but the yearly batches no longer settle or penalise it.
    WRITTEN_OFF = "written_off", "已核销"


# States in which money is out with the borrower (a loan account exists).
LIVE_STATES = frozenset({ContractState.DISBURSED, ContractState.REPAYING, ContractState.OVERDUE})
# The states the ledger's balances move a contract between (origination.workflow servicing rows).
SERVICING_STATES = LIVE_STATES | {ContractState.SETTLED}
# States in which an application ended without a loan: the student may apply again the same year,
# except after the bank's 谢绝 (REFUSED; origination.rules.borrowers_refused).
ENDED_STATES = frozenset({ContractState.DECLINED, ContractState.WITHDRAWN, ContractState.REFUSED,
                          ContractState.STOPPED})


class Contract(models.Model):
    contract_no = models.CharField("合同编号", max_length=32, unique=True)
    borrower = models.ForeignKey("borrowers.Borrower", verbose_name="借款学生", on_delete=models.PROTECT,
                                 related_name="contracts")
    co_borrower = models.ForeignKey("borrowers.CoBorrower", verbose_name="共同借款人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="contracts")
    product = models.CharField("产品", max_length=16, choices=Product.choices)
    # The academic year the loan is for: 2024 means 2024–2025.
    academic_year = models.PositiveSmallIntegerField("贷款学年")
    policy_version = models.ForeignKey("policies.PolicyVersion", verbose_name="政策版本",
                                       on_delete=models.PROTECT, related_name="contracts")
    county = models.ForeignKey("orgs.Organisation", verbose_name="签约县资助中心", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="county_contracts")
    university = models.ForeignKey("orgs.Organisation", verbose_name="高校", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="university_contracts")
    department = models.ForeignKey("orgs.Organisation", verbose_name="院系", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="department_contracts")
    amount = models.DecimalField("合同金额", max_digits=12, decimal_places=2)
    tuition = models.DecimalField("学费", max_digits=12, decimal_places=2, default=0)
    accommodation = models.DecimalField("住宿费", max_digits=12, decimal_places=2, default=0)
    annual_rate = models.DecimalField("执行年利率", max_digits=7, decimal_places=5)
    term_years = models.PositiveSmallIntegerField("期限(年)")
    state = models.CharField("状态", max_length=16, choices=ContractState.choices,
                             default=ContractState.APPLIED, db_index=True)
    applied_on = models.DateField("申请日期")
    signed_on = models.DateField("签订日期", null=True, blank=True)
    disbursed_on = models.DateField("发放日期", null=True, blank=True)
    maturity_date = models.DateField("到期日")
    self_pay_from = models.DateField("自付利息起始日", null=True, blank=True)
    # Cached from the ledger (DOMAIN.md §4) for lists and scope-filtered counts; the postings are the truth.
    outstanding_principal = models.DecimalField("贷款余额", max_digits=12, decimal_places=2, default=0)
    overdue_since = models.DateField("最早逾期日", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The maker: the supervisor who checks must be someone else (ARCHITECTURE principle 3).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    # ---- origination (DOMAIN.md §3.1) ---------------------------------------------------------------
    application = models.OneToOneField("origination.Application", verbose_name="在线申请", null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="contract")
    # 续贷: a renewal may be signed with last year's contract copy [001 二.1]; the archive differs [001 三].
    is_renewal = models.BooleanField("续贷", default=False)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复核人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField("复核时间", null=True, blank=True)
    # 电子回执 [001 二.3]: what the university reports when the student registers.
    arrears = models.DecimalField("往年欠费", max_digits=12, decimal_places=2, default=0)
    receipted_on = models.DateField("回执日期", null=True, blank=True)
    receipted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="回执录入人", null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    # The county batch the contract was last submitted in; archive_no is its line in that batch's
    # 借款申请汇总表, which numbers the paper files [001 三(二)].
    batch = models.ForeignKey("origination.CountyBatch", verbose_name="县批次", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="contracts")
    archive_no = models.PositiveIntegerField("档案序号", null=True, blank=True)
    # The borrower's Alipay repayment account, opened with the contract and printed on it (DOMAIN.md §4
    # Channels; [001 支付宝使用说明]); empty where an agent bank collects (its county has one).
    alipay_account = models.CharField("支付宝还款账户", max_length=64, blank=True, default="", db_default="")

    class Meta:
        verbose_name = "借款合同"
        verbose_name_plural = "借款合同"
        indexes = [
            models.Index(fields=["county", "academic_year", "state"]),
            # 合同查询 lists a county's contracts newest first, 100 a page: read in index order.
            models.Index(fields=["county", "-academic_year", "-id"], name="contract_county_newest"),
            models.Index(fields=["university", "academic_year", "state"]),
            models.Index(fields=["borrower", "academic_year"]),
            models.Index(fields=["batch", "state"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(condition=models.Q(outstanding_principal__gte=0),
                                   name="contract_outstanding_not_negative"),
        ]

    def __str__(self) -> str:
        return self.contract_no
