"""包干到人: each graduating borrower is owned by one department staff member [000 一, 三; DOMAIN.md §2].

A reassignment never overwrites: the current row is ended and a new one begins, so "who was
responsible for this borrower in March" has an answer when a contact was missed.
"""

from django.conf import settings
from django.db import models


class Assignment(models.Model):
    borrower = models.ForeignKey("borrowers.Borrower", verbose_name="借款学生", on_delete=models.CASCADE,
                                 related_name="postloan_assignments")
    # The staff member's department at the time; kept so history survives a staff move.
    department = models.ForeignKey("orgs.Organisation", verbose_name="院系", on_delete=models.PROTECT,
                                   related_name="postloan_assignments")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT,
                              related_name="postloan_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分配人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_on = models.DateField("分配日期")
    note = models.CharField("说明", max_length=200, blank=True)
    # Null while current; set when the borrower is handed to someone else.
    ended_on = models.DateField("结束日期", null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结束人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "贷后责任人分配"
        verbose_name_plural = "贷后责任人分配"
        ordering = ["-id"]
        constraints = [
            # One responsible person at a time, held by the database, not only by the service.
            models.UniqueConstraint(fields=["borrower"], condition=models.Q(ended_on__isnull=True),
                                    name="uniq_current_postloan_assignment"),
        ]
        indexes = [models.Index(fields=["staff", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.borrower_id} → {self.staff}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
