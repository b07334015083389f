"""Relief programmes (免息延期政策) as the administrator records a notice; applying one to a population
is the relief batch's (loans.batches.relief_batch), audited as one entry."""

from django.contrib import admin

from xuedai.audit.admin import AuditedAdmin

from .models import ReliefProgramme


@admin.register(ReliefProgramme)
class ReliefProgrammeAdmin(AuditedAdmin):
    list_display = ("name", "year", "waive_interest", "waive_penalty", "allow_deferral")
