from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "xuedai.loans"
    label = "loans"
    verbose_name = "贷款账户与分户账"
