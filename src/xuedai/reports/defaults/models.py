"""A default list as prepared (its entries frozen at preparation) and its review (maker/checker)."""

from django.conf import settings
from django.db import models

from xuedai.identity.masking import mask_id_number

MONEY = {"max_digits": 14, "decimal_places": 2, "default": 0}


class ListPurpose(models.TextChoices):
    # [003 第二十八条]: published through media and networks — name, ID number, school, employer, default.
    PUBLICATION = "publication", "违约学生信息公布名单"
    # [001 附件四 五 2(2)]; [003 第三十一条 (2)]: into the graduates' degree-verification system.
    DEGREE = "degree", "学历查询系统违约通报名单"


class ListStatus(models.TextChoices):
    SUBMITTED = "submitted", "待负责人审批"
    APPROVED = "approved", "已审批"
    RETURNED = "returned", "已退回"


class DefaultList(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="编制单位", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField("名单用途", max_length=16, choices=ListPurpose.choices)
    as_of = models.DateField("截止日期")
    status = models.CharField("状态", max_length=16, choices=ListStatus.choices, default=ListStatus.SUBMITTED)
    entries_count = models.PositiveIntegerField("人数", default=0)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField("编制时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审批时间", null=True, blank=True)
    review_comment = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "违约名单"
        verbose_name_plural = "违约名单"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.as_of:%Y-%m-%d}"


class DefaultEntry(models.Model):
    """One borrower on a list, as it stood when the list was prepared."""

    default_list = models.ForeignKey(
        DefaultList, verbose_name="名单", on_delete=models.CASCADE, related_name="entries"
    )
    borrower = models.ForeignKey(
        "borrowers.Borrower", verbose_name="借款学生", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18)
    school = models.CharField("毕业学校", max_length=100, blank=True)
    graduation_year = models.PositiveSmallIntegerField("毕业年份", null=True)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    contracts = models.CharField("合同编号", max_length=200)
    overdue_principal = models.DecimalField("逾期本金", **MONEY)
    overdue_interest = models.DecimalField("逾期利息及罚息", **MONEY)
    overdue_since = models.DateField("最早逾期日")
    days_overdue = models.PositiveIntegerField("逾期天数")
    last_reached_on = models.DateField("最近一次联系上", null=True, blank=True)

    class Meta:
        verbose_name = "违约名单条目"
        verbose_name_plural = "违约名单条目"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} {self.masked_id_number}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)
