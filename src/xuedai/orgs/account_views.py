"""The page for staff without a password yet: the one-time set-up link (docs/security.md).

Student activation is the borrowers app's (it checks the facts on the borrower's record)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from . import services
from .auth_views import start_session
from .authn import client_ip
from .forms import NewPasswordForm
from .services import AccountError


def _guarded(response):
    # The set-up token is in the URL: never pass it to another site through the Referer header.
    # Not "no-referrer": browsers then send "Origin: null" with the form and CSRF refuses the POST.
    response["Referrer-Policy"] = "same-origin"
    return response


def _refused(request, refusal: AccountError):
    # 410 Gone: the link existed (or never will); a clear reason, and the way forward, on the page.
    return _guarded(render(request, "orgs/link_invalid.html", {"message": str(refusal)}, status=410))


@sensitive_variables("token")
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def account_setup(request, token: str):
    try:
        pending = services.setup_token_get(token)
    except AccountError as refusal:
        return _refused(request, refusal)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.setup_link_use(raw=token, password=form.cleaned_data["new_password1"],
                                           ip_address=client_ip(request))
        except ValidationError as weak:
            form.add_error("new_password1", weak)
        except AccountError as refusal:
            return _refused(request, refusal)
        else:
            start_session(request, user)
            messages.success(request, "密码已设置。请用手机验证器绑定动态口令，完成账号设置。")
            return redirect("totp_enrol")
    return _guarded(render(request, "orgs/account_setup.html", {"form": form, "person": pending.user}))
