from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (issue 2 §7): a realistic Sichuan province for the demo site and the benchmarks."""

    name = "xuedai.demo"
    verbose_name = "演示数据"
