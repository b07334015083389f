"""Login (password, then TOTP for staff), logout and password change (DOMAIN.md)

Staff are logged in right after the password with the session flag unset; the middleware then keeps
them on /accounts/ until the TOTP step sets SESSION_FLAG. Students have no second factor.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from xuedai.audit.services import audit_record

from . import services, totp
from .authn import client_ip, looks_like_id_number, password_login, totp_check
from .forms import LoginForm, PasswordChangeForm, TotpForm, forget
from .lockout import is_locked, locked_message
from .middleware import SESSION_FLAG
from .permissions import fully_logged_in, second_factor_passed

NEXT_KEY = "login_next"
_ID_BACKEND = "xuedai.orgs.backends.IdNumberBackend"


def session_backend() -> str:
    """The backend path stored in the session; Django only restores users of configured backends."""
    backends = settings.AUTHENTICATION_BACKENDS
    return _ID_BACKEND if _ID_BACKEND in backends else backends[0]


def start_session(request, user) -> None:
    """Log in with the second factor not yet passed (a fresh session key against fixation)."""
    login(request, user, backend=session_backend())
    request.session[SESSION_FLAG] = False


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _second_factor_done(request):
    # A new session key once fully authenticated, then back to where the person was going.
    request.session.cycle_key()
    request.session[SESSION_FLAG] = True
    return redirect(_safe_next(request, request.session.pop(NEXT_KEY, None)))


def _locked_out(request, message: str):
    logout(request)
    messages.error(request, message)
    return redirect("login")


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next")
    if request.user.is_authenticated and second_factor_passed(request):
        return redirect(_safe_next(request, next_url))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = password_login(identifier=form.cleaned_data["identifier"],
                                password=form.cleaned_data["password"], ip_address=client_ip(request))
        if result.user is None:
            form.add_error(None, result.error)
            if looks_like_id_number(form.cleaned_data["identifier"]):
                forget(form, "identifier")
        else:
            user = result.user
            start_session(request, user)
            if not user.needs_second_factor:
                request.session[SESSION_FLAG] = True
                return redirect(_safe_next(request, next_url))
            request.session[NEXT_KEY] = _safe_next(request, next_url)
            return redirect("totp_verify" if user.totp_confirmed_at else "totp_enrol")
    return render(request, "orgs/login.html", {"form": form, "next": next_url or ""})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit_record(actor=request.user, action="logout", obj=request.user, ip_address=client_ip(request))
    # logout() flushes the whole session (the TOTP flag included) and rotates the session key.
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters()
@never_cache
@login_required
def totp_verify(request):
    user = request.user
    if second_factor_passed(request):
        return redirect("home")
    if user.totp_confirmed_at is None:
        return redirect("totp_enrol")
    if is_locked(user):
        return _locked_out(request, locked_message(user))
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = totp_check(user=user, code=form.cleaned_data["code"], ip_address=client_ip(request))
        if not error:
            return _second_factor_done(request)
        user.refresh_from_db(fields=["failed_logins", "locked_until"])
        if is_locked(user):
            return _locked_out(request, error)
        form.add_error("code", error)
    return render(request, "orgs/totp_verify.html", {"form": form})


@sensitive_post_parameters()
@never_cache
@login_required
def totp_enrol(request):
    """Bind an authenticator app: a QR code (inline SVG) and the secret in text, confirmed by a code."""
    user = request.user
    if second_factor_passed(request) and user.totp_confirmed_at is not None:
        return redirect("home")
    if not user.needs_second_factor:
        return redirect("home")
    if user.totp_confirmed_at is not None:
        return redirect("totp_verify")
    if is_locked(user):
        return _locked_out(request, locked_message(user))
    if not user.totp_secret:
        # Kept until confirmed, so reloading the page does not invalidate a code already scanned.
        user.totp_secret = totp.new_secret()
        user.save(update_fields=["totp_secret"])
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = totp_check(user=user, code=form.cleaned_data["code"], ip_address=client_ip(request),
                           enrol=True)
        if not error:
            messages.success(request, "动态口令绑定成功。以后登录时请输入验证器上的口令。")
            return _second_factor_done(request)
        user.refresh_from_db(fields=["failed_logins", "locked_until"])
        if is_locked(user):
            return _locked_out(request, error)
        form.add_error("code", error)
    secret = user.totp_secret
    return render(request, "orgs/totp_enrol.html", {
        "form": form,
        "qr_svg": totp.qr_svg(totp.provisioning_uri(user)),
        "secret_groups": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "issuer": totp.ISSUER,
    })


@sensitive_post_parameters()
@never_cache
@fully_logged_in
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=request.user, password=form.cleaned_data["new_password1"],
                                 ip_address=client_ip(request))
        # Keep this session (the hash in it changed); other sessions of the user are logged out.
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("home")
    return render(request, "orgs/password_change.html", {"form": form})
