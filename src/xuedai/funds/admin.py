"""The fund's ledger and settlements are read here (their writes are the services'); the central /
local subsidy split per policy version is the administrator's to set (audited)."""

from django.contrib import admin

from xuedai.audit.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Accrual, FundAccount, FundPosting, Settlement, SubsidyPayment, SubsidyShare


@admin.register(SubsidyShare)
class SubsidyShareAdmin(AuditedAdmin):
    list_display = ("policy_version", "central_share", "source")


@admin.register(FundAccount)
class FundAccountAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "opened_on", "balance")


@admin.register(FundPosting)
class FundPostingAdmin(ReadOnlyAdmin):
    list_display = ("account", "business_date", "kind", "amount", "memo")


@admin.register(Accrual)
class AccrualAdmin(ReadOnlyAdmin):
    list_display = ("account", "academic_year", "policy_version", "total", "status")


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ("account", "settled_on", "defaulted", "band")


@admin.register(SubsidyPayment)
class SubsidyPaymentAdmin(ReadOnlyAdmin):
    list_display = ("received_on", "payer", "reference", "total", "lines")
