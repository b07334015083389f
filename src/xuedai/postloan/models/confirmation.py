"""毕业确认 and the paper 还款确认书 [000 五, 七, 八; DOMAIN.md §5].

The student applies with their checked and updated details (`proposed`); nothing reaches the
borrower record until the university confirms it against the paper letter — the student is the
maker, the university the checker (ARCHITECTURE principle 3).
"""

from django.conf import settings
from django.db import models


class ConfirmationStatus(models.TextChoices):
    APPLIED = "applied", "申请确认"  # the bank system's own word for it [000 八]
    RETURNED = "returned", "退回重填"
    CONFIRMED = "confirmed", "已确认"


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", "已就业"
    UNEMPLOYED = "unemployed", "待业"
    FURTHER_STUDY = "further_study", "升学(专升本/考研)"


class GraduationConfirmation(models.Model):
    borrower = models.ForeignKey("borrowers.Borrower", verbose_name="借款学生", on_delete=models.CASCADE,
                                 related_name="graduation_confirmations")
    graduation_year = models.PositiveSmallIntegerField("毕业年份")
    status = models.CharField("状态", max_length=16, choices=ConfirmationStatus.choices,
                              default=ConfirmationStatus.APPLIED, db_index=True)
    # The details as the student (or a university editor) wants them: {"borrower": {...},
    # "co_borrowers": {pk: {...}}, "contact": {...}}; applied to the records only on confirmation.
    proposed = models.JSONField("申请信息", default=dict)
    employment_status = models.CharField("就业状态", max_length=16, choices=EmploymentStatus.choices)
    # 学生状态 in the bank system [000 八]: 已变更 when the proposal differs from the record, else 正常.
    changed = models.BooleanField("信息已变更", default=False)
    applied_at = models.DateTimeField("申请时间")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField("修改时间", null=True, blank=True)
    # The university checked the proposal against the signed paper 还款确认书 [000 八 变更确认].
    letter_checked = models.BooleanField("已核对纸质还款确认书", default=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "毕业确认"
        verbose_name_plural = "毕业确认"
        constraints = [
            models.UniqueConstraint(fields=["borrower", "graduation_year"],
                                    name="uniq_graduation_confirmation"),
        ]
        indexes = [models.Index(fields=["graduation_year", "status"])]

    def __str__(self) -> str:
        return f"{self.graduation_year} 毕业确认 {self.get_status_display()}"

    @property
    def student_state_label(self) -> str:
        return "已变更" if self.changed else "正常"


class LetterRecord(models.Model):
    """The paper 还款确认书 handed in to the department in May, and whether it passed the check
    that earns the 还款提醒卡 [000 五, 六]."""

    borrower = models.ForeignKey("borrowers.Borrower", verbose_name="借款学生", on_delete=models.CASCADE,
                                 related_name="repayment_letters")
    graduation_year = models.PositiveSmallIntegerField("毕业年份")
    received_on = models.DateField("交回日期")
    passed = models.BooleanField("考核合格", default=False)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "还款确认书登记"
        verbose_name_plural = "还款确认书登记"
        constraints = [
            models.UniqueConstraint(fields=["borrower", "graduation_year"], name="uniq_repayment_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.graduation_year} 还款确认书 {'合格' if self.passed else '待补'}"
