"""Staff must pass the TOTP second factor before any page other than login/setup (docs/security.md)."""

from django.shortcuts import redirect

# Views a half-logged-in staff member may still reach.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/api/", "/favicon.ico")
SESSION_FLAG = "second_factor_ok"


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.needs_second_factor
            and not request.session.get(SESSION_FLAG)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if user.totp_confirmed_at is None:
                return redirect("totp_enrol")
            return redirect("totp_verify")
        return self.get_response(request)
