"""Changes to a contract's servicing terms decided elsewhere, kept where the engine reads them.

Post-loan approves a chosen principal plan (还款计划变更), confirms a suspension (休学) or a death;
each approval is recorded here through ``loans.services.terms_changes`` (DOMAIN.md §4 Principal
plan, Status changes; §6 death → 损失). The engine's inputs (``loans.terms.contract_terms``) and
the classification read this table, so loans never reads post-loan's own request tables.
"""

from django.conf import settings
from django.db import models


class TermsChangeKind(models.TextChoices):
    # The borrower's own principal plan within the term; the latest decision wins.
    CHOSEN_PLAN = "chosen_plan", "还款计划变更"
    # The borrower pays interest from the self-pay start of the suspension until the subsidy resumes
    # on return (core.subsidy.borrower_periods).
    SUSPENSION = "suspension", "休学"
    # 损失 whatever the days overdue (DOMAIN.md §6 "has died").
    DEATH = "death", "死亡"
    # Misuse of funds (挪用) flagged by a supervisor with a reason (``source``): penalty interest from
    # ``starts_on`` uses the policy's misuse multiplier (150 %, DOMAIN.md §1).
    MISUSE = "misuse", "挪用贷款"


class TermsChange(models.Model):
    contract = models.ForeignKey("origination.Contract", verbose_name="借款合同", on_delete=models.PROTECT,
                                 related_name="terms_changes")
    kind = models.CharField("类型", max_length=16, choices=TermsChangeKind.choices)
    # Suspension: the day the papers were handled, and the day the student came back (if known).
    starts_on = models.DateField("起始日期", null=True, blank=True)
    ends_on = models.DateField("结束日期", null=True, blank=True)
    # Chosen plan: [{"due": "YYYY-MM-DD", "amount": "1500.00"}] as core.schedule validated it.
    instalments = models.JSONField("还款计划", default=list, blank=True)
    decided_at = models.DateTimeField("决定时间")
    # The decision behind the row ("学籍变动 #12"), for the auditor; free text, not a foreign key.
    source = models.CharField("依据", max_length=80, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "贷款条件变更"
        verbose_name_plural = "贷款条件变更"
        ordering = ["decided_at", "pk"]
        indexes = [models.Index(fields=["kind", "contract"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_at:%Y-%m-%d}"
