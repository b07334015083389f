class FundsError(ValueError):
    """A request the fund rules refuse; the message is Chinese, for the page."""
