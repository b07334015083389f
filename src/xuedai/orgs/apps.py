from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "xuedai.orgs"
    verbose_name = "机构与用户"

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.views import redirect_to_login

        # The Django admin's own login form checks passwords outside the lockout and the audit log;
        # send it to the site's login (password, lockout, TOTP) instead.
        def login_via_site(request, extra_context=None):
            return redirect_to_login(request.GET.get("next") or request.path.rsplit("login/", 1)[0])

        admin.site.login = login_via_site
