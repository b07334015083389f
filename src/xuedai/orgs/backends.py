"""The authentication backend: username (staff) or 身份证号 (students) + password, under the lockout.

Intended as the only entry of settings.AUTHENTICATION_BACKENDS, so every path that calls
django.contrib.auth.authenticate (the admin login, DRF) counts failures the same way. Listing
ModelBackend beside it would let a second, uncounted check run after each failure.
"""

from django.contrib.auth.backends import ModelBackend

from .authn import client_ip, password_login
from .models import User


class IdNumberBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        result = password_login(identifier=username, password=password,
                                ip_address=client_ip(request) if request is not None else None)
        if result.user is None or not self.user_can_authenticate(result.user):
            return None
        return result.user

    def get_user(self, user_id):
        """The signed-in user of each request, with the student's borrower record and the staff
        member's organisation in the same statement (every student page reads the one, every
        scoped staff page the other; bench/load_web.py counts the statements per page)."""
        user = User.objects.select_related("borrower", "organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
