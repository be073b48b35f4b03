"""One settings module, driven by environment variables.

Defaults are safe for production (DEBUG off, secure cookies, second factor required); `make run`
sets the variables that turn the embedded demo on.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else the installation's own key in DATA_DIR/secret_key
    (made on first use, readable by its owner only), so that `manage.py` commands work on a fresh
    checkout without setup; PINs and encrypted fields depend on it, so it is never regenerated."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50) + "\n")
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Used to build absolute URLs printed on QR codes and posters (the public face of a station).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "liaison.common",
    "liaison.regions",
    "liaison.accounts",
    "liaison.audit",
    "liaison.jurisdiction",
    "liaison.jobs",
    "liaison.taxonomy",
    "liaison.stations",
    "liaison.deputies",
    "liaison.units",
    "liaison.cases",
    "liaison.notifications",
    "liaison.insights",
    "liaison.reports",
    "liaison.activities",
    "liaison.grids",
    "liaison.receptions",
    "liaison.suggestions",
    "liaison.archives",
    "liaison.dutyreports",
    "liaison.points",
    "liaison.api",
    "liaison.workbench",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liaison.common.sessions.IdleSessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "liaison.audit.middleware.RequestContextMiddleware",
]

# The sessionless public JSON API (/api/v1/public/) runs through only these
# (liaison/common/wsgi.py): it needs no session, CSRF, login, messages or static files.
PUBLIC_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "liaison.audit.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.accounts.context_processors.workbench",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'liaison.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids lock upgrades.
    # Connections are kept (DB_CONN_MAX_AGE) like on PostgreSQL: opening one and running the
    # pragmas cost more than a small write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "liaison.accounts.backends.RolePermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "liaison.accounts.validators.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Staff must present a TOTP code after the password. Only the demo may turn this off.
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "人大代表联络站平台"

# Idle timeout: the session expires this many minutes after the last request.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# The session row's expiry moves at most once a minute (liaison/common/sessions.py), not on
# every request.
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Failed logins are counted by liaison/accounts/lockout.py (settings under "[login]" below).

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "liaison.common.staticstorage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Photos and other uploads.
MAX_PHOTO_BYTES = int(os.environ.get("MAX_PHOTO_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Shared by every gunicorn worker (rate limits need one counter per client, not per process).
CACHES = {
    "default": {
        "BACKEND": os.environ.get(
            "CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"
        ),
        "LOCATION": os.environ.get("CACHE_LOCATION", str(DATA_DIR / "cache")),
    },
    # Template fragments made from rows that change a few times a year (the phone form's fields,
    # decision 0048): in each process, read without a file; `hotcache.clear_all()` empties it
    # with the other per-process caches, and the fragments say how long they keep
    # (HOT_CACHE_SECONDS, `pagecache.fragment_seconds`).
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# Settings, deadlines and stations that intake reads on every request stay this long in each
# process (liaison/common/hotcache.py); 0 turns the per-process cache off.
HOT_CACHE_SECONDS = float(os.environ.get("HOT_CACHE_SECONDS", "30"))
# Whole public pages that are the same for every visitor (home, directory, station and deputy
# pages, echo wall) stay this long in the shared cache (liaison/common/pagecache.py, decision
# 0041); 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "30"))
# How often the worker looks for new cases to give a category hint (seconds).
# The variable was called SUGGESTION_SWEEP_SECONDS before "suggestion" came to mean 代表建议.
CATEGORY_HINT_SWEEP_SECONDS = float(
    os.environ.get("CATEGORY_HINT_SWEEP_SECONDS", os.environ.get("SUGGESTION_SWEEP_SECONDS", "5"))
)
# How often the worker turns public API submissions waiting in the intake journal into cases
# (seconds; liaison/cases/services/journal.py). A tracking lookup moves its own entry at once.
INTAKE_MOVE_SECONDS = float(os.environ.get("INTAKE_MOVE_SECONDS", "1"))
# During a burst the worker waits until no submission has arrived for INTAKE_QUIET_SECONDS, but
# never lets an entry wait longer than INTAKE_MAX_WAIT_SECONDS (decision 0006).
INTAKE_QUIET_SECONDS = float(os.environ.get("INTAKE_QUIET_SECONDS", "0.5"))
INTAKE_MAX_WAIT_SECONDS = float(os.environ.get("INTAKE_MAX_WAIT_SECONDS", "30"))
# Move each journal entry in the request that wrote it (tests; a deployment without a worker).
INTAKE_MOVE_INLINE = os.environ.get("INTAKE_MOVE_INLINE", "0") == "1"

# The similar-case index of each viewed county is built by the task worker into this folder and
# loaded by the web processes (liaison/cases/similar_store.py, decision 0050): the web processes
# and the worker must share it. The worker looks for counties to (re)build this often (seconds).
SIMILAR_INDEX_DIR = Path(os.environ.get("SIMILAR_INDEX_DIR", DATA_DIR / "similar"))
SIMILAR_INDEX_SWEEP_SECONDS = float(os.environ.get("SIMILAR_INDEX_SWEEP_SECONDS", "5"))
# Build a county's similar-case index in the request that needs it, in the process and without
# files (tests, whose in-memory database the worker cannot see; a deployment without a worker).
SIMILAR_INDEX_INLINE = os.environ.get("SIMILAR_INDEX_INLINE", "0") == "1"

# Background work (exports, reports, the deadline job) runs in the task worker, not in requests.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Notifications: SMS and WeChat through pluggable backends; the default only logs and records.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "liaison.notifications.backends.LoggingSMSBackend")
WECHAT_BACKEND = os.environ.get(
    "WECHAT_BACKEND", "liaison.notifications.backends.LoggingWeChatBackend"
)
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND", "liaison.notifications.backends.LoggingEmailBackend"
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@liaison.local")

# Keys for personal data encrypted at rest, kept apart from SECRET_KEY: FIELD_ENCRYPTION_KEYS
# (comma separated, newest first; the newest encrypts, all decrypt), else FIELD_ENCRYPTION_KEY,
# else the file DATA_DIR/field_key that `make run` writes. Without any, a key derived from
# SECRET_KEY is used and the system check common.W101 warns (liaison/common/crypto.py,
# docs/security.md); that derived key always stays readable as the oldest key.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", "")
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
if not FIELD_ENCRYPTION_KEYS and not FIELD_ENCRYPTION_KEY and (DATA_DIR / "field_key").is_file():
    FIELD_ENCRYPTION_KEY = (DATA_DIR / "field_key").read_text().strip()

# A CJK font for PDFs, posters and charts; found automatically when empty.
CJK_FONT_PATH = os.environ.get("CJK_FONT_PATH", "")

# Security headers. HSTS and secure cookies only when served over TLS.
USE_TLS = env_bool("USE_TLS", not DEBUG)
SESSION_COOKIE_SECURE = USE_TLS
CSRF_COOKIE_SECURE = USE_TLS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The expired-form page in Chinese (Django's own tells a citizen to set DEBUG=True).
CSRF_FAILURE_VIEW = "liaison.common.errors.csrf_failure"
# A strict Content-Security-Policy on every response: only the platform's own files. No inline
# script or style in our templates; the nonce is there for Django admin, whose templates carry it
# on their few inline blocks. Uploaded files are served with `sandbox` on top.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if USE_TLS:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "liaison.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "人大代表联络站智慧平台 API",
    "DESCRIPTION": "REST API v1：行政区划、联络站、代表。列表按用户辖区范围返回。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Cases and stations both have a `kind`; name the enums so the schema stays stable.
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "liaison.cases.models.Kind",
        "StationKindEnum": "liaison.stations.models.StationKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_client_errors": {"()": "liaison.common.logfilters.ExpectedClientErrors"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["expected_client_errors"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # fontTools logs every font-subsetting step at INFO while posters are made.
        "fontTools": {"level": "WARNING"},
    },
}

# --- Security (issue 10). Each block below belongs to one area; keep them apart. -------------
# [files] private storage, upload re-encoding, signed links, export expiry
# MEDIA_ROOT is never served by URL: files go out through views that check the viewer
# (liaison/common/downloads.py). Ledger export files are deleted by the worker this many hours
# after they were built (the same everywhere: a file of personal data, not a local rule).
EXPORT_RETENTION_HOURS = int(os.environ.get("EXPORT_RETENTION_HOURS", "72"))

# [login] lockout, second-factor enrolment, password policy
# Failed logins (liaison/accounts/lockout.py, docs/security.md): each key may fail this many times
# before it must wait LOGIN_BACKOFF_FIRST_MINUTES, then twice as long after every further failure,
# up to LOGIN_BACKOFF_MAX_MINUTES. A user name from one address is the tight key; one address over
# all names stops spraying; one name over all addresses slows distributed guessing without locking
# the owner out of addresses they have logged in from before.
LOGIN_PAIR_FREE_FAILURES = int(os.environ.get("LOGIN_PAIR_FREE_FAILURES", "5"))
LOGIN_ADDRESS_FREE_FAILURES = int(os.environ.get("LOGIN_ADDRESS_FREE_FAILURES", "20"))
LOGIN_USERNAME_FREE_FAILURES = int(os.environ.get("LOGIN_USERNAME_FREE_FAILURES", "50"))
LOGIN_BACKOFF_FIRST_MINUTES = float(os.environ.get("LOGIN_BACKOFF_FIRST_MINUTES", "1"))
LOGIN_BACKOFF_MAX_MINUTES = float(os.environ.get("LOGIN_BACKOFF_MAX_MINUTES", "60"))
# Failures are forgotten after this long without a new one.
LOGIN_FAILURE_MEMORY_HOURS = float(os.environ.get("LOGIN_FAILURE_MEMORY_HOURS", "24"))
# An address a user logged in from within this many days is "known" for that user.
LOGIN_KNOWN_ADDRESS_DAYS = float(os.environ.get("LOGIN_KNOWN_ADDRESS_DAYS", "30"))
# Login counters key on the client address (liaison.common.ratelimit.client_ip); behind a reverse
# proxy that sets X-Forwarded-For, turn this on or every login comes from the proxy's address.
RATELIMIT_TRUST_X_FORWARDED_FOR = env_bool("RATELIMIT_TRUST_X_FORWARDED_FOR", False)
# A second-factor enrolment code from the security administrator is valid this long.
OTP_ENROLMENT_CODE_HOURS = float(os.environ.get("OTP_ENROLMENT_CODE_HOURS", "72"))
# Beyond length, classes and common passwords: no published or platform passwords, keyboard,
# sequence or repeated patterns, "word + year", nor the user's own name or phone.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "phone", "email")},
    },
    *AUTH_PASSWORD_VALIDATORS[1:],
    {"NAME": "liaison.accounts.validators.PatternPasswordValidator"},
]

# [powers] the three separated admin powers

# [input] text validation, JSON limits, PIN guard, throttles
# Every DRF body goes through the platform's JSON reader (400 in Chinese, never a 500), and every
# DRF view is throttled per address (anonymous) or per account; counts live in the default cache.
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["liaison.api.parsers.StrictJSONParser"]
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "liaison.api.throttling.AnonThrottle",
    "liaison.api.throttling.UserThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": os.environ.get("API_THROTTLE_ANON", "120/min"),
    "user": os.environ.get("API_THROTTLE_USER", "600/min"),
}
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "liaison.api.throttling.exception_handler"
# Wrong PINs per tracking code (from any address) before the code refuses every PIN until a new
# one is issued by SMS or by station staff (liaison/cases/services/pins.py).
PIN_GUARD_MAX_FAILURES = int(os.environ.get("PIN_GUARD_MAX_FAILURES", "10"))
PIN_GUARD_WINDOW_HOURS = float(os.environ.get("PIN_GUARD_WINDOW_HOURS", "24"))
# New PINs a person may have sent by SMS per tracking code and day.
PIN_RESEND_PER_DAY = int(os.environ.get("PIN_RESEND_PER_DAY", "3"))

# [audit] hash chain, keys and data directories
# Each intact walk of the audit chain (the worker's daily check, `manage.py verify_audit`)
# appends its head here, so that cutting off the newest events is found; empty turns it off.
AUDIT_HEAD_FILE = os.environ.get("AUDIT_HEAD_FILE", str(DATA_DIR / "audit_head.jsonl"))
# Uploads owner-only like the rest of DATA_DIR (Django's default would be 0644).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# [privacy] personal data in free text
