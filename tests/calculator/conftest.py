"""The calculator's ledger tests reuse the post-loan test world."""

from tests.postloan.conftest import world  # noqa: F401 — fixture re-exported for this folder
