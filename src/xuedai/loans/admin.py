"""Relief programmes (免息延期政策) as the administrator records a notice; applying one to a population
is the relief batch's (loans.batches.relief_batch), audited as one entry."""

from django.contrib import admin

from xuedai.audit.admin import AuditedAdmin

from .models import RateChange, RateResetRule, ReliefProgramme


@admin.register(ReliefProgramme)
class ReliefProgrammeAdmin(AuditedAdmin):
    list_display = ("name", "year", "waive_interest", "waive_penalty", "allow_deferral")


@admin.register(RateResetRule)
class RateResetRuleAdmin(AuditedAdmin):
    """When a policy version's rate reaches a contract (loans.rate_schedule); a version without a row
    uses the defaults: LPR changes on the next 1 January, a notice on its own date."""

    list_display = ("policy_version", "lpr_reset", "notice_reset")

    def has_delete_permission(self, request, obj=None):
        return False  # a rule that priced posted interest stays on record


@admin.register(RateChange)
class RateChangeAdmin(admin.ModelAdmin):
    """Read only: rows are written by loans.services.rates (interest was settled on them)."""

    list_display = ("contract", "effective_from", "annual_rate", "reason", "rule_version", "recorded_at")
    list_filter = ("reason", "effective_from")
    search_fields = ("contract__contract_no",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
