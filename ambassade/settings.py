"""Ambassade settings: one file, read from the environment.

Every value that differs between a laptop and production is an environment
variable (see README, "Configuration"). The default is the embedded mode:
SQLite next to the code and the database task backend, so that
`make demo` needs nothing else.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ambassade.lib.env import env_bool, env_int, env_list, env_str, parse_fetch_allow

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("AMBASSADE_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("AMBASSADE_DEBUG", False)
_DEV_SECRET = "insecure-dev-only-secret-key-set-AMBASSADE_SECRET_KEY-in-production"
SECRET_KEY = env_str("AMBASSADE_SECRET_KEY", _DEV_SECRET)
# The development key is public: with it anyone can sign a blogger's link. It is accepted
# only for the demo (`ambassade demo` sets AMBASSADE_ALLOW_DEV_SECRET for itself and its
# children), the test suite (pytest sets PYTEST_VERSION), or when explicitly allowed.
_DEV_SECRET_ALLOWED = env_bool("AMBASSADE_ALLOW_DEV_SECRET", False) or "PYTEST_VERSION" in os.environ
if SECRET_KEY == _DEV_SECRET and not _DEV_SECRET_ALLOWED:
    raise ImproperlyConfigured(
        "AMBASSADE_SECRET_KEY is not set: the public development key is refused (anyone could sign "
        "blogger links). Set AMBASSADE_SECRET_KEY to a long random value, or AMBASSADE_ALLOW_DEV_SECRET=1 "
        "on a development machine."
    )
ALLOWED_HOSTS = env_list("AMBASSADE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("AMBASSADE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "ambassade.accounts",
    "ambassade.blogs",
    "ambassade.campaigns",
    "ambassade.logistics",
    "ambassade.outreach",
    "ambassade.imports",
    "ambassade.watch",
    "ambassade.targeting",
    "ambassade.giveaways",
    "ambassade.reports",
    "ambassade.portal",
    "ambassade.dashboard",
    "ambassade.workflow",
    "ambassade.farm",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "ambassade.lib.middleware.CleanInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ambassade.accounts.middleware.MembershipMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ambassade.urls"
WSGI_APPLICATION = "ambassade.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ambassade" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands with DATABASE_URL.
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        _default_db = dj_database_url.parse(
            _database_url, conn_max_age=env_int("AMBASSADE_DB_CONN_MAX_AGE", 0, minimum=0)
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from None
else:
    # The embedded mode keeps everything under one folder it creates itself.
    (DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
    _default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "ambassade.sqlite3",
        "OPTIONS": {
            # WAL lets the web server read while the worker writes; IMMEDIATE
            # takes the write lock at BEGIN so two writers queue instead of
            # failing with "database is locked" half-way through a transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: django.tasks. The database backend by default; RQ on Redis
# when AMBASSADE_TASKS=rq (needs the "rq" extra).
_tasks_backend = env_str("AMBASSADE_TASKS", "db")
if _tasks_backend == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif _tasks_backend == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0")}}
elif _tasks_backend == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(
        f"AMBASSADE_TASKS={_tasks_backend!r}: expected 'db', 'rq' or 'immediate'."
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "ambassade.accounts.backends.LoginThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("AMBASSADE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# HTTPS deployments (secure cookies on) also tell browsers to never use plain HTTP again.
SECURE_HSTS_SECONDS = env_int("AMBASSADE_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("AMBASSADE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: scripts only from our own static files, never inline; nothing
# framed, no plugin, forms only to ourselves. Inline styles stay allowed (the reports'
# print page and a few style attributes), they cannot run code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# The reverse proxies in front of the web processes (addresses or networks): only their
# X-Forwarded-For is believed when the login throttle and the portal count a client.
TRUSTED_PROXIES = [ipaddress.ip_network(p, strict=False) for p in env_list("AMBASSADE_TRUSTED_PROXIES", [])]

# The shared cache: the login throttle and the portal's rate limit count there, so every
# web process sees the same counts. The database by default, Redis when REDIS_CACHE_URL is set.
_redis_cache = env_str("AMBASSADE_REDIS_CACHE_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_cache}
    if _redis_cache else
    {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ambassade_cache"}
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords, the account and
# the address are each refused for the cool-off time, counted in the shared cache.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = env_int("AMBASSADE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AMBASSADE_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "ambassade.accounts.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ambassade" / "locale"]
TIME_ZONE = env_str("AMBASSADE_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "ambassade" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files (product photos): served through an access-checked view, never as a public folder.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# The demo and the tests serve static files straight from the app folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# E-mail: console by default; real SMTP per organisation comes with outreach.
MAILERS = {
    "default": {
        "BACKEND": env_str("AMBASSADE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
if env_str("AMBASSADE_EMAIL_FILE_PATH"):  # the file backend (the demo writes its mails to var/mails)
    MAILERS["default"]["OPTIONS"] = {"file_path": env_str("AMBASSADE_EMAIL_FILE_PATH")}
DEFAULT_FROM_EMAIL = env_str("AMBASSADE_FROM_EMAIL", "ambassade@localhost")
# The address bloggers reach Ambassade at: opt-out links and, later, their own page.
BASE_URL = env_str("AMBASSADE_BASE_URL", "http://127.0.0.1:8000")
# The blogger's personal links stay valid this long (each mail carries a fresh one).
PORTAL_LINK_DAYS = env_int("AMBASSADE_PORTAL_LINK_DAYS", 60, minimum=1)
# Outreach: the sender's lease, retries, the hard cap of follow-ups, the IMAP size cap.
OUTREACH_LEASE_SECONDS = env_int("AMBASSADE_OUTREACH_LEASE_SECONDS", 120, minimum=5)
OUTREACH_MAX_ATTEMPTS = env_int("AMBASSADE_OUTREACH_MAX_ATTEMPTS", 6, minimum=1)
OUTREACH_FOLLOWUP_CAP = env_int("AMBASSADE_OUTREACH_FOLLOWUP_CAP", 2, minimum=0)
OUTREACH_MAX_INBOUND_BYTES = env_int("AMBASSADE_OUTREACH_MAX_INBOUND_BYTES", 2 * 1024 * 1024, minimum=10_000)
OUTREACH_TIMEOUT = float(env_int("AMBASSADE_OUTREACH_TIMEOUT", 20, minimum=1))
# An e-mail service provider's API address, when not its public one (a test server, a proxy).
ESP_API_URLS = {name: url for name, url in (("brevo", env_str("AMBASSADE_BREVO_API_URL")),
                                            ("mailjet", env_str("AMBASSADE_MAILJET_API_URL"))) if url}

# Imports: files above this size are refused before parsing.
IMPORT_MAX_BYTES = env_int("AMBASSADE_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024

# The blog farm: where it listens, and whether fetching its loopback hosts is allowed.
FARM_HOST = env_str("AMBASSADE_FARM_HOST", "127.0.0.1")
FARM_PORT = env_int("AMBASSADE_FARM_PORT", 8100, minimum=1)
FARM_DOMAIN = env_str("AMBASSADE_FARM_DOMAIN", "farm.localhost")
FARM_ALLOWED = env_bool("AMBASSADE_FARM_ALLOWED", False)

# Outbound fetches: the hosts and networks that may be private (a self-hosted blog on an
# intranet), e.g. "blog.intranet.example,.corp.example,10.20.0.0/16,127.0.0.1"; and the
# proxy to go through, if any (the environment's HTTP_PROXY/HTTPS_PROXY are ignored).
FETCH_ALLOW_HOSTS, FETCH_ALLOW_NETWORKS = parse_fetch_allow(env_list("AMBASSADE_FETCH_ALLOW", []))
FETCH_PROXY = env_str("AMBASSADE_FETCH_PROXY", "")

# Veille: the crawler's limits and schedule bounds.
WATCH_MAX_BYTES = env_int("AMBASSADE_WATCH_MAX_BYTES", 5 * 1024 * 1024, minimum=10_000)
WATCH_TIMEOUT = float(env_int("AMBASSADE_WATCH_TIMEOUT", 10, minimum=1))
WATCH_MIN_INTERVAL = env_int("AMBASSADE_WATCH_MIN_INTERVAL", 15 * 60, minimum=1)
WATCH_MAX_INTERVAL = env_int("AMBASSADE_WATCH_MAX_INTERVAL", 24 * 3600, minimum=60)
WATCH_HOST_DELAY = float(env_int("AMBASSADE_WATCH_HOST_DELAY_MS", 1000, minimum=0)) / 1000
WATCH_BATCH_SIZE = env_int("AMBASSADE_WATCH_BATCH_SIZE", 200, minimum=1)
WATCH_LEASE_SECONDS = env_int("AMBASSADE_WATCH_LEASE_SECONDS", 300, minimum=5)

# Giveaways (concours): comments read every GIVEAWAY_CHECK_SECONDS while a giveaway is open, the REST
# API by pages of GIVEAWAY_PAGE_SIZE; winners' data erased GIVEAWAY_ERASE_DAYS after the prize arrived.
GIVEAWAY_CHECK_SECONDS = env_int("AMBASSADE_GIVEAWAY_CHECK_SECONDS", 3600, minimum=60)
GIVEAWAY_PAGE_SIZE = env_int("AMBASSADE_GIVEAWAY_PAGE_SIZE", 100, minimum=1)
GIVEAWAY_ERASE_DAYS = env_int("AMBASSADE_GIVEAWAY_ERASE_DAYS", 90, minimum=1)
WATCH_NEW_POSTS_PER_CHECK = env_int("AMBASSADE_WATCH_NEW_POSTS_PER_CHECK", 20, minimum=1)
WATCH_TEXT_RETENTION_DAYS = env_int("AMBASSADE_WATCH_TEXT_RETENTION_DAYS", 90, minimum=1)

# Ciblage: the hard filters' thresholds.
TARGETING_INACTIVE_DAYS = env_int("AMBASSADE_TARGETING_INACTIVE_DAYS", 60, minimum=1)
TARGETING_REFUSAL_MONTHS = env_int("AMBASSADE_TARGETING_REFUSAL_MONTHS", 6, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("AMBASSADE_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates each step of a PDF at INFO: only its warnings matter.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
