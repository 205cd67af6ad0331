"""Gongkai settings: one module, driven by environment variables.

SQLite under var/ works out of the box; set DATABASE_URL for PostgreSQL.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def envsecret(name: str, default: str | None = None) -> str | None:
    """Read a secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", False)
# Production settings are on (README: set in production); e.g. load_demo refuses to run.
GONGKAI_REQUIRE_SECRET = envbool("GONGKAI_REQUIRE_SECRET", False)
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and GONGKAI_REQUIRE_SECRET:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    # Development and tests: a stable key kept in var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key(), encoding="utf-8")
    SECRET_KEY = key_file.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    # Before the project's apps: its sign-in signal handlers count a failure before ours record it.
    "axes",
    "gongkai.core",
    "gongkai.organisation",
    "gongkai.audit",
    "gongkai.catalogue",
    "gongkai.search",
    "gongkai.portal",
    "gongkai.workbench",
    "gongkai.workdays",
    "gongkai.applications",
    "gongkai.reports",
    "gongkai.importing",
    "gongkai.demo",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "gongkai.twofactor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and CSRF, so it sees the cookies they set: public pages cacheable for a short
    # time with validators (304s); signed-in or cookie-setting responses never stored by a shared cache.
    "gongkai.core.cache_headers.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second factor: request.user.is_verified(), then no page but the TOTP step (or enrolment, when
    # required) for a signed-in account that has not passed it.
    "django_otp.middleware.OTPMiddleware",
    "gongkai.twofactor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that failed on a dropped database connection → Chinese "busy, retry" page / JSON, 503.
    "gongkai.core.dbdrops.DroppedConnectionMiddleware",
    # Last: turns a sign-in refused for too many failures into the Chinese lock-out page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

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
                "gongkai.core.context_processors.site",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections (DB_CONN_MAX_AGE seconds) are checked before each request reuses
    # them, so a connection the server dropped while idle is replaced instead of failing a request.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "gongkai.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while a writer commits; IMMEDIATE avoids
                # "database is locked" upgrades inside write transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The server's default encoding may be SQL_ASCII, which silently loses
    # Chinese text in full-text search: tests build from template0 in UTF8.
    DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisation.User"
LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses a locked account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Passwords (OWASP ASVS 2.1; GB/T 22239 level 2 identification): at least 12 characters, not one
# of the 20,000 common passwords, not all digits, not close to the account's own names. Chinese
# messages (Django's translations; gongkai.organisation.passwords where they are missing).
PASSWORD_MIN_LENGTH = envint("PASSWORD_MIN_LENGTH", 12)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "first_name", "last_name", "email")},
    },
    {
        "NAME": "gongkai.organisation.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lock-out (django-axes; gongkai.organisation.lockout). Failures are counted per account
# (any address) and per address (any account) over the lock-out period, in the database so every
# worker sees them. Reaching either limit refuses every sign-in for that account or from that
# address, right password or not, until SIGNIN_LOCKOUT_MINUTES have passed since the last failure
# (0: until a security administrator unlocks it). Unknown usernames are counted like real ones.
SIGNIN_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_ADDRESS_FAILURE_LIMIT = envint("SIGNIN_ADDRESS_FAILURE_LIMIT", 20)
SIGNIN_LOCKOUT_MINUTES = envint("SIGNIN_LOCKOUT_MINUTES", 30)
AXES_ENABLED = envbool("SIGNIN_LOCKOUT_ENABLED", True)
AXES_HANDLER = "gongkai.organisation.lockout.SigninAttemptHandler"
# Read from the SIGNIN_* settings at each attempt (so a test's override_settings holds).
AXES_FAILURE_LIMIT = "gongkai.organisation.lockout.failure_limit"
AXES_COOLOFF_TIME = "gongkai.organisation.lockout.lockout_period"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "gongkai.organisation.lockout.signin_address"
AXES_LOCKOUT_CALLABLE = "gongkai.workbench.views.signin.locked_out"
AXES_RESET_ON_SUCCESS = True  # only the account's failures from the same address (SigninAttemptHandler)
AXES_DISABLE_ACCESS_LOG = True  # sign-ins and sign-outs are in the audit trail (gongkai.audit)
AXES_ENABLE_ADMIN = False  # unlocking is the audited page gongkai.workbench.views.signin
AXES_VERBOSE = False

# Sessions end after SESSION_IDLE_MINUTES without a request (sliding: every request renews them)
# and when the browser closes. Whoever can reach the admin site always gets a browser-session
# cookie, even if SESSION_EXPIRE_AT_BROWSER_CLOSE is turned off for the rest of the staff.
# Seconds a shared cache (the nginx micro-cache, a CDN, a browser) may keep an anonymous public page,
# feed or sitemap; also how long a withdrawn item can still be served from such a cache.
GONGKAI_PUBLIC_MAX_AGE = envint("GONGKAI_PUBLIC_MAX_AGE", 60)
# The same for public attachments and annual report downloads.
GONGKAI_ATTACHMENT_MAX_AGE = envint("GONGKAI_ATTACHMENT_MAX_AGE", GONGKAI_PUBLIC_MAX_AGE)
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 8 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Project overrides of Django's catalogue: the forms' label suffix is "：", not ":".
LOCALE_PATHS = [BASE_DIR / "gongkai" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("GONGKAI_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Attachments are never served from MEDIA_URL directly: a view checks visibility.
MEDIA_URL = "/media-not-served/"

ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# Text extraction of attachments (gongkai.search.services), in a bounded child process: stop at
# any of these and keep what was read.
ATTACHMENT_TEXT_MAX_SECONDS = envint("ATTACHMENT_TEXT_MAX_SECONDS", 20)
ATTACHMENT_TEXT_MAX_MEMORY_BYTES = envint("ATTACHMENT_TEXT_MAX_MEMORY_MB", 1024) * 1024 * 1024
ATTACHMENT_TEXT_MAX_UNPACKED_BYTES = envint("ATTACHMENT_TEXT_MAX_UNPACKED_MB", 32) * 1024 * 1024
ATTACHMENT_TEXT_MAX_PAGES = envint("ATTACHMENT_TEXT_MAX_PAGES", 500)
ATTACHMENT_TEXT_MAX_CHARS = envint("ATTACHMENT_TEXT_MAX_CHARS", 200_000)
ATTACHMENT_TEXT_MAX_HIDDEN_CHARS = 100_000  # hidden parts kept for the confidentiality review
ATTACHMENT_TEXT_TICK_SECONDS = 240  # gongkai_tick's share of its 10 minutes for pending extractions
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Redirect plain HTTP to HTTPS (behind a TLS-terminating proxy set BEHIND_PROXY too).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
# The load balancer probes /healthz and /readyz over plain HTTP on the app port: never redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# HSTS whenever the site is meant to be HTTPS-only (secure cookies or the HTTPS redirect); Django
# sends it on HTTPS responses only. Subdomains and preload are opt-in: they bind every host under
# the domain, and preload cannot be undone quickly.
SECURE_HSTS_SECONDS = (
    envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600) if SESSION_COOKIE_SECURE or SECURE_SSL_REDIRECT else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# Content-Security-Policy (django-csp) on every response: scripts and styles only from static
# files of this site, no inline script, style attribute, plugin, framing or foreign form target.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Permissions-Policy (django-permissions-policy): no page needs a device or payment feature.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# How many reverse proxies we run in front of the app: the client's address is that many entries
# from the right of X-Forwarded-For (never an entry the client wrote); 0 = REMOTE_ADDR.
# gongkai.core.client.client_address reads it. BEHIND_PROXY alone means one proxy.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1 if envbool("BEHIND_PROXY", False) else 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared by every worker process (limits must hold across them), with an atomic incr; the table
    # is made by `manage.py createcachetable` (make migrate). Never LocMemCache: it is per process.
    CACHES = {
        "default": {
            "BACKEND": "gongkai.core.cache.DatabaseCache",
            "LOCATION": "gongkai_cache",
            # Culling drops entries early, counters included: keep it for real overflows only.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 10},
        }
    }

# Anonymous intake (gongkai.core.ratelimit): submissions per client address and for everyone
# together per window, for each kind of public submission (bucket).
INTAKE_LIMIT_WINDOW_SECONDS = envint("INTAKE_LIMIT_WINDOW_SECONDS", 3600)
INTAKE_LIMIT_PER_ADDRESS = envint("INTAKE_LIMIT_PER_ADDRESS", 10)
INTAKE_LIMIT_GLOBAL = envint("INTAKE_LIMIT_GLOBAL", 300)
INTAKE_LIMITS: dict[str, dict[str, int]] = {
    "applications": {
        "per_address": envint("INTAKE_APPLICATIONS_PER_ADDRESS", INTAKE_LIMIT_PER_ADDRESS),
        "global": envint("INTAKE_APPLICATIONS_GLOBAL", INTAKE_LIMIT_GLOBAL),
    },
    # complaints, opinions, comments: the general limits until set here.
}
# All files of one submission together, checked while the upload is read (nothing kept past it).
INTAKE_UPLOAD_MAX_BYTES = envint("INTAKE_UPLOAD_MAX_MB", 20) * 1024 * 1024
# The same content from the same applicant within this many seconds is the first case again.
INTAKE_DUPLICATE_WINDOW_SECONDS = envint("INTAKE_DUPLICATE_WINDOW_SECONDS", 600)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongkai@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Optional ranked search with tantivy: the directory of its index (e.g. var/tantivy, relative to the
# project); empty = off. Create it with `manage.py search_index rebuild`.
SEARCH_TANTIVY_DIR = os.environ.get("SEARCH_TANTIVY_DIR", "")

# /readyz reports the periodic run (gongkai_tick, every 10 minutes) as stale, and the site as
# "degraded", once its last finished run is older than this (gongkai.core.health).
HEALTH_TICK_MAX_AGE_SECONDS = envint("HEALTH_TICK_MAX_AGE_SECONDS", 30 * 60)

GONGKAI_PLATFORM_NAME = os.environ.get("GONGKAI_PLATFORM_NAME", "政务公开平台")
# The identifiers a government website shows in its footer (国办发〔2017〕47号 政府网站发展指引):
# 主办单位, 网站标识码, ICP备案号 and 公安机关备案号. They belong to the deployment (one site, one
# domain), like the platform's name; each line appears only when set.
GONGKAI_SITE_SPONSOR = os.environ.get("GONGKAI_SITE_SPONSOR", "").strip()
GONGKAI_SITE_CODE = os.environ.get("GONGKAI_SITE_CODE", "").strip()
GONGKAI_ICP = os.environ.get("GONGKAI_ICP", "").strip()
GONGKAI_PSB = os.environ.get("GONGKAI_PSB", "").strip()

# Second factor (TOTP, django-otp; gongkai.twofactor). Any staff account may enrol; while
# GONGKAI_2FA_REQUIRED is on, superusers and holders of GONGKAI_2FA_REQUIRED_ROLES (default: every
# role that unmasks personal data or signs off, and the three officers; see
# gongkai.core.roles.SECOND_FACTOR_ROLES) must enrol right after their password. Turn it off
# only for a trial (the `make run` demo does, and says so).
GONGKAI_2FA_REQUIRED = envbool("GONGKAI_2FA_REQUIRED", True)
GONGKAI_2FA_REQUIRED_ROLES = [
    r.strip() for r in os.environ.get("GONGKAI_2FA_REQUIRED_ROLES", "").split(",") if r.strip()
] or None  # None = SECOND_FACTOR_ROLES
OTP_TOTP_ISSUER = GONGKAI_PLATFORM_NAME
# A wrong code makes the next attempt wait 1, 2, 4, 8 … seconds (django-otp's throttling, per device).
OTP_TOTP_THROTTLE_FACTOR = envint("GONGKAI_2FA_THROTTLE_SECONDS", 1)
