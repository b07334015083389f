"""The authentication backend: username (staff) or 身份证号 (students) + password, under the lockout.

Intended as the only entry of settings.AUTHENTICATION_BACKENDS, so every path that calls
django.contrib.auth.authenticate (the admin login, DRF) counts failures the same way. Listing
ModelBackend beside it would let a second, uncounted check run after each failure.
"""

from django.contrib.auth.backends import ModelBackend

from .authn import client_ip, password_login


class IdNumberBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        result = password_login(identifier=username, password=password,
                                ip_address=client_ip(request) if request is not None else None)
        if result.user is None or not self.user_can_authenticate(result.user):
            return None
        return result.user
