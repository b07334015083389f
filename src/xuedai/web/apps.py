from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xuedai.web"
    verbose_name = "页面"
