"""Settings for 校园后勤. Every value that differs between machines comes from the environment."""
import datetime
import os
from pathlib import Path

import csp.constants as csp
import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.smart_cast = False  # a typo in an env var must fail loudly, not be guessed at
# A developer's checkout may hold a .env (make writes one with DEBUG=true); production sets real
# environment variables, which always win over the file.
if env.str("ENV_FILE", default=""):
    environ.Env.read_env(env.str("ENV_FILE"))
elif (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# pytest (8.2+) sets PYTEST_VERSION, so a bare `pytest` gets test settings too.
TESTING = env.bool("TESTING", default="PYTEST_VERSION" in os.environ)

if DEBUG or TESTING:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY")  # required in production: fail loudly when missing

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "logistics",
    "assets",
    "canteen",
    "safety",
    "finance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "logistics.middleware.RequestSizeLimitMiddleware",  # before anything reads a body (sessions, CSRF)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "logistics.headers.ContentSecurityPolicyMiddleware",
    "logistics.headers.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "logistics.accounts.sessions.IdleTimeoutMiddleware",
    # django-axes: last, as its documentation says (it turns a lockout into the page that says how long to wait)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "logistics.urls"
WSGI_APPLICATION = "logistics.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "logistics.context_processors.school",
            ],
        },
    },
]

# With no DATABASE_URL the app runs on a SQLite file (the embedded default for trying it);
# production and CI use PostgreSQL through psycopg 3, e.g. postgres://user@host:5432/logistics
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=DATABASES["default"].get("CONN_MAX_AGE", 0))
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# A database that stops answering: bounded waits, so a page gives the error page (and /healthz 503) within
# seconds instead of hanging until gunicorn kills the worker, and the app recovers by itself when the database is
# back (a persistent connection found broken is dropped at the next request: CONN_HEALTH_CHECKS). Seconds; 0 = no
# limit. DB_CONNECT_TIMEOUT bounds connecting and the server's first answer; DB_TCP_USER_TIMEOUT how long sent
# data may stay unacknowledged (a cable pulled, a machine gone) and, with keepalives, how long a silent peer is
# trusted. The statement and idle-in-transaction timeouts hold for web processes (gunicorn, runserver, tests);
# management commands — migrate, seed_demo --size large, the job worker db_worker — use DB_COMMAND_STATEMENT_TIMEOUT
# (none by default), so long jobs are not cut. A pooler in transaction mode (pgbouncer) refuses startup options:
# set both statement timeouts to 0 there and set them on the pooler's side.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The stamp and a user's roles, read on every request, are prepared once per connection (logistics.prepared). A
# pooler in transaction mode hands each transaction another server connection, where the prepared query is
# unknown: set DB_PREPARED_QUERIES=false there.
DB_PREPARED_QUERIES = env.bool("DB_PREPARED_QUERIES", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    import sys

    _argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("")
    _runs_command = (_argv0.name in ("manage.py", "django-admin")
                    or (_argv0.name == "__main__.py" and _argv0.parent.name == "django")) \
        and sys.argv[1:2] != ["runserver"]
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3))
    _tcp_user_timeout = env.int("DB_TCP_USER_TIMEOUT", default=10)
    if _tcp_user_timeout:
        _db_options.setdefault("tcp_user_timeout", _tcp_user_timeout * 1000)
        _db_options.setdefault("keepalives", 1)
        _db_options.setdefault("keepalives_idle", 30)
        _db_options.setdefault("keepalives_interval", 10)
        _db_options.setdefault("keepalives_count", 3)
    # The test suite is no web process either: a test database dropped at the end of a loaded run, or a test
    # that lays out a long PDF inside its transaction, must not be cut (tests/logistics/test_db_faults.py
    # checks the timeouts of a served app).
    if _runs_command or (TESTING and not env.bool("DB_TIMEOUTS_IN_TESTS", default=False)):
        _statement_timeout, _idle_timeout = env.int("DB_COMMAND_STATEMENT_TIMEOUT", default=0), 0
    else:
        _statement_timeout = env.int("DB_STATEMENT_TIMEOUT", default=20)
        _idle_timeout = env.int("DB_IDLE_IN_TRANSACTION_TIMEOUT", default=60)
    _server_options = [f"-c statement_timeout={_statement_timeout}s" if _statement_timeout else "",
                       f"-c idle_in_transaction_session_timeout={_idle_timeout}s" if _idle_timeout else ""]
    if any(_server_options) and "options" not in _db_options:
        _db_options["options"] = " ".join(o for o in _server_options if o)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (figures of the home dashboards, the register's totals and rows …; logistics.freshness): each
# process keeps its own by default — a result is valid under the database's stamp, read once a request, so web
# processes and workers on one machine or several never serve each other stale results, and a hit costs no
# query. CACHE_URL picks a shared one instead: dbcache://logistics_cache (its table is made by logistics'
# migration 0008), rediscache://…
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://logistics")}
CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 2000)

