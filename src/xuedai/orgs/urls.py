"""/accounts/: login, second factor, set-up links, password change (student activation: borrowers)."""

from django.urls import path

from . import account_views, auth_views

urlpatterns = [
    path("login/", auth_views.login_view, name="login"),
    path("logout/", auth_views.logout_view, name="logout"),
    path("totp/", auth_views.totp_verify, name="totp_verify"),
    path("totp/enrol/", auth_views.totp_enrol, name="totp_enrol"),
    path("password/", auth_views.password_change, name="password_change"),
    path("setup/<str:token>/", account_views.account_setup, name="account_setup"),
]
