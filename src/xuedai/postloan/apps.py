from django.apps import AppConfig


class PostloanConfig(AppConfig):
    name = "xuedai.postloan"
    verbose_name = "贷后管理"
