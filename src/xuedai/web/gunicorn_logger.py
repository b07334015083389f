"""gunicorn's logger for ``xuedai serve``: its access and error logs masked (``.logmasking``)."""

from gunicorn.glogging import Logger

from .logmasking import MaskingFilter


class MaskedGunicornLogger(Logger):
    """gunicorn's logger with :class:`~xuedai.web.logmasking.MaskingFilter` on both its logs."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, MaskingFilter) for f in log.filters):
                log.addFilter(MaskingFilter())
