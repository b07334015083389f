from django.apps import AppConfig


class OriginationConfig(AppConfig):
    name = "xuedai.origination"
    verbose_name = "贷款受理"
