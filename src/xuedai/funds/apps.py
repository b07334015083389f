from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "xuedai.funds"
    verbose_name = "财政资金与风险补偿金"
