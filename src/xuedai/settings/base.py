"""Settings shared by every environment; all deployment knobs come from XUEDAI_* variables."""

import os
import secrets
from pathlib import Path

import dj_database_url

# src/xuedai/settings/base.py → the repository root (editable install) holds var/ and node_modules/.
REPO_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = Path(__file__).resolve().parents[1]
VAR_DIR = Path(os.environ.get("XUEDAI_VAR_DIR", REPO_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
NODE_MODULES = Path(os.environ.get("XUEDAI_NODE_MODULES", REPO_DIR / "node_modules"))


def _secret_key() -> str:
    """Use XUEDAI_SECRET_KEY, else a key generated once into var/ so restarts keep sessions valid."""
    if os.environ.get("XUEDAI_SECRET_KEY"):
        return os.environ["XUEDAI_SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("XUEDAI_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("XUEDAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("XUEDAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from the install: the docs work offline
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "xuedai.orgs",
    "xuedai.audit",
    "xuedai.jobs",
    "xuedai.policies",
    "xuedai.borrowers",
    "xuedai.origination",
    "xuedai.loans",
    "xuedai.funds",
    "xuedai.batch",
    "xuedai.web",
    "xuedai.demo",
    "xuedai.calculator",
    "xuedai.documents",
    "xuedai.postloan",
    "xuedai.daily",
    "xuedai.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xuedai.web.security.SecurityHeadersMiddleware",  # CSP; cookies Secure on HTTPS requests
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xuedai.businessdate.BusinessDateMiddleware",  # one business date per request, read once
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xuedai.orgs.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "xuedai.urls"
WSGI_APPLICATION = "xuedai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuedai.web.context_processors.navigation",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'xuedai.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("XUEDAI_DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker share one file: WAL lets readers run while a batch writes,
    # and IMMEDIATE transactions avoid "database is locked" upgrades mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the set-based reports' GROUP BYs spent 2.5 s of 17 compiling (the 20 Dec fund
    # positions at 10⁷ accounts, EXPLAIN ANALYZE; bench/RESULTS.md), and short page queries gain
    # nothing from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
# Only this backend: it counts every failure toward the lockout. Adding Django's ModelBackend would
# open a second, uncounted way to test passwords.
AUTHENTICATION_BACKENDS = ["xuedai.orgs.backends.IdNumberBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xuedai.orgs.passwords.MixedCharactersValidator"},
    {"NAME": "xuedai.orgs.passwords.NotBirthDateValidator"},
]

# Lock an account after this many failed logins in a row, for this many minutes.
XUEDAI_LOCKOUT_ATTEMPTS = 5
XUEDAI_LOCKOUT_MINUTES = 30

# Sessions expire after 30 idle minutes and when the browser closes. The idle expiry moves on with
# every request; its row is rewritten at most once a minute (xuedai.web.sessions).
SESSION_ENGINE = "xuedai.web.sessions"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Secure cookies: on every HTTPS response anyway (xuedai.web.security); on every response with
# XUEDAI_SECURE_COOKIES=1. Plain http on 127.0.0.1 (the demo) keeps working without either.
SESSION_COOKIE_SECURE = os.environ.get("XUEDAI_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a TLS proxy on this machine (gunicorn binds 127.0.0.1), the proxy says the request came in
# over HTTPS; XUEDAI_PROXY_SSL_HEADER=0 when the site is reachable without one.
if os.environ.get("XUEDAI_PROXY_SSL_HEADER", "1") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS on HTTPS responses only (SecurityMiddleware): a year by default.
SECURE_HSTS_SECONDS = int(os.environ.get("XUEDAI_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("XUEDAI_HSTS_SUBDOMAINS", "0") == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from finders but expects the folder
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A session half-way through login (password but no TOTP yet) reaches no API data.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "xuedai.orgs.permissions.SecondFactorVerified",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "学贷 xuedai API",
    "DESCRIPTION": "国家助学贷款系统接口。所有借款人数据按调用者所属机构的数据范围过滤。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The business date ("today" for every rule) comes from xuedai.core-independent service
# xuedai.jobs.business_date; this pins it for demos and simulations (ISO date) when set.
XUEDAI_BUSINESS_DATE = os.environ.get("XUEDAI_BUSINESS_DATE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "xuedai.identity.masking.MaskPersonalDataFilter"},
                "mask_query_strings": {"()": "xuedai.web.logmasking.MaskingFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler",
                    "filters": ["mask_personal_data", "mask_query_strings"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("XUEDAI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
