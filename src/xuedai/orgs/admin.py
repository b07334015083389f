"""The administrator's view of organisations and staff accounts (README: /django-admin/).

Accounts are created through the set-up link (`xuedai createstaff` or the 机构与用户 page), never with
a password typed here; the admin edits names, organisation, roles and whether an account is active.
"""

from django.contrib import admin

from xuedai.audit.admin import AuditedAdmin

from .models import Organisation, User, UserRole


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "code", "region_code", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "region_code")
    autocomplete_fields = ("parent", "agent_bank")


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdmin):
    list_display = ("username", "real_name", "organisation", "is_active", "locked_until")
    list_filter = ("is_active", "organisation__kind")
    search_fields = ("username", "real_name")
    fields = ("username", "real_name", "organisation", "is_active")
    readonly_fields = ("username",)
    autocomplete_fields = ("organisation",)
    inlines = [UserRoleInline]

    def has_add_permission(self, request):
        return False  # a new account starts from its set-up link
