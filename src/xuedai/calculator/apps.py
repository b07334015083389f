from django.apps import AppConfig


class CalculatorConfig(AppConfig):
    name = "xuedai.calculator"
    verbose_name = "还款试算"
