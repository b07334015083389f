class ServicingError(ValueError):
    """A request the servicing rules refuse; the message is Chinese, for the page."""
