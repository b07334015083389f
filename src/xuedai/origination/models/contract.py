"""Loan contracts (借款合同). Issue 4 adds the full origination workflow on top of these states."""

from django.conf import settings
from django.db import models

from .products import Product


class ContractState(models.TextChoices):
    APPLIED = "applied", "已申请"
    IN_REVIEW = "in_review", "审核中"
    APPROVED = "approved", "已审批"
    DISBURSED = "disbursed", "已发放"
    REPAYING = "repaying", "还款中"
    OVERDUE = "overdue", "逾期"
    SETTLED = "settled", "已结清"
    DECLINED = "declined", "已谢绝"
    WITHDRAWN = "withdrawn", "已撤回"


# States in which money is out with the borrower (a loan account exists).
LIVE_STATES = frozenset({ContractState.DISBURSED, ContractState.REPAYING, ContractState.OVERDUE})


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
    # Cached from the ledger (issue 3) for lists and scope-filtered counts; the postings are the truth.
    outstanding_principal = models.DecimalField("贷款余额", max_digits=12, decimal_places=2, default=0)
    overdue_since = models.DateField("最早逾期日", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "借款合同"
        verbose_name_plural = "借款合同"
        indexes = [
            models.Index(fields=["county", "academic_year", "state"]),
            models.Index(fields=["university", "academic_year", "state"]),
            models.Index(fields=["borrower", "academic_year"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(condition=models.Q(outstanding_principal__gte=0),
                                   name="contract_outstanding_not_negative"),
        ]

    def __str__(self) -> str:
        return self.contract_no
