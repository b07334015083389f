"""Helpers for login tests: a fully logged-in client, and the next TOTP code not yet used."""

import time

import pyotp

from tests.factories import PASSWORD
from xuedai.orgs.models import User


def fresh_code(user: User, offset_steps: int = 0) -> str:
    """A valid code whose step is after the user's last accepted one (so a second login in a test works)."""
    user.refresh_from_db(fields=["totp_last_step"])
    totp = pyotp.TOTP(user.totp_secret)
    step = totp.timecode(time.time()) + offset_steps
    if step <= user.totp_last_step:
        step = user.totp_last_step + 1
    return totp.generate_otp(step)


def staff_login(client, user: User) -> None:
    """Password, then TOTP, through the real pages."""
    response = client.post("/accounts/login/", {"identifier": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post("/accounts/totp/", {"code": fresh_code(user)})
    assert response.status_code == 302, response.content.decode()[:2000]