# Background jobs (logistics.jobs): queued in the database, so a worker (`manage.py db_worker`, started by
# `make run`) on any machine that reaches it runs them, with no extra server. TASKS_BACKEND=immediate runs each
# job inside the request that starts it (tests, a quick try without a worker).
TASKS_BACKENDS = {"database": "django_tasks_db.DatabaseBackend",
                  "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[env.str("TASKS_BACKEND", default="immediate" if TESTING
                                                       else "database")]}}
# Finished jobs' files are kept this many days (`manage.py prune_jobs`).
JOB_FILES_DAYS = env.int("JOB_FILES_DAYS", default=7)

# --- logins, passwords and sessions (logistics.accounts, logistics.passwords) ---
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "logistics.passwords.MinimumLengthValidator"},  # 10 characters
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "logistics.passwords.DemoPasswordValidator"},
]
# django-axes checks every login first (refusing a locked-out one); the backend after it checks the password as
# Django's ModelBackend does, and reads a user's permissions with their roles in one query (logistics.auth).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "logistics.auth.RoleBackend"]
# Failed logins: a user name is locked after LOGIN_FAILURE_LIMIT failures within LOGIN_COOLOFF_MINUTES, an
# address after LOGIN_ADDRESS_FAILURE_LIMIT (higher: a school's staff often share one address); the lock ends
# LOGIN_COOLOFF_MINUTES after the last failure, or when the head unlocks it on the login records page.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
# Proxies in front of the app that append the client's address to X-Forwarded-For (nginx: 1); 0 reads the
# address of the connection itself. Wrong here, every login seems to come from the proxy, or a client can
# pretend to be anyone.
PROXY_COUNT = env.int("PROXY_COUNT", default=1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0)
# Tests log in through the test client without a request, which axes refuses: they run with it off, and the
# tests of throttling switch it on (tests/logistics/test_logins.py).
AXES_ENABLED = env.bool("AXES_ENABLED", default=not TESTING)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: a user name, or an address
AXES_HANDLER = "logistics.accounts.throttle.LoginHandler"
AXES_LOCKOUT_CALLABLE = "logistics.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "logistics.accounts.throttle.client_ip"
AXES_RESET_ON_SUCCESS = True  # a successful login forgets that user's earlier typing mistakes
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends when it said it would
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure is kept for the login records page
AXES_VERBOSE = False
# Login records (logins and failed logins) are kept this many days (`manage.py prune_login_records`; 0 keeps all).
LOGIN_RECORDS_DAYS = env.int("LOGIN_RECORDS_DAYS", default=365)
if TESTING:
    # Tests create many users; the production hasher would spend seconds on each.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "logistics.storage.StaticStorage",
    },
}
if TESTING:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# History: change reasons hold a JSON message with the user's words in it (see logistics.history).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Uploads: photos are checked and re-encoded in logistics.images; these bound what reaches it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
MAX_UPLOAD_PIXELS = env.int("MAX_UPLOAD_PIXELS", default=40_000_000)
REPAIR_MAX_PHOTOS = 3
# Whole request bodies, refused from their Content-Length before anything reads them (logistics.middleware):
# a signed-in user's form may carry 6 photos (a drill, a delivery) of MAX_UPLOAD_BYTES and its fields; a visitor
# who is not signed in sends only the login form. Keep nginx's client_max_body_size at MAX_REQUEST_BYTES.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=6 * MAX_UPLOAD_BYTES + 2 * 1024 * 1024)
MAX_ANONYMOUS_REQUEST_BYTES = env.int("MAX_ANONYMOUS_REQUEST_BYTES", default=64 * 1024)

# A CJK font for printed documents; empty means "find one installed on the system" (fontconfig).
PDF_CJK_FONT_FILE = env.str("PDF_CJK_FONT_FILE", default="")

# Django's database sessions, read by a query planned once per connection (logistics.accounts.session_store).
SESSION_ENGINE = "logistics.accounts.session_store"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG and not TESTING)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts and styles only from the app's own static files — no inline
# <script>, <style>, style="" or on…= in any served template (tests/logistics/test_security_headers.py scans
# them). img-src: photos are served by the app; blob: is the repair form's preview of the chosen photos.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "blob:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    },
}
# Browser features no page uses, switched off (logistics.headers). The repair form's camera photos need none.
PERMISSIONS_POLICY_DENY = (
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "hid",
    "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "serial",
    "usb", "xr-spatial-tracking",
)
# A refused form post (stale or missing CSRF token) on the error pages' layout, in the user's language.
CSRF_FAILURE_VIEW = "logistics.errors.csrf_failure"
# The health check answers over plain http too (a monitor or load balancer asking the app directly).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "ERROR"}},
}

ROLE_LABELS = {
    "staff": _("Staff"),
    "logistics": _("Logistics worker"),
    "logistics_head": _("Head of logistics"),
    "principal": _("Principal"),
    "finance": _("Finance"),
    "canteen": _("Canteen manager"),
    "safety": _("Safety officer"),
    "auditor": _("Auditor (read-only)"),
}
