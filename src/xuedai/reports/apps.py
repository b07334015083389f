from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Read-only pages across apps, above postloan in the import order: the auditor's log today."""

    name = "xuedai.reports"
    verbose_name = "报表与查询"
