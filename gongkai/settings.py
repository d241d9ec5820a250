"""Settings of gongkai, read from the environment (django-environ).

Nothing needs to be set for the demo: the defaults give a SQLite database in
``var/`` and the platform on http://127.0.0.1:8000 with DEBUG off, so a visitor
sees the Chinese error pages (a developer sets ``GONGKAI_DEBUG=1``). Production
sets at least ``GONGKAI_SECRET_KEY``, ``GONGKAI_ALLOWED_HOSTS`` and
``DATABASE_URL`` (PostgreSQL); with its own key it gets HTTPS redirects and
secure cookies unless ``GONGKAI_HTTPS=0``.
"""

from pathlib import Path

import environ

from gongkai.portal.hosts import AllowedHosts

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("GONGKAI_DEBUG", default=False)  # a developer's traceback pages: GONGKAI_DEBUG=1
DEMO_SECRET_KEY = "django-insecure-demo-key-only-for-local-use-change-me-0123456789"  # noqa: S105 - the public demo key
SECRET_KEY = env.str("GONGKAI_SECRET_KEY", default=DEMO_SECRET_KEY)
# The local demo (no key of its own) is served over plain HTTP on 127.0.0.1; an installation
# with its own key is behind HTTPS: redirects, HSTS and secure cookies.
GONGKAI_HTTPS = env.bool("GONGKAI_HTTPS", default=SECRET_KEY != DEMO_SECRET_KEY)
# The operator's hosts, then the host names offices configured for their subsites (gongkai/portal/hosts.py).
ALLOWED_HOSTS = AllowedHosts(env.list("GONGKAI_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"]))
CSRF_TRUSTED_ORIGINS = env.list("GONGKAI_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "gongkai.core.views.csrf_failure"  # a Chinese "page expired" page in the site frame
VAR_DIR = Path(env.str("GONGKAI_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, media and the page-cache stamp live here

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",  # the persistent job queue (docs/adr/0007-job-queue.md)
    "gongkai.core",
    "gongkai.records",
    "gongkai.search",
    "gongkai.applications",
    "gongkai.workplans",
    "gongkai.participation",
    "gongkai.reports",
    "gongkai.workspace",
    "gongkai.portal",
    "gongkai.ops",  # last: runs the installation (serve, demo, benchmarks); no app imports it
    "axes",  # login lockout (docs/security.md)
    "django_otp",
    "django_otp.plugins.otp_totp",  # optional TOTP second factor for staff
]

MIDDLEWARE = [
    # Outermost: serves stored public pages before anything else runs (gongkai/portal/cache.py).
    "gongkai.portal.cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gongkai.core.middleware.SecurityHeadersMiddleware",
    "gongkai.core.middleware.ActionGetMiddleware",  # a GET on a POST-only action: back to its page
    "gongkai.core.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongkai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite by default (WAL, busy timeout, IMMEDIATE transactions so concurrent
# writers queue instead of failing with "database is locked"); PostgreSQL
# through DATABASE_URL=postgres://user@host:5432/name.
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        }
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str(
        "GONGKAI_TEST_SQLITE", default=""
    ) or None
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username and address first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "gongkai" / "locale"]  # clearer wording of Django's own form messages (django.po)
USE_TZ = True  # stored in UTC, shown in Asia/Shanghai

# --- Files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "gongkai" / "static"]  # the shared site.css/site.js (not an app's static/)
STATIC_ROOT = Path(env.str("GONGKAI_STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env.str("GONGKAI_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Attachments are never served from MEDIA_URL: only the attachment view
# (through Record.objects.public()) streams them.
MEDIA_URL = "/_media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # hashed, compressed names once collected; a file not collected (tests) keeps its name
            "gongkai.core.staticfiles.StaticStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
GONGKAI_ATTACHMENT_MAX_BYTES = env.int("GONGKAI_ATTACHMENT_MAX_BYTES", default=50 * 1024 * 1024)
GONGKAI_ATTACHMENT_EXTENSIONS = env.list(
    "GONGKAI_ATTACHMENT_EXTENSIONS",
    default=[
        "pdf", "doc", "docx", "wps", "ofd", "xls", "xlsx", "et", "csv", "txt",
        "jpg", "jpeg", "png", "zip", "rar",
    ],
)

# --- Records ---------------------------------------------------------------
# Index number (索引号) format; placeholders: {code} organ code, {year}, {month}, {serial}.
GONGKAI_INDEX_NO_FORMAT = env.str("GONGKAI_INDEX_NO_FORMAT", default="{code}/{year}-{serial:05d}")

# --- Applications (依申请公开) and public URLs ----------------------------------------
GONGKAI_SITE_URL = env.str("GONGKAI_SITE_URL", default="http://127.0.0.1:8000")

# 政务公开地图 (docs/map.md): no tile server by default, so the map page is a list and requests nothing
# from outside. An office sets its 天地图 URL with its key (tk=…) or its own tiles; GONGKAI_MAP_CRS is
# "gcj02" for tiles drawn in GCJ-02 (高德, 腾讯), "wgs84" otherwise. The tile host is added to the CSP.
GONGKAI_MAP_TILE_URL = env.str("GONGKAI_MAP_TILE_URL", default="")
GONGKAI_MAP_TILE_ATTRIBUTION = env.str("GONGKAI_MAP_TILE_ATTRIBUTION", default="")
GONGKAI_MAP_CRS = env.str("GONGKAI_MAP_CRS", default="wgs84")
GONGKAI_MAP_CENTER = env.str("GONGKAI_MAP_CENTER", default="")  # "lat,lng" when there are no places yet
# Read API (docs/adr/0010-public-api.md): requests per minute per client; keys as JSON {"key": "who"}.
GONGKAI_API_RATE = env.int("GONGKAI_API_RATE", default=600)
GONGKAI_API_KEY_RATE = env.int("GONGKAI_API_KEY_RATE", default=6000)
GONGKAI_API_KEYS = env.json("GONGKAI_API_KEYS", default={})
GONGKAI_APPLICATION_DUE_SOON_WORKDAYS = env.int("GONGKAI_APPLICATION_DUE_SOON_WORKDAYS", default=5)
GONGKAI_APPLICATION_RETENTION_DAYS = env.int("GONGKAI_APPLICATION_RETENTION_DAYS", default=5 * 365)
GONGKAI_APPLY_CHALLENGE_AFTER = env.int("GONGKAI_APPLY_CHALLENGE_AFTER", default=3)
GONGKAI_APPLY_RATE_LIMIT = env.int("GONGKAI_APPLY_RATE_LIMIT", default=20)
# The message box (留言): the arithmetic question after N messages per address in an hour, refused after M.
GONGKAI_MESSAGE_CHALLENGE_AFTER = env.int("GONGKAI_MESSAGE_CHALLENGE_AFTER", default=2)
GONGKAI_MESSAGE_RATE_LIMIT = env.int("GONGKAI_MESSAGE_RATE_LIMIT", default=10)

# --- E-mail --------------------------------------------------------------
# Without GONGKAI_EMAIL_URL (the demo, a developer's machine) nothing is sent: each mail is
# written to a file in var/mail/ instead of over the terminal (`gongkai serve` says where).
if env.str("GONGKAI_EMAIL_URL", default=""):
    EMAIL_CONFIG = env.email_url("GONGKAI_EMAIL_URL")
    vars().update(EMAIL_CONFIG)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("GONGKAI_DEFAULT_FROM_EMAIL", default="gongkai@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background jobs (docs/adr/0007-job-queue.md) ------------------------------
# The database queue by default (SQLite and PostgreSQL alike; `gongkai worker` runs it,
# `gongkai serve` starts one); GONGKAI_TASKS=immediate runs every job in the calling process.
# No RQ/Redis queue: the worker, its requeue of a dead worker's tasks, /readyz and /metrics read
# the database queue (docs/adr/0017-database-queue-in-production.md).
_TASK_BACKENDS = {
    "database": "django_tasks_db.backend.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_TASKS_CHOICE = env.str("GONGKAI_TASKS", default="database").strip().lower()
if _TASKS_CHOICE not in _TASK_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"GONGKAI_TASKS 的值“{_TASKS_CHOICE}”无效：只能是 database（数据库队列，默认）或 immediate"
        "（在调用进程中立即执行）。不支持 RQ/Redis 队列，见 docs/adr/0017-database-queue-in-production.md。")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_TASKS_CHOICE]}}
GONGKAI_PUBLISH_INTERVAL = env.int("GONGKAI_PUBLISH_INTERVAL", default=30)  # seconds between publish checks
GONGKAI_JOB_RETRIES = env.int("GONGKAI_JOB_RETRIES", default=5)
GONGKAI_JOB_BACKOFF = env.int("GONGKAI_JOB_BACKOFF", default=30)  # seconds before the first retry, doubling
GONGKAI_JOB_TIMEOUT = env.int("GONGKAI_JOB_TIMEOUT", default=60)  # a worker silent this long is dead: requeue its task
# Only gongkai bench cluster sets this: its worker fault's pause point (gongkai/ops/faults.py); never in production.
GONGKAI_FAULT_PAUSE_DIR = env.str("GONGKAI_FAULT_PAUSE_DIR", default="")
GONGKAI_FAULT_PAUSE_SECONDS = env.float("GONGKAI_FAULT_PAUSE_SECONDS", default=120)

# --- Cache -------------------------------------------------------------------
# locmem in the embedded default; GONGKAI_CACHE_URL=redis://host:6379/0 shares one cache (rate
# limits, page-cache generations and, then, sessions) between all app servers.
CACHES = {"default": env.cache("GONGKAI_CACHE_URL", default="locmemcache://gongkai")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    SESSION_ENGINE = "gongkai.ops.sessions"  # cached_db that falls back to the database when Redis is down
    # redis-py waits without limit by default. A Redis host that hangs (powered off, dropped packets)
    # costs each cache call at most GONGKAI_CACHE_TIMEOUT seconds to connect or to answer, and the
    # call is not retried: the page is rendered without the cache. (A restarted or stopped Redis
    # refuses the connection at once and costs nothing; a slow loaded Redis past this bound counts as
    # down for that call.) A URL's own options (?socket_timeout=…) win.
    _redis_timeout = env.float("GONGKAI_CACHE_TIMEOUT", default=0.5)
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    _redis_options.setdefault("socket_connect_timeout", _redis_timeout)
    _redis_options.setdefault("socket_timeout", _redis_timeout)
    _redis_options.setdefault("retry_on_timeout", False)
# Rate limits (gongkai/core/throttle.py) count in the "throttle" cache, which every process must
# share: the default cache when it is one between processes (Redis), else a SQLite file under
# VAR_DIR (gongkai/core/sharedcache.py), so gunicorn's N workers do not allow N times the attempts.
if CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in {"LocMemCache", "DummyCache"}:
    CACHES["throttle"] = {"BACKEND": "gongkai.core.sharedcache.SQLiteCache",
                          "LOCATION": env.str("GONGKAI_THROTTLE_FILE", default=str(VAR_DIR / "throttle.sqlite3"))}
else:
    CACHES["throttle"] = dict(CACHES["default"])
# Page cache of the public portal (pages per process; per-key generations in the shared cache
# when there is one, else in files beside GONGKAI_PAGE_CACHE_FILE; docs/adr/0008).
GONGKAI_PAGE_CACHE = env.bool("GONGKAI_PAGE_CACHE", default=True)
GONGKAI_PAGE_CACHE_SECONDS = env.int("GONGKAI_PAGE_CACHE_SECONDS", default=300)
# The site search's result pages follow the records they show (a withdrawal drops them at once), not
# every publication: a new record appears in anonymous results within this many seconds (ADR 0018).
GONGKAI_PAGE_CACHE_QUERY_SECONDS = env.int("GONGKAI_PAGE_CACHE_QUERY_SECONDS", default=60)
GONGKAI_PAGE_CACHE_FILE = env.str("GONGKAI_PAGE_CACHE_FILE", default=str(VAR_DIR / "portal-generation"))
GONGKAI_PAGE_CACHE_GENERATIONS = env.str("GONGKAI_PAGE_CACHE_GENERATIONS", default="auto")  # auto | cache | file
# With Redis, rendered pages are shared by every process (one render per change for the cluster);
# a process that misses waits this long for the render another has begun.
GONGKAI_PAGE_CACHE_SHARED = env.bool("GONGKAI_PAGE_CACHE_SHARED", default=True)
GONGKAI_PAGE_CACHE_WAIT = env.float("GONGKAI_PAGE_CACHE_WAIT", default=1.0)

# --- Security ----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and GONGKAI_HTTPS:
    SECURE_SSL_REDIRECT = env.bool("GONGKAI_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("GONGKAI_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Proxies in front of the application (addresses or networks, e.g. "10.0.0.5,10.1.0.0/16"):
# X-Forwarded-For is honoured only from them, by every throttle and the login lockout.
GONGKAI_TRUSTED_PROXIES = env.list("GONGKAI_TRUSTED_PROXIES", default=[])
# The Django admin lives at this path (not the well-known /admin/ in production).
GONGKAI_ADMIN_PATH = env.str("GONGKAI_ADMIN_PATH", default="admin/").strip("/") + "/"
# Staff sessions end when the browser closes, and after this many seconds without a request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
GONGKAI_STAFF_IDLE_SECONDS = env.int("GONGKAI_STAFF_IDLE_SECONDS", default=8 * 3600)
SESSION_COOKIE_AGE = GONGKAI_STAFF_IDLE_SECONDS
SESSION_COOKIE_SAMESITE = "Lax"
# Two-factor sign-in (TOTP, django-otp): staff may enrol; when this is on, platform admins
# (superusers) must sign in with a second factor before they reach the workspace or the admin.
GONGKAI_REQUIRE_2FA = env.bool("GONGKAI_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = env.str("GONGKAI_OTP_ISSUER", default="政务公开平台")

# Login lockout (django-axes): GONGKAI_LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one client address lock that pair out for GONGKAI_LOGIN_COOLOFF_MINUTES; an admin unlocks it
# by deleting its row under “访问尝试” in the admin (or `manage.py axes_reset`).
AXES_FAILURE_LIMIT = env.int("GONGKAI_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("GONGKAI_LOGIN_COOLOFF_MINUTES", default=60) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "gongkai.core.throttle.client_ip"
AXES_VERBOSE = False
# Attempts and lockouts are rows of the application database (axes' database handler, named here so
# it is not swapped for its cache handler, whose counts would be per process with locmem).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Content-Security-Policy (django-csp): scripts only from this site, no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Charts (ECharts) set style attributes from script; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("GONGKAI_LOG_LEVEL", default="WARNING")},
}

# --- Production profile: several servers (docs/deploy.md) -----------------------------
# Request ids, metrics, read-replica routing and X-Accel attachments (gongkai/ops/).
MIDDLEWARE = [
    "gongkai.ops.observability.RequestIdMiddleware",
    "gongkai.ops.observability.MetricsMiddleware",
    "gongkai.ops.observability.ProbeMiddleware",  # /healthz, /readyz, /metrics: no host check, no HTTPS redirect
    *MIDDLEWARE[:1],  # the page cache
    "gongkai.ops.replica.ReplicaMiddleware",
    "gongkai.ops.observability.XAccelMiddleware",
    "gongkai.ops.idempotency.IdempotencyMiddleware",  # a retried form submission is answered once
    *MIDDLEWARE[1:],
]
GONGKAI_METRICS_IPS = env.list("GONGKAI_METRICS_IPS", default=["127.0.0.1", "::1"])
GONGKAI_READY_MAX_QUEUE_LAG = env.int("GONGKAI_READY_MAX_QUEUE_LAG", default=300)
# Behind nginx: attachments are sent by nginx from this internal location (deploy/nginx.conf).
GONGKAI_X_ACCEL_PREFIX = env.str("GONGKAI_X_ACCEL_PREFIX", default="")
# A streaming replica for anonymous public reads (PostgreSQL only; SQLite ignores it).
if env.str("GONGKAI_REPLICA_URL", default="") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["replica"] = env.db("GONGKAI_REPLICA_URL")
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    # A replica host that is down without refusing (powered off, dropped packets, hung) must cost a
    # public read seconds, not the minutes of TCP's own retries: then it is skipped for the primary.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("GONGKAI_REPLICA_CONNECT_TIMEOUT", default=2))
    DATABASES["replica"].setdefault("TEST", {})["MIRROR"] = "default"
    DATABASE_ROUTERS = ["gongkai.ops.replica.ReplicaRouter"]
GONGKAI_REPLICA_MAX_LAG = env.float("GONGKAI_REPLICA_MAX_LAG", default=10.0)  # seconds; beyond: primary
GONGKAI_REPLICA_PIN_SECONDS = env.int("GONGKAI_REPLICA_PIN_SECONDS", default=5)  # read-your-writes
# PgBouncer in transaction mode: no server-side cursors and no prepared statements (both live in a
# server session, which transaction pooling hands to another client after each transaction).
if env.bool("GONGKAI_PGBOUNCER", default=False):
    for _db in DATABASES.values():
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
        if _db["ENGINE"].endswith("postgresql"):
            _db.setdefault("OPTIONS", {})["prepare_threshold"] = None
# Media on S3-compatible object storage (django-storages; `pip install gongkai[s3]`).
if env.str("GONGKAI_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("GONGKAI_S3_BUCKET"),
            "endpoint_url": env.str("GONGKAI_S3_ENDPOINT", default="") or None,
            "region_name": env.str("GONGKAI_S3_REGION", default="") or None,
            "access_key": env.str("GONGKAI_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("GONGKAI_S3_SECRET_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Structured logs: one JSON object a line with the request id (GONGKAI_LOG_JSON=1).
LOGGING["filters"] = {"request_id": {"()": "gongkai.ops.observability.RequestIdFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
if env.bool("GONGKAI_LOG_JSON", default=False):
    LOGGING["formatters"] = {"json": {"()": "gongkai.ops.observability.JsonFormatter"}}
    LOGGING["handlers"]["console"]["formatter"] = "json"
