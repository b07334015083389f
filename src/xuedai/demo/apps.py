from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (README: demo data): a realistic Sichuan province for the demo site and the benchmarks."""

    name = "xuedai.demo"
    verbose_name = "演示数据"
