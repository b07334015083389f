from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "xuedai.policies"
    verbose_name = "政策版本"
