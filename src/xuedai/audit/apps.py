from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xuedai.audit"
    verbose_name = "审计日志"
