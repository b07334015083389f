"""Staged disbursement: which planned payouts a stop cancelled.

DOMAIN.md §3.2: campus tuition and accommodation go to the university by academic year, living
expenses to the student monthly, never in February or August; §3.3: a commercial loan may be paid
out in tranches. The plan is origination's (``origination.Instalment``, written by the disburse
row of the contract's table); the ledger pays each instalment on its day (the first ones by
``contract_disburse``, later ones by the daily run: ``loans.services.tranches``), and a status
change that stops the loan (DOMAIN.md §4 "stop undisbursed amounts") cancels what is not yet paid
out — one row here per cancelled instalment, so the plan itself is never edited.
``loans.terms.contract_terms`` hands the instalments not cancelled to the engine as
``core.tranches.Tranche`` — interest runs on what has been paid out.
"""

from django.db import models


class TrancheCancellation(models.Model):
    instalment = models.OneToOneField("origination.Instalment", verbose_name="发放计划",
                                      on_delete=models.PROTECT, related_name="cancellation")
    cancelled_on = models.DateField("停发日")
    reason = models.CharField("停发原因", max_length=200)

    class Meta:
        verbose_name = "停发记录"
        verbose_name_plural = "停发记录"

    def __str__(self) -> str:
        return f"{self.cancelled_on} 停发：{self.reason}"
