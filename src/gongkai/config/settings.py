"""Django settings, all from the environment with safe embedded defaults.

Embedded mode (the default): SQLite in WAL mode under ``GONGKAI_DATA_DIR``
(default ``./data``), a random local secret key kept in the data folder, DEBUG off (users see the
Chinese error pages, never a traceback; set ``DEBUG=1`` while developing).  Production mode
(``GONGKAI_ENV=production``) refuses to start without a real ``SECRET_KEY``.
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from gongkai.config.objectstorage import s3_storage_from_env
from gongkai.core.hosts import SiteHosts

BASE_DIR = Path(__file__).resolve().parent.parent  # src/gongkai
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", Path.cwd() / "data")).resolve()

# The embedded mode keeps everything (SQLite file, uploads, static files) here.
DATA_DIR.mkdir(parents=True, exist_ok=True)

ENV = os.environ.get("GONGKAI_ENV", "development")
PRODUCTION = ENV == "production"
# Off by default even in embedded mode: a clerk must never see a traceback or
# the URL list of a debug 404 page.
DEBUG = os.environ.get("DEBUG", "0") == "1" and not PRODUCTION

_INSECURE_KEY = "gongkai-embedded-development-key-not-for-production"


def _embedded_secret_key(data_dir: Path) -> str:
    """A random key made on first start and kept (mode 0600) in the data folder,
    so no two embedded installations share a key and sessions cannot be forged.

    Written to a temporary file and linked into place, so a concurrent reader
    sees either no file or the whole key; never falls back to a known value.
    """
    path = data_dir / "secret_key"
    for _ in range(3):
        try:
            key = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            key = ""
        if len(key) >= 50:
            return key
        if path.exists():  # empty or damaged: replace it
            path.unlink(missing_ok=True)
        tmp = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)  # fails if another process was first: read theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    raise ImproperlyConfigured(
        f"无法在 {path} 生成或读取本机密钥，请检查数据目录权限，或设置环境变量 SECRET_KEY。"
    )


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "生产模式必须设置环境变量 SECRET_KEY（至少 50 个随机字符）。"
            " Production mode requires the SECRET_KEY environment variable."
        )
    SECRET_KEY = _embedded_secret_key(DATA_DIR)
elif PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _INSECURE_KEY):
    raise ImproperlyConfigured("SECRET_KEY 太短或是默认值，请设置至少 50 个随机字符。")

# The operator's hosts; a body's own host (Organization.site_host) is accepted
# too, for its request only, once SiteHostMiddleware found it in the table.
ALLOWED_HOSTS = SiteHosts(
    h.strip()
    for h in os.environ.get(
        "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
)
# Absolute links to a body's own host use https when the platform does.
GONGKAI_SITE_HOSTS_HTTPS = PRODUCTION and os.environ.get("GONGKAI_HTTPS", "1") == "1"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "gongkai.organizations",
    "gongkai.audit",
    "gongkai.platform",
    "gongkai.workcal",
    "gongkai.disclosure",
    "gongkai.applications",
    "gongkai.appeals",
    "gongkai.reports",
    "gongkai.search",
    "gongkai.portal",
    "gongkai.external",
    "gongkai.inquiries",
    "gongkai.consultations",
    "gongkai.urging",
    "gongkai.jobs",
    "gongkai.notifications",
]

MIDDLEWARE = [
    # First: refuses unknown hosts (400) before anything reads the host, and
    # serves a body's own host name (gongkai.portal.sites).
    "gongkai.portal.sites.SiteHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gongkai.config.security.ContentSecurityPolicyMiddleware",  # strict CSP on HTML pages
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous public GETs read from DATABASE_REPLICA_URL when it is set.
    "gongkai.portal.replica.ReplicaReadMiddleware",
    # An account an administrator opened changes its password before anything else.
    "gongkai.organizations.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.config.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"

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
                "gongkai.platform.context_processors.backoffice",
                "gongkai.notifications.context_processors.unread",
                "gongkai.portal.sites.canonical",
            ],
        },
    },
]

# --- Database: SQLite (WAL) embedded, PostgreSQL via DATABASE_URL ----------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "gongkai.sqlite3",
            "OPTIONS": {
                # WAL lets the portal read while the back office writes;
                # IMMEDIATE avoids "database is locked" on upgrade from read.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # Keep a worker's connection between requests: opening one runs the
            # PRAGMAs above and cost ~10 ms a request (a cached public page ~1 ms).
            # A restore asks for a restart (platform.backup), which closes them.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# DATABASE_REPLICA_URL: a PostgreSQL streaming replica for the reads of
# anonymous public pages (gongkai.portal.replica); everything else: the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured(
            "设置 DATABASE_REPLICA_URL 时也须设置主库 DATABASE_URL。"
            " DATABASE_REPLICA_URL needs DATABASE_URL (the primary)."
        )
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the same test database
    DATABASE_ROUTERS = ["gongkai.portal.replica.ReplicaRouter"]

# --- Background jobs (docs/jobs.md) ----------------------------------------
# GONGKAI_JOB_QUEUE=inline (default, embedded): a job runs in-process after its
# transaction commits and `gongkai serve` runs the daily jobs itself.
# GONGKAI_JOB_QUEUE=postgres: procrastinate's queue in PostgreSQL, run by
# `gongkai jobs worker` processes, daily jobs scheduled by the queue.
GONGKAI_JOB_QUEUE = os.environ.get("GONGKAI_JOB_QUEUE", "").strip() or "inline"
_ON_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if GONGKAI_JOB_QUEUE not in {"inline", "postgres"}:
    raise ImproperlyConfigured(
        f"环境变量 GONGKAI_JOB_QUEUE 应为 inline 或 postgres，现为“{GONGKAI_JOB_QUEUE}”。"
        " GONGKAI_JOB_QUEUE must be inline or postgres."
    )
if GONGKAI_JOB_QUEUE == "postgres" and not _ON_POSTGRESQL:
    raise ImproperlyConfigured(
        "GONGKAI_JOB_QUEUE=postgres 需要 PostgreSQL 数据库，请设置 DATABASE_URL=postgres://…。"
        " The postgres job queue requires DATABASE_URL to be a PostgreSQL database."
    )
if _ON_POSTGRESQL:
    # procrastinate's tables (its migrations are PostgreSQL SQL), so `gongkai
    # jobs status` works and the queue can be switched on without a migration.
    INSTALLED_APPS.append("procrastinate.contrib.django")
# gongkai.jobs finds each app's tasks.py and registers the jobs itself.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = None
PROCRASTINATE_ON_APP_READY = "gongkai.jobs.queue.on_app_ready"
# Seconds before a failed job's first retry (then ×10): docs/jobs.md.
_retry_raw = os.environ.get("GONGKAI_JOB_RETRY_SECONDS", "").strip() or "10"
if not _retry_raw.isdigit():
    raise ImproperlyConfigured(
        f"环境变量 GONGKAI_JOB_RETRY_SECONDS 应为非负整数，现为“{_retry_raw}”。"
        " GONGKAI_JOB_RETRY_SECONDS must be a whole number of seconds."
    )
GONGKAI_JOB_RETRY_SECONDS = int(_retry_raw)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's ModelBackend behind the failed-log-in throttle (every log-in form,
# the Django admin's included); the limits are below under "Rate limits".
AUTHENTICATION_BACKENDS = ["gongkai.organizations.backends.ThrottledModelBackend"]
LOGIN_URL = "organizations:login"
LOGIN_REDIRECT_URL = "organizations:dashboard"
LOGOUT_REDIRECT_URL = "organizations:login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # shared css/js under static/gongkai/
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request if it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads live outside any web root and are only ever served by a view that
# checks permission and sends them as downloads.
MEDIA_ROOT = DATA_DIR / "uploads"
# No URL pattern serves this prefix (uploads go out through
# gongkai.uploads.download_response); it only has to be a string because
# Django's test live server wraps it.
MEDIA_URL = "/uploads-are-never-served-directly/"
UPLOAD_MAX_BYTES = int(os.environ.get("GONGKAI_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# GONGKAI_S3_BUCKET (and GONGKAI_S3_ENDPOINT_URL, _ACCESS_KEY, _SECRET_KEY,
# _REGION, _ADDRESSING_STYLE, _PREFIX): every file the platform keeps goes to
# S3-compatible object storage (阿里云 OSS, 华为 OBS, MinIO), shared by every app
# server; see gongkai/config/objectstorage.py.  Without it: MEDIA_ROOT above.
_S3_STORAGE = s3_storage_from_env(os.environ, memory_bytes=FILE_UPLOAD_MAX_MEMORY_SIZE)
if _S3_STORAGE:
    STORAGES["default"] = _S3_STORAGE

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx/vanilla JS reads it for POSTs
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = os.environ.get("GONGKAI_HTTPS", "1") == "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (nginx), so
    # Django knows the request was HTTPS (CSRF origin checks depend on it).
    if os.environ.get("GONGKAI_PROXY_SSL_HEADER", "0") == "1":
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("GONGKAI_SSL_REDIRECT", "0") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", "0"))

# --- Applications ----------------------------------------------------------
# 国办函〔2020〕109号: the time between a fee notice and payment is not counted
# in the reply period (a "verify" rule in the regulations digest): on by
# default, GONGKAI_FEE_PAUSES_CLOCK=0 turns it off.
GONGKAI_FEE_PAUSES_CLOCK = os.environ.get("GONGKAI_FEE_PAUSES_CLOCK", "1") != "0"

# 统一受理（集约化）, docs/decisions.md D63.  The answering body's 收到申请之日
# (条例第三十一条): "platform" = the day the county's unified platform received
# the application (default), "signed" = the day the answering body signed for it.
# The county's deadline to dispatch, in working days (a local management rule,
# not the 条例's).  Each county may override both on its 统一受理设置 page.
GONGKAI_INTAKE_CLOCK_START = os.environ.get("GONGKAI_INTAKE_CLOCK_START", "platform")
if GONGKAI_INTAKE_CLOCK_START not in ("platform", "signed"):
    raise ImproperlyConfigured('GONGKAI_INTAKE_CLOCK_START must be "platform" or "signed".')

# --- E-mail (notifications, docs/notifications.md): only when an SMTP server is configured
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
# Implicit TLS (port 465); Django refuses both at once.
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS 与 EMAIL_USE_SSL 只能设置其一。 Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both."
    )
# Seconds before an unanswering SMTP server fails the send (the job retries).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongkai@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.locmem.EmailBackend"
)

# --- Cache: the log-in throttle's and the rate limits' counters -----------
# REDIS_URL (redis://host:6379/0, rediss://… for TLS, unix:///path.sock):
# Django's RedisCache, one cache for every worker process, so the limits hold
# across gunicorn workers (the 集约化 platform, issue #13, uses the same Redis
# for sessions, locks and jobs).  Without it: the per-process LocMem cache of
# the embedded mode, right for its one process; production with several
# workers and no REDIS_URL logs a warning at start (gongkai.platform.apps).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"环境变量 REDIS_URL 应以 redis://、rediss:// 或 unix:// 开头，现为“{REDIS_URL}”。"
            " REDIS_URL must be a redis://, rediss:// or unix:// URL."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gongkai",
            # A Redis that stops answering fails a request after seconds, not never.
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gongkai",
        }
    }

# Sessions: with Redis, cached_db — reads come from Redis, every write also
# goes to the database, so a restarted (or emptied) Redis logs nobody out and
# any app server serves any session.  Without it: database sessions.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)


# --- Public page cache (gongkai.portal.pagecache, docs/portal.md) -----------
# Whole public pages in the "default" cache, keyed by versions that every change
# replaces; GONGKAI_PAGE_CACHE=0 renders every request (the benchmark's baseline).
PORTAL_PAGE_CACHE = os.environ.get("GONGKAI_PAGE_CACHE", "1").strip() != "0"


# --- Rate limits and log-in throttling (counted in the "default" cache) -----
# With several worker processes the limits hold across them only when that
# cache is shared (REDIS_URL above); LocMem counts per process.


def _int_env(name: str, default: int, *, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ImproperlyConfigured(
            f"环境变量 {name} 应为不小于 {minimum} 的整数，现为“{raw}”。"
            f" {name} must be an integer >= {minimum}."
        )
    return value


def _rate_env(name: str, default: tuple[int, int]) -> tuple[int, int]:
    """``"<requests>/<seconds>"``, e.g. ``GONGKAI_RATE_APPLY=10/3600``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    count, _, seconds = raw.partition("/")
    try:
        parsed = (int(count), int(seconds))
    except ValueError:
        parsed = (0, 0)
    if parsed[0] < 1 or parsed[1] < 1:
        raise ImproperlyConfigured(
            f"环境变量 {name} 应写成“次数/秒数”（例如 10/3600），现为“{raw}”。"
            f" {name} must look like <requests>/<seconds>, e.g. 10/3600."
        )
    return parsed


