from django.apps import AppConfig


class DailyConfig(AppConfig):
    """The business calendar's daily run (DOMAIN.md §8): loans' batches, then post-loan's reminders.

    Above both apps in the import order, so neither has to know of the other."""

    name = "xuedai.daily"
    verbose_name = "业务日历"
