from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "xuedai.jobs"
    verbose_name = "后台任务"
