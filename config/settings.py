"""Settings, read from the environment (django-environ).

Embedded default (nothing configured): SQLite under var/, tasks inline, mail to the console.
Production: DATABASE_URL, CELERY_BROKER_URL, REDIS_URL (cache), SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Required when DEBUG is off: Django refuses an empty SECRET_KEY at its first use (any request), and
# `check --deploy` reports it (core.E100). Development commands such as makemigrations run without it.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-embedded-default-for-local-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    # --- security (issue 9): login lockout and two-factor authentication ---
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # --- end security ---
    "accounts",
    "core",
    "experts",
    "enterprises",
    "projects",
    "terms",
    "subsidies",
    "awards",
    "outcomes",
    "dashboard",
    "privacy",
    "worklist",
    "credit",
    "demo",  # the demo and bench data commands (seed_demo: demo.registry)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.sessions.SessionMiddleware",  # issue 20: Django's, renewing the session at most once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.BadInputMiddleware",  # issue 18: NUL characters refused with a 400, once
    "core.http.SiteURLMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # --- security (issue 9): OTP state, session/OTP/password-age gate, CSP, lockout (axes last) ---
    "accounts.middleware.OTPMiddleware",  # django_otp's, the device check cached per data version (issue 20)
    "accounts.middleware.AccountSecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # --- end security ---
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # security (issue 9): must stay last
]

ROOT_URLCONF = "config.urls"
# Templates are compiled once per process: with no `loaders` given, Django wraps the filesystem and app
# loaders in its cached loader (DEBUG or not; runserver's autoreload clears it on a change).
# TEMPLATE_CACHE=0 compiles every template on every use — only to measure what the cache saves (issue 20).
_TEMPLATE_CACHE = env.bool("TEMPLATE_CACHE", default=True)
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": _TEMPLATE_CACHE,
        "OPTIONS": {
            **({} if _TEMPLATE_CACHE else {"loaders": [
                "django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader",
            ]}),
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# Django's psycopg connection pool (issue 20; PostgreSQL only, needs the psycopg-pool package, which the
# locks do not carry yet): DB_POOL=1, or DB_POOL_MAX=n for the size per process. A pool replaces
# persistent connections (Django refuses both); each gunicorn worker process holds its own pool, so size it
# to the worker's threads: workers × DB_POOL_MAX stays under max_connections.
if env.bool("DB_POOL", default=False) and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _pool_max = env.int("DB_POOL_MAX", default=4)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1, "max_size": _pool_max, "timeout": 10,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",  # security (issue 9): refuses a locked username+IP first (axes)
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # security (issue 9): three of the four character classes (等保 2.0 8.1.4.1 a)
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Uploads live outside the web root and are served only by views that check permission.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "uploads"))
# Never routed in urls.py: uploads are served only by permission-checking views.
MEDIA_URL = "/uploads-not-public/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Retention of temporary files (core.retention, docs/SECURITY.md).
EXPORT_RETENTION_DAYS = 7
IMPORT_RETENTION_HOURS = 24
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Spreadsheet imports: refused before parsing when the workbook expands beyond this (core.spreadsheets);
# the largest legitimate import (10,000 rows of long text) is about 21 MB uncompressed.
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=64 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A filter's blank choice reads 全部 (“All”), not django-filter's "---------" (issue 16 item 4).
FILTERS_EMPTY_CHOICE_LABEL = _("全部")
# A form's blank choice reads 请选择 (core/form_templates overrides Django's select option).
FORM_RENDERER = "core.forms_renderer.PortalFormRenderer"

# Mail: console in the embedded default; EMAIL_URL (smtp://user:pass@host:587) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="昌平区科委 <kjfz-noreply@changping.gov.cn>")
# Absolute links in mail and QR codes. Empty: the host of the request being served (core.http.site_url).
SITE_URL = env("SITE_URL", default="")

# SPEC §5 go-live cut-over: allowance months whose last day is before this date, and project-subsidy
# instalments due before it, were settled outside the portal (recorded, never due, never in a batch).
# Production sets KJFZ_GO_LIVE_DATE=YYYY-MM-DD; unset means no cut-over. The demo (DEBUG, nothing set)
# went live on 1 January of the current year (subsidies.golive.demo_go_live_date).
import datetime as _dt  # noqa: E402

_go_live = env("KJFZ_GO_LIVE_DATE", default="")
KJFZ_GO_LIVE_DATE = _dt.date.fromisoformat(_go_live) if _go_live else None
if KJFZ_GO_LIVE_DATE is None and DEBUG:
    KJFZ_GO_LIVE_DATE = _dt.date(_dt.date.today().year, 1, 1)

# Celery: without a broker, every task runs inline (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or None
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict = {
    "purge-expired-sessions": {"task": "core.tasks.purge_expired_sessions", "schedule": 24 * 3600},
    # The audit chain's head written outside the database once a day (core.audit_chain.anchor_write).
    "audit-anchor": {"task": "core.tasks.audit_anchor", "schedule": crontab(hour=0, minute=5)},
    # Retention (core.retention): export files after 7 days, abandoned import files after 24 hours.
    "purge-retained-files": {"task": "core.tasks.purge_retained_files", "schedule": crontab(minute=15)},
    "enterprises-expire-intents": {"task": "enterprises.tasks.intents_expire", "schedule": 6 * 3600},
    # service terms (terms app): end terms past their last day, then send the reminders due today
    "terms-end-appointments": {
        "task": "terms.tasks.end_expired_appointments", "schedule": crontab(hour=0, minute=30),
    },
    "terms-reminders": {"task": "terms.tasks.send_term_reminders", "schedule": crontab(hour=7, minute=0)},
    # outcomes (issue 21): the quarterly reminder to report outcomes; daily, each quarter's goes out once
    "outcomes-reminders": {
        "task": "outcomes.tasks.send_outcome_reminders", "schedule": crontab(hour=7, minute=10),
    },
    # SPEC §9: living allowances on the 1st of each month, early morning (catches up missed months).
    "generate-allowances": {
        "task": "subsidies.tasks.generate_allowances",
        "schedule": crontab(minute=30, hour=2, day_of_month=1),
    },
    # issue 21 item 5: propose credit records from the facts of the day before, expire old ones
    "credit-nightly": {"task": "credit.tasks.credit_nightly", "schedule": crontab(hour=1, minute=10)},
}

# Sessions: idle timeout 30 minutes, renewed by activity at most once a minute (core.sessions: the row is
# written when its last renewal is SESSION_TOUCH_SECONDS old, not on every request; 0 = every request).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
# Read from the shared cache, written through to the database (issue 20: one query less a request). Only
# with Redis: a per-process cache would keep a session another process ended (accounts.services).
CACHE_SESSION = env.bool("CACHE_SESSION", default=True)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL and CACHE_SESSION
    else "django.contrib.sessions.backends.db"
)
SESSION_TOUCH_SECONDS = env.int("SESSION_TOUCH_SECONDS", default=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Production hardening (python manage.py check --deploy is clean with these values).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe (core.health) speaks plain HTTP
# Trust X-Forwarded-Proto only when told a TLS-terminating reverse proxy sets it (BEHIND_PROXY=1): a
# directly exposed gunicorn would otherwise believe a client's "X-Forwarded-Proto: https" and skip the
# HTTPS redirect (and mark its cookies as sent over TLS).
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SESSION_COOKIE_SECURE = not DEBUG and env.bool("SECURE_COOKIES", default=SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_SSL_REDIRECT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- security (issue 9): see docs/SECURITY.md for the requirement each value meets ---------------------
from csp.constants import NONE, SELF  # noqa: E402

# Staff-side roles must change a password older than this at login.
PASSWORD_MAX_AGE_DAYS = 90
# A session ends this long after login, whatever the activity (the idle limit is SESSION_COOKIE_AGE).
SESSION_ABSOLUTE_SECONDS = 12 * 3600
# Reverse proxies in front of the application that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# django-axes: the 6th wrong password for one username from one IP locks that pair for 30 minutes.
AXES_FAILURE_LIMIT = 6
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "accounts.lockout.cooloff"  # 15-minute counting window, 30-minute lock
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# django-otp: TOTP (RFC 6238) with the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "昌平科技副总平台"
OTP_TOTP_THROTTLE_FACTOR = 1

# django-csp: no inline script anywhere; styles may use inline attributes (Bootstrap markup).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Field encryption (core.crypto): MultiFernet keys, newest first; a blind-index key of its own.
# Production sets them in the environment; with DEBUG on, development keys are derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", default="")
if DEBUG and not FIELD_ENCRYPTION_KEYS:
    import base64
    import hashlib

    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(b"field-encryption:" + SECRET_KEY.encode()).digest()).decode()
    ]
if DEBUG and not BLIND_INDEX_KEY:
    import hashlib

    BLIND_INDEX_KEY = hashlib.sha256(b"blind-index:" + SECRET_KEY.encode()).hexdigest()
# Audit chain (core.audit_chain, issue 18 item 4): HMAC keys "id:secret", comma-separated, newest first
# (new records are hashed under the first; keep old ones listed to verify older records). Not in the
# database. Without them (development, tests) one key is derived from SECRET_KEY; `check --deploy`
# requires them (core.E103). The chain head is written daily to AUDIT_ANCHOR_DIR (and the log).
AUDIT_HMAC_KEYS = env.list("AUDIT_HMAC_KEYS", default=[])
AUDIT_HMAC_KEYS_FROM_ENV = bool(AUDIT_HMAC_KEYS)
if not AUDIT_HMAC_KEYS and SECRET_KEY:
    import hashlib

    AUDIT_HMAC_KEYS = ["k0:" + hashlib.sha256(b"audit-hmac:" + SECRET_KEY.encode()).hexdigest()]
AUDIT_ANCHOR_DIR = env("AUDIT_ANCHOR_DIR", default=str(VAR_DIR / "audit-anchors"))
# --- end security -----------------------------------------------------------------------------------------

# Signed PDFs (core.signing, issue 19): the issuing authority's PKCS#12 file and passphrase, and the CA
# certificate the public verification page trusts. `seed_demo` creates a demo CA and certificate under
# var/signing/ (passphrase below, for DEBUG only); production sets all three.
DOCUMENT_SIGNING_P12 = env("DOCUMENT_SIGNING_P12", default=str(VAR_DIR / "signing" / "commission.p12"))
DOCUMENT_SIGNING_PASSPHRASE = env("DOCUMENT_SIGNING_PASSPHRASE", default="")
DOCUMENT_SIGNING_TRUST_ROOT = env("DOCUMENT_SIGNING_TRUST_ROOT", default=str(VAR_DIR / "signing" / "ca.pem"))
if DEBUG and not DOCUMENT_SIGNING_PASSPHRASE:
    DOCUMENT_SIGNING_PASSPHRASE = "kjfz-demo-signing-only"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Personal numbers are masked in every log line (core.logging, issue 9 item 11).
    "filters": {"personal_numbers": {"()": "core.logging.PersonalNumberFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_numbers"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Optional error reporting (core.error_reporting): Sentry when SENTRY_DSN is set, personal numbers masked
# before anything leaves.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from core.error_reporting import init_error_reporting

    init_error_reporting(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"))

# --- throughput (issue 20, docs/scaling.md): every lever can be switched off to measure what it saves ---
# The dashboard body cached per data version (core.dataversion) and role flags.
CACHE_DASHBOARD = env.bool("CACHE_DASHBOARD", default=True)
# The talent pool's result (count, table, pages) cached per data version of the experts app, visibility
# and query string; the search figure of issue 17 is measured with it off (bench/bench_pool.py).
CACHE_POOL = env.bool("CACHE_POOL", default=True)
# The main menu rendered once per process, role set and language (accounts.context_processors).
CACHE_MENU = env.bool("CACHE_MENU", default=True)
# Filter <option> html versioned by the data version of its table instead of a COUNT/MAX query each time.
CACHE_CHOICES = env.bool("CACHE_CHOICES", default=True)
# The session's OTP device (owner, confirmed) read from the cache per data version of the device tables.
CACHE_OTP_DEVICE = env.bool("CACHE_OTP_DEVICE", default=True)
# --- end throughput ---

PORTAL_NAME = _("昌平区“科技副总”柔性引才工作平台")
