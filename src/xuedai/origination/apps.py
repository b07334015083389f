from django.apps import AppConfig


class OriginationConfig(AppConfig):
    name = "xuedai.origination"
    verbose_name = "贷款受理"

    def ready(self) -> None:
        # The modules that register the effects of each product's transition rows
        # (services.transitions.EFFECTS): imported once here, so that an action applied from any
        # entry point (a page, a batch, the ledger) runs its product's rules.
        from . import services as _home_county  # noqa: F401
        from .campus import services as _campus  # noqa: F401
        from .commercial import services as _commercial  # noqa: F401
