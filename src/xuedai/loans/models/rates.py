"""A contract's rate schedule after its signing rate, and when a policy version's rate resets.

DOMAIN.md §1 interest rate: "a contract keeps the policy version it was signed under, except where a
later notice applies to existing contracts (rate cuts …)", and an LPR-linked rate moves with the
LPR. The signing rate stays on the contract (``origination.Contract.annual_rate``); each later
change is one :class:`RateChange` row here, which ``loans.terms.contract_terms`` hands to the engine
as ``core.rates.RateChange`` (a change breaks the interest stretch, DOMAIN.md §4). Rows are
derived from the policy versions and the LPR history by ``loans.rate_schedule`` and written by
``loans.services.rates.rate_changes_post``; a posted change is never rewritten (interest was
settled on it), which is why the rows are kept rather than recomputed on each read.

:class:`RateResetRule` says, per policy version, *when* its rate reaches a contract: an LPR change
at the next 1 January (the PBOC convention for loans over one year) or on its publication day; a
notice for existing contracts on its own effective date or at the next 1 January. A version
without a row uses the defaults (next 1 January; the notice's own date).
"""

from django.db import models


class RateChangeReason(models.TextChoices):
    # A later policy version whose rate applies to existing contracts (the 2023 LPR − 60 bp cut).
    NOTICE = "notice", "政策调整(适用于存量合同)"
    # The contract's LPR-linked rate reset after a change of the 5-year-plus LPR.
    LPR = "lpr", "LPR 调整重新定价"


class RateChange(models.Model):
    contract = models.ForeignKey(
        "origination.Contract", verbose_name="借款合同", on_delete=models.PROTECT, related_name="rate_changes"
    )
    # The first day interest runs at the new rate (the day before still earns the old one).
    effective_from = models.DateField("生效日期")
    annual_rate = models.DecimalField("调整后年利率", max_digits=7, decimal_places=5)
    reason = models.CharField("调整原因", max_length=8, choices=RateChangeReason.choices)
    # Whose rate rule gave the new rate (the signing version, or the notice that reached it).
    rule_version = models.ForeignKey(
        "policies.PolicyVersion", verbose_name="利率规则依据", on_delete=models.PROTECT, related_name="+"
    )
    # LPR-minus rules: the 5-year-plus LPR publication the rate was set from.
    lpr_published_on = models.DateField("LPR 公布日", null=True, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "利率调整"
        verbose_name_plural = "利率调整"
        ordering = ["contract", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "effective_from"], name="uniq_rate_change_day"),
            models.CheckConstraint(
                condition=models.Q(annual_rate__gte=0) & models.Q(annual_rate__lt=1),
                name="rate_change_rate_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_from} 起年利率 {self.annual_rate:.3%}"


class LprReset(models.TextChoices):
    NEXT_JANUARY = "next_jan_1", "LPR 调整后次年1月1日重新定价"
    PUBLICATION = "publication", "LPR 公布之日起重新定价"


class NoticeReset(models.TextChoices):
    NOTICE_DATE = "notice_date", "政策生效之日起适用于存量合同"
    NEXT_JANUARY = "next_jan_1", "政策生效后次年1月1日起适用于存量合同"


class RateResetRule(models.Model):
    policy_version = models.OneToOneField(
        "policies.PolicyVersion",
        verbose_name="政策版本",
        on_delete=models.PROTECT,
        related_name="rate_reset_rule",
    )
    lpr_reset = models.CharField(
        "LPR 调整生效规则", max_length=12, choices=LprReset.choices, default=LprReset.NEXT_JANUARY
    )
    notice_reset = models.CharField(
        "存量合同调整生效规则", max_length=12, choices=NoticeReset.choices, default=NoticeReset.NOTICE_DATE
    )

    class Meta:
        verbose_name = "利率重定价规则"
        verbose_name_plural = "利率重定价规则"

    def __str__(self) -> str:
        return f"{self.policy_version}：{self.get_lpr_reset_display()}；{self.get_notice_reset_display()}"
