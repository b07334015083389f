"""Response headers and cookies for a site that may sit behind TLS (docs/security.md).

- ``Content-Security-Policy`` on every response: scripts, styles, fonts, images and XHR from the
  site itself only (Bootstrap, htmx and ECharts are served from ``node_modules`` by the app, never
  a CDN), no plugins, no framing, forms posted to the site only. Style *attributes* stay allowed
  (``'unsafe-inline'`` in ``style-src``: templates and Bootstrap's JavaScript set widths inline);
  inline *scripts* are not — page scripts live in ``web/static/web/``.
- The session and CSRF cookies are marked ``Secure`` on every response to an HTTPS request
  (``request.is_secure()``, which trusts ``X-Forwarded-Proto`` from the local proxy: settings
  ``SECURE_PROXY_SSL_HEADER``), so a site behind TLS never sends them over plain HTTP, while the
  plain-http demo on 127.0.0.1 keeps working. ``XUEDAI_SECURE_COOKIES=1`` marks them always.

HSTS comes from Django's ``SecurityMiddleware`` (``SECURE_HSTS_SECONDS``), which sends it on HTTPS
responses only — a browser that met the site over plain http is never told to insist on TLS.
"""

from django.conf import settings

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",  # Bootstrap's icons are data: SVGs in its CSS
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    """Placed before the session and CSRF middleware, so it sees the cookies they set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "XUEDAI_CSP", CSP))
        if request.is_secure():
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["secure"] = True
        return response
