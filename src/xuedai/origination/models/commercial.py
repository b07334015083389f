"""Commercial student loans (商业助学贷款) — DOMAIN.md §3.3, [002].

A commercial loan is a Contract (product "commercial"); here are what only it has: the guarantee and
the documents of the application, the pre-loan investigation report, prepayment notices and the
single extension ("每笔贷款只可以展期一次" [002]).
"""

from django.conf import settings
from django.db import models


class GuaranteeKind(models.TextChoices):
    GUARANTOR = "guarantor", "保证人担保"
    MORTGAGE = "mortgage", "抵押"
    PLEDGE = "pledge", "质押"


class RepaymentMethod(models.TextChoices):
    EQUAL_PRINCIPAL = "equal_principal", "等额本金"
    EQUAL_INSTALMENT = "equal_instalment", "等额本息"
    BULLET = "bullet", "按期付息、到期还本"


class CommercialFile(models.Model):
    contract = models.OneToOneField(
        "origination.Contract", on_delete=models.CASCADE, related_name="commercial_file"
    )
    # The application's papers [002]: identity, guardian relationship, income, admission, fees.
    guardian_relation = models.CharField("监护人关系", max_length=30, blank=True)
    income_proof = models.BooleanField("收入证明", default=False)
    admission_letter = models.BooleanField("录取通知书或学生证", default=False)
    fee_statement = models.BooleanField("收费通知", default=False)
    guarantee_kind = models.CharField("担保方式", max_length=12, choices=GuaranteeKind.choices, blank=True)
    guarantor_name = models.CharField("保证人", max_length=60, blank=True)
    guarantor_id_number = models.CharField("保证人身份证号", max_length=18, blank=True)
    collateral = models.CharField("抵(质)押物", max_length=200, blank=True)
    # 征信查询授权: without written consent the bank may not query the credit bureau.
    credit_consent = models.BooleanField("征信查询授权", default=False)
    credit_consent_on = models.DateField("授权日期", null=True, blank=True)
    # The pre-loan investigation report (贷前调查报告): what the bank proposes to lend.
    repayment_method = models.CharField(
        "还款方式", max_length=20, choices=RepaymentMethod.choices, blank=True
    )
    tranches = models.PositiveSmallIntegerField("分次发放次数", default=1)
    investigation = models.TextField("调查意见", blank=True)
    investigated_on = models.DateField("调查日期", null=True, blank=True)
    extensions = models.PositiveSmallIntegerField("已展期次数", default=0)

    class Meta:
        verbose_name = "商业助学贷款资料"
        verbose_name_plural = "商业助学贷款资料"

    def __str__(self) -> str:
        return f"{self.contract_id} 商业贷款资料"


class PrepaymentNotice(models.Model):
    """提前还款申请: given ≥ 30 working days before the prepayment day [002]."""

    contract = models.ForeignKey(
        "origination.Contract", on_delete=models.CASCADE, related_name="prepayment_notices"
    )
    noticed_on = models.DateField("申请日期")
    prepay_on = models.DateField("提前还款日")
    amount = models.DecimalField("提前还款本金", max_digits=12, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "提前还款申请"
        verbose_name_plural = "提前还款申请"

    def __str__(self) -> str:
        return f"{self.contract_id} 提前还款 {self.prepay_on}"


class Extension(models.Model):
    """展期: the maturity moves once at most per loan [002] (policy max_extensions)."""

    contract = models.ForeignKey("origination.Contract", on_delete=models.CASCADE, related_name="extensions")
    applied_on = models.DateField("申请日期")
    old_maturity = models.DateField("原到期日")
    new_maturity = models.DateField("展期后到期日")
    reason = models.CharField("展期原因", max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "展期"
        verbose_name_plural = "展期"

    def __str__(self) -> str:
        return f"{self.contract_id} 展期至 {self.new_maturity}"
