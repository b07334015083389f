"""Policy versions and LPRs are read here and added on the 政策参数 pages (their own audited services);
the working-day overrides are the administrator's to edit (DOMAIN.md §8)."""

from django.contrib import admin

from xuedai.audit.admin import AuditedAdmin, ReadOnlyAdmin

from .models import LprRate, PolicyVersion, WorkingDayOverride


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("name", "product", "region_code", "effective_from")
    list_filter = ("product",)


@admin.register(LprRate)
class LprRateAdmin(ReadOnlyAdmin):
    list_display = ("effective_from", "one_year", "five_year_plus")


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(AuditedAdmin):
    list_display = ("day", "is_working_day", "note")
    date_hierarchy = "day"
