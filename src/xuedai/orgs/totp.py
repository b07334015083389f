"""TOTP second factor (RFC 6238) for staff — the software stand-in for the U盾 of [001] (DOMAIN.md §2).

A code is accepted one step either side of now (clock drift of a phone), and never twice:
the accepted step is stored in User.totp_last_step and any step at or before it is refused.
"""

import time

import pyotp
import qrcode
import qrcode.image.svg

from .models import User

ISSUER = "学贷"
VALID_WINDOW = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """An inline SVG of the QR code: rendered on the server, so the page makes no outside request."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


def matching_step(user: User, code: str, *, at: float | None = None) -> int | None:
    """The time step the code belongs to, if it is valid now and newer than the last one used."""
    code = (code or "").strip().replace(" ", "")
    if not user.totp_secret or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(user.totp_secret)
    now_step = totp.timecode(time.time() if at is None else at)
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if step > user.totp_last_step and pyotp.utils.strings_equal(code, totp.generate_otp(step)):
            return step
    return None


def current_code(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).now()
