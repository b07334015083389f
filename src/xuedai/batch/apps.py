from django.apps import AppConfig


class BatchConfig(AppConfig):
    """Vectorised portfolio batches; no models (the ledger is the loans app's)."""

    name = "xuedai.batch"
    label = "batch"
    verbose_name = "批处理"
