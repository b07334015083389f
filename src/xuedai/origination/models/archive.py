"""Archive receipts and boxes (DOMAIN.md §3.1 step 8, [001 三(二)(三)]).

The county files each contract in the order of its 借款申请汇总表 (Contract.archive_no) and puts the
files in numbered boxes (档案盒号). Which items of the checklist (documents.archive.archive_items)
have reached the file is ticked item by item, so a report can list what is still missing.
"""

from django.conf import settings
from django.db import models


class ArchiveFile(models.Model):
    contract = models.OneToOneField(
        "origination.Contract", on_delete=models.CASCADE, related_name="archive_file"
    )
    # "2025-003": the county's third box of the 2025 academic year.
    box_no = models.CharField("档案盒号", max_length=20, blank=True, db_index=True)

    class Meta:
        verbose_name = "档案"
        verbose_name_plural = "档案"

    def __str__(self) -> str:
        return f"{self.contract_id} 盒{self.box_no}"


class ArchiveItemReceipt(models.Model):
    """One checklist item received into a contract's file."""

    contract = models.ForeignKey(
        "origination.Contract", on_delete=models.CASCADE, related_name="archive_items"
    )
    item = models.CharField("材料", max_length=30)
    received_on = models.DateField("收到日期")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "已归档材料"
        verbose_name_plural = "已归档材料"
        constraints = [models.UniqueConstraint(fields=["contract", "item"], name="uniq_archive_item")]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.item}"
