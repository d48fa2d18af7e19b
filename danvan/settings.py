"""Settings for the danvan portal.

Everything comes from environment variables with safe development defaults
(cookiecutter-django's habit). Two modes:

- development (default): DEBUG on, an embedded SQLite file under ``var/`` when
  ``DATABASE_URL`` is unset, a throwaway secret key.
- production (``DANVAN_ENV=production``): DEBUG off, HTTPS-only cookies, HSTS; refuses
  to start without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.

See docs/CONFIGURATION.md for every variable.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DANVAN_ENV = env.str("DANVAN_ENV", default="development")
if DANVAN_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DANVAN_ENV must be 'development' or 'production'.")
PRODUCTION = DANVAN_ENV == "production"

# --- Core -----------------------------------------------------------------------------

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET_KEY)


def _weak_key(key: str) -> bool:
    """A key an attacker could guess: short, the development key, few distinct characters
    (a random 50-character key has about 35), or a short run repeated ("abc…abc…")."""
    return (
        len(key) < 50
        or key.startswith("django-insecure")
        or len(set(key)) < 20
        or any(key[period:] == key[:-period] for period in range(1, len(key) // 2 + 1))
    )


if PRODUCTION and _weak_key(SECRET_KEY):
    raise ImproperlyConfigured(
        "Production needs a real SECRET_KEY (50+ random characters), for example: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated host names).")
# "*" answers any Host header (password-reset links and absolute URLs built from a forged
# host): production refuses it unless this is set on purpose (a proxy that checks hosts).
DANVAN_ALLOW_ANY_HOST = env.bool("DANVAN_ALLOW_ANY_HOST", default=False)
if PRODUCTION and "*" in ALLOWED_HOSTS and not DANVAN_ALLOW_ANY_HOST:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS=* answers any host name: list the portal's host names, or set "
        "DANVAN_ALLOW_ANY_HOST=true if a proxy in front checks them."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "import_export",
    # Background tasks (Django's task API, backport) and their database backend.
    "django_tasks",
    "django_tasks_db",
    # The audit trail's history tables (portal.audit, docs/AUDIT.md).
    "simple_history",
    # Login throttling and lockout; the Content-Security-Policy header (docs/SECURITY.md).
    "axes",
    "csp",
    # Optional second factor for staff: TOTP devices (docs/SECURITY.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The apps, each standing on the ones above it (docs/DECISIONS.md): the area tree,
    # staff accounts and their scope, the audit pages, rosters, ratings, reports, news.
    "units",
    "accounts",
    "audit",
    "members",
    "evaluations",
    "reports",
    "news",
    "documents",
    # The teams' daily work: activities, citizens' opinions, hot spots (docs/WORK.md).
    "work",
    # What each account is told (ratings returned and decided, deadlines), in the
    # portal and by e-mail (docs/NOTIFICATIONS.md).
    "notifications",
    # "Dân vận khéo" models: registry, cycle, public gallery /mo-hinh/ (docs/WORK.md).
    "exemplars",
    "danvan",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "danvan.middleware.LanguageMiddleware",
    # No NUL or other control character in any query or form (docs/SECURITY.md).
    "danvan.middleware.InputCleaningMiddleware",
    # JSON, not an HTML page, for any error under /api/.
    "danvan.middleware.APIErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Who, through which door (web / admin): the audit trail's context for the request.
    "portal.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The second factor, then a password someone else set, first (accounts/middleware.py).
    "accounts.middleware.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during login into the
    # Vietnamese lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "danvan.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Without DATABASE_URL a newcomer gets an embedded SQLite file and needs nothing else.

(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'danvan.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the portal read while an import writes; a busy timeout instead of
    # "database is locked" when two writers meet.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming replica of the PostgreSQL primary for the public pages' reads
# (portal/replica.py, docs/DEPLOYMENT.md). Tests use the primary for it (MIRROR).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://danvan")}
if str(CACHES["default"].get("LOCATION", "")).startswith(("redis://", "rediss://", "unix://")):
    # Django's own Redis backend (redis-py), whatever else is installed: one cache
    # shared by every application server (docs/DEPLOYMENT.md).
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
# Several installations (or test runs) may share one Redis: each keeps its own keys.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="danvan")

# Sessions in the database (default), in the cache (Redis: no database write per login),
# or both ("cached_db": read from the cache, kept in the database).
SESSION_STORE = env.str("SESSION_STORE", default="db")
_SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}
if SESSION_STORE not in _SESSION_ENGINES:
    raise ImproperlyConfigured("SESSION_STORE must be 'db', 'cache' or 'cached_db'.")
if SESSION_STORE != "db" and CACHES["default"]["BACKEND"].endswith("LocMemCache") and PRODUCTION:
    raise ImproperlyConfigured(
        "Sessions in the cache need a shared cache in production (CACHE_URL=redis://...)."
    )
SESSION_ENGINE = _SESSION_ENGINES[SESSION_STORE]

# --- Accounts -------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "members:home"
LOGOUT_REDIRECT_URL = "home"

# django-axes first: it refuses a locked-out login before the password is even checked.
# It needs the request in authenticate(): the login views pass it; tests use
# client.force_login (client.login has no request and is refused).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after AXES_FAILURE_LIMIT wrong passwords for one user name from one address,
# for AXES_COOLOFF_MINUTES. Per user name *and* address: a provincial office behind one
# NAT address is not locked out because one colleague mistyped, and nobody can lock a
# known user name out from elsewhere (docs/SECURITY.md).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The Vietnamese lockout page (registration/lockout.html), status 429.
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
# Behind a reverse proxy, the number of proxies in front of Django: the client address is
# then read from X-Forwarded-For (otherwise every attempt seems to come from the proxy).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=None)
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Second factor (django-otp, TOTP): the name shown in the authenticator app; the admin
# never shows a device's key or QR code (a lost phone: an administrator deletes the device).
OTP_TOTP_ISSUER = "Dan van"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Staff sessions last a working day (8 hours by default), not Django's two weeks.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_SAMESITE = "Lax"

# --- Language, time, formats ----------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own "vi" locale has no DATE_INPUT_FORMATS (it falls back to US month-first
# order) and no number grouping: our format modules fix both (docs/DECISIONS.md,
# "Measured facts the code relies on").
FORMAT_MODULE_PATH = ["danvan.formats"]
USE_THOUSAND_SEPARATOR = True

# --- Background tasks -----------------------------------------------------------------
# Roster imports run as tasks (docs/TASKS.md). "immediate" runs a task inside the request
# that enqueues it: nothing else to start, right for development and tests. "database"
# stores the task in the database and a second process runs it
# (`python manage.py db_worker`), so a long import never holds a web worker: the default
# in production.

TASKS_BACKEND = env.str("TASKS_BACKEND", default="database" if PRODUCTION else "immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# --- Static files ---------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
if not PRODUCTION:
    # Serve files straight from the source folders (no collectstatic needed).
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Uploads (news pictures, documents, rating evidence) on the local disk (MEDIA_ROOT), or
# with MEDIA_STORAGE=s3 in an S3-compatible bucket shared by every application server
# (django-storages, boto3; portal/storage.py, docs/DEPLOYMENT.md).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
_MEDIA_BACKENDS = {
    "local": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "s3": {
        "BACKEND": "portal.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default="danvan-media"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "location": env.str("AWS_LOCATION", default=""),
            # Private objects, never overwritten (names are random), read by the portal.
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": False,
        },
    },
}
STORAGES = {
    "default": _MEDIA_BACKENDS[MEDIA_STORAGE],
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie (forms carry the token), so scripts may not either.
CSRF_COOKIE_HTTPONLY = True
# No inline script, no inline style, nothing from another origin, never inside a frame.
# The templates put scripts in static files (static/js/) and styles in static/css/;
# the Django admin (5.2) needs neither inline scripts nor inline styles either
# (checked in Chromium, docs/SECURITY.md). Django's own 404/500 debug pages are
# exempted by django-csp when DEBUG is on.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging --------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- The portal -----------------------------------------------------------------------

# The body that runs the portal. Since the 2025 reorganisation it is usually the
# "Ban Tuyên giáo và Dân vận Tỉnh ủy <province>".
DANVAN_ORGANIZATION_NAME = env.str(
    "DANVAN_ORGANIZATION_NAME", default="Ban Tuyên giáo và Dân vận Tỉnh ủy"
)
DANVAN_PORTAL_NAME = env.str("DANVAN_PORTAL_NAME", default="Cổng thông tin Dân vận cơ sở")

# Password reset (accounts/views_password.py): without e-mail configured (EMAIL_HOST,
# below) the page says to ask the administrator; with it, requests are rate-limited.
DANVAN_PASSWORD_RESET_PER_ADDRESS = env.int("DANVAN_PASSWORD_RESET_PER_ADDRESS", default=3)
DANVAN_PASSWORD_RESET_PER_CLIENT = env.int("DANVAN_PASSWORD_RESET_PER_CLIENT", default=10)

# Statistics API: figure sets not yet cached that one client may have computed per
# minute (other days, other areas); beyond, 429 with a JSON body (docs/SECURITY.md).
DANVAN_STATS_UNCACHED_PER_MINUTE = env.int("DANVAN_STATS_UNCACHED_PER_MINUTE", default=30)

# Retention (docs/SECURITY.md): a phone number is erased once its owner has had no
# membership in force for this many years (``manage.py erase_stale_phones``, from cron).
DANVAN_PHONE_RETENTION_YEARS = env.int("DANVAN_PHONE_RETENTION_YEARS", default=5)
# A citizen's name and phone on an opinion are erased this many years after the opinion
# was closed (same command; opinions still open are never touched).
DANVAN_CITIZEN_CONTACT_RETENTION_YEARS = env.int(
    "DANVAN_CITIZEN_CONTACT_RETENTION_YEARS", default=5
)

# Largest roster file accepted for import, in bytes (docs/CONTRACTS.md, section 1).
DANVAN_IMPORT_MAX_BYTES = env.int("DANVAN_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# Rows read from one sheet at most: files saved by LibreOffice can declare a million
# empty rows (docs/DECISIONS.md, "Measured facts the code relies on").
DANVAN_IMPORT_MAX_ROWS = env.int("DANVAN_IMPORT_MAX_ROWS", default=100_000)
# A workbook is looked at before it is read (portal/workbook_guard.py, docs/SECURITY.md):
# cells holding something (and the area A1..farthest cell), zip parts, inflated size and
# compression ratio of a large part.
DANVAN_IMPORT_MAX_CELLS = env.int("DANVAN_IMPORT_MAX_CELLS", default=2_500_000)
DANVAN_IMPORT_MAX_PARTS = env.int("DANVAN_IMPORT_MAX_PARTS", default=1_000)
DANVAN_IMPORT_MAX_UNPACKED_BYTES = env.int(
    "DANVAN_IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024
)
DANVAN_IMPORT_MAX_RATIO = env.int("DANVAN_IMPORT_MAX_RATIO", default=100)
# A background job with no news for this many seconds is failed as timed out (a worker
# that died leaves it "validating" otherwise; docs/TASKS.md).
DANVAN_IMPORT_JOB_TIMEOUT = env.int("DANVAN_IMPORT_JOB_TIMEOUT", default=15 * 60)
# A commune's monthly report is due on this day of the next month; the daily
# notifications remind its officers 3 days before and once late (docs/NOTIFICATIONS.md).
DANVAN_PERIODIC_REPORT_DUE_DAY = env.int("DANVAN_PERIODIC_REPORT_DUE_DAY", default=5)
if not 1 <= DANVAN_PERIODIC_REPORT_DUE_DAY <= 28:
    raise ImproperlyConfigured("DANVAN_PERIODIC_REPORT_DUE_DAY must be a day from 1 to 28.")
# Largest attachment of a document (PDF or Word), in bytes (docs/DOCUMENTS.md).
DANVAN_DOCUMENT_MAX_BYTES = env.int("DANVAN_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)

# --- E-mail (docs/CONFIGURATION.md, docs/NOTIFICATIONS.md) ---------------------------------
# Without EMAIL_HOST nothing is sent (portal.mail.email_configured): notifications stay in
# the portal. The address of the site, for the links in the messages.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
DANVAN_SITE_URL = env.str("DANVAN_SITE_URL", default="http://127.0.0.1:8000")
