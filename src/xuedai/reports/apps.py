from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Read-only pages across apps, above postloan in the import order: the auditor's log today."""

    name = "xuedai.reports"
    verbose_name = "报表与查询"

    def ready(self) -> None:
        # A 失联 flag sets 关注 on the borrower's owing contracts; found again, it is withdrawn
        # (postloan.lost_contact_hooks: postloan sits below reports and cannot import it).
        from xuedai.postloan import lost_contact_hooks
        from xuedai.reports.quarter.designations import lost_contact_designate, lost_contact_withdraw

        lost_contact_hooks.on_lost(lost_contact_designate)
        lost_contact_hooks.on_found(lost_contact_withdraw)
