"""Pages for people without a password yet: the staff set-up link and student activation (issue 2 §6)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from . import services
from .activation import student_activate
from .auth_views import start_session
from .authn import client_ip
from .forms import ActivationForm, NewPasswordForm, forget
from .middleware import SESSION_FLAG
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


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def activate(request):
    """首次登录/激活账号: the ID number travels only in the POST body, never in a URL."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = student_activate(id_number=data["id_number"], fact=data["fact"],
                                    password=data["new_password1"], ip_address=client_ip(request))
        except AccountError as refusal:
            form.add_error(None, str(refusal))
        except ValidationError as weak:
            form.add_error("new_password1", weak)
        else:
            start_session(request, user)
            request.session[SESSION_FLAG] = True
            messages.success(request, "账号已激活。以后请用身份证号和新密码登录。")
            return redirect("home")
    if form.is_bound:
        forget(form, "id_number", "fact")
    return render(request, "orgs/activate.html", {"form": form})