# Trusted reverse proxies in front of the app (nginx = 1).  0: X-Forwarded-For
# is ignored, since any client can write it; see organizations/throttle.py.
GONGKAI_PROXY_COUNT = _int_env("GONGKAI_PROXY_COUNT", 0, minimum=0)
# Portal: online applications and status look-ups per client address.
GONGKAI_RATE_LIMITS = {
    "apply": _rate_env("GONGKAI_RATE_APPLY", (10, 3600)),
    "status": _rate_env("GONGKAI_RATE_STATUS", (30, 600)),
    # 政民互动: questions asked on the portal (docs/inquiries.md).
    "inquiry": _rate_env("GONGKAI_RATE_INQUIRY", (5, 3600)),
    # 意见征集: online comments per client address.
    "comment": _rate_env("GONGKAI_RATE_COMMENT", (5, 3600)),
    # 电子送达: downloads from the status page's links (docs/applications.md).
    "download": _rate_env("GONGKAI_RATE_DOWNLOAD", (60, 600)),
}
# 电子送达: hours a download link on the status page works (docs/applications.md).
GONGKAI_DELIVERY_LINK_HOURS = _int_env("GONGKAI_DELIVERY_LINK_HOURS", 24, minimum=1)
# 统一受理: the county's own deadline for 分办 (a local management rule, D63).
GONGKAI_INTAKE_DISPATCH_DAYS = _int_env("GONGKAI_INTAKE_DISPATCH_DAYS", 1, minimum=1)
# The largest 图解 image of a policy interpretation (D67).
GONGKAI_FIGURE_MAX_BYTES = _int_env("GONGKAI_FIGURE_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# Failed log-ins: this many within GONGKAI_LOGIN_LOCKOUT_SECONDS lock the user
# name (or the client address) for GONGKAI_LOGIN_LOCKOUT_SECONDS.
GONGKAI_LOGIN_FAILURES_PER_USER = _int_env("GONGKAI_LOGIN_FAILURES_PER_USER", 5, minimum=1)
GONGKAI_LOGIN_FAILURES_PER_IP = _int_env("GONGKAI_LOGIN_FAILURES_PER_IP", 20, minimum=1)
GONGKAI_LOGIN_LOCKOUT_SECONDS = _int_env("GONGKAI_LOGIN_LOCKOUT_SECONDS", 900, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# --- Notifications (docs/notifications.md) ------------------------------------
# Absolute links in e-mail and SMS (https://gongkai.example.gov.cn); empty: paths only.
GONGKAI_SITE_URL = os.environ.get("GONGKAI_SITE_URL", "").strip().rstrip("/")
# SMS: console (default, embedded: into the log), file (JSON lines), aliyun.
GONGKAI_SMS_BACKEND = os.environ.get("GONGKAI_SMS_BACKEND", "").strip() or "console"
if GONGKAI_SMS_BACKEND not in {"console", "file", "aliyun"}:
    raise ImproperlyConfigured(
        f"环境变量 GONGKAI_SMS_BACKEND 应为 console、file 或 aliyun，现为“{GONGKAI_SMS_BACKEND}”。"
        " GONGKAI_SMS_BACKEND must be console, file or aliyun."
    )
GONGKAI_SMS_FILE = os.environ.get("GONGKAI_SMS_FILE", "").strip() or str(DATA_DIR / "sms.jsonl")
GONGKAI_SMS_ACCESS_KEY_ID = os.environ.get("GONGKAI_SMS_ACCESS_KEY_ID", "")
GONGKAI_SMS_ACCESS_KEY_SECRET = os.environ.get("GONGKAI_SMS_ACCESS_KEY_SECRET", "")
GONGKAI_SMS_SIGN_NAME = os.environ.get("GONGKAI_SMS_SIGN_NAME", "")
GONGKAI_SMS_TEMPLATE_CODE = os.environ.get("GONGKAI_SMS_TEMPLATE_CODE", "")
GONGKAI_SMS_ENDPOINT = (
    os.environ.get("GONGKAI_SMS_ENDPOINT", "").strip() or "https://dysmsapi.aliyuncs.com/"
)
GONGKAI_SMS_REGION = os.environ.get("GONGKAI_SMS_REGION", "").strip() or "cn-hangzhou"
GONGKAI_SMS_TIMEOUT = _int_env("GONGKAI_SMS_TIMEOUT", 10, minimum=1)
if GONGKAI_SMS_BACKEND == "aliyun":
    _sms_missing = [
        name
        for name in (
            "GONGKAI_SMS_ACCESS_KEY_ID",
            "GONGKAI_SMS_ACCESS_KEY_SECRET",
            "GONGKAI_SMS_SIGN_NAME",
            "GONGKAI_SMS_TEMPLATE_CODE",
        )
        if not globals()[name]
    ]
    if _sms_missing:
        raise ImproperlyConfigured(
            "GONGKAI_SMS_BACKEND=aliyun 需要设置 " + "、".join(_sms_missing) + "。"
            " The aliyun SMS backend needs " + ", ".join(_sms_missing) + "."
        )
# Staff reminders: "due soon" this many working days before the reply deadline.
GONGKAI_DUE_SOON_WORKDAYS = _int_env("GONGKAI_DUE_SOON_WORKDAYS", 3, minimum=1)
# Messages held for quiet hours leave at this local time every day (HH:MM).
_release_raw = os.environ.get("GONGKAI_NOTIFY_RELEASE_AT", "").strip() or "08:00"
try:
    GONGKAI_NOTIFY_RELEASE_AT = datetime.time.fromisoformat(_release_raw)
except ValueError:
    raise ImproperlyConfigured(
        f"环境变量 GONGKAI_NOTIFY_RELEASE_AT 应写成“时:分”（例如 08:00），现为“{_release_raw}”。"
        " GONGKAI_NOTIFY_RELEASE_AT must look like 08:00."
    ) from None
