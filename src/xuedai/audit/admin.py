"""Every change made in Django's admin is audited like a service's (docs/security.md: every write is
recorded): AuditedAdmin writes the entry, with the fields before and after, in the same transaction."""

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from .services import audit_record


def _plain(values: dict) -> dict:
    return {key: list(value) if isinstance(value, list | tuple | set) else value
            for key, value in values.items()}


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = _plain(model_to_dict(type(obj).objects.get(pk=obj.pk))) if change else {}
            super().save_model(request, obj, form, change)
            after = _plain(model_to_dict(obj))
            changed = {k for k in after if before.get(k) != after[k]}
            audit_record(actor=request.user, action="admin.change" if change else "admin.create", obj=obj,
                         before={k: before.get(k) for k in changed if change},
                         after={k: after[k] for k in changed},
                         ip_address=request.META.get("REMOTE_ADDR"))

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action="admin.delete", obj=obj,
                         before=_plain(model_to_dict(obj)), ip_address=request.META.get("REMOTE_ADDR"))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: the record has its own audited service and page."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
