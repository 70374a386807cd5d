"""Settings for Redefine: one file, read from the environment, failing loudly in production.

With nothing set the app runs on the embedded default: a SQLite file, Celery tasks run
inline, email to the console and DEBUG on. `DEBUG=false` is production mode.
"""

import ipaddress
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
import plotly
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)


def _required_in_production(name: str, default: str):
    """Production must set secrets and hosts explicitly; a silent fallback would be a hole."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is false (production mode).")


def _networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks; a typo stops the start."""
    values = env.list(name, default=[])
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError as exc:
            message = f"{name}: {value!r} is not an IP address or network."
            raise ImproperlyConfigured(message) from exc
    return values


# A fixed development key is fine because production refuses to start without its own.
SECRET_KEY = _required_in_production("SECRET_KEY", "dev-only-insecure-key-not-for-production")
# Webhook signing secrets are encrypted at rest with a key derived from this (hrapi/encryption.py).
# A separate key from SECRET_KEY, so rotating one does not lose the other; old keys listed in
# WEBHOOK_SECRET_KEY_FALLBACKS still decrypt until `manage.py webhook_secrets_reencrypt` runs.
WEBHOOK_SECRET_KEY = _required_in_production(
    "WEBHOOK_SECRET_KEY", "dev-only-webhook-key-not-for-production"
)
WEBHOOK_SECRET_KEY_FALLBACKS = env.list("WEBHOOK_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = [
    h.strip()
    for h in _required_in_production("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # widget templates for the project's form renderer (core.forms)
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "core",
    "people",
    "pilots",
    "metrics",
    "coaching",
    "hrapi",
    "portfolio",
    "evidence",
    "goals",
    "weekly",
    "accounts",
    "demo",
]

MIDDLEWARE = [
    # First, so everything after it (the HTTPS redirect, lockouts, throttles) sees the real
    # client address and only forwarding headers that a trusted proxy set.
    "core.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware: API paths get their slash without a redirect, and bad input
    # (oversized bodies, NUL in paths) is refused before anything reads it.
    "core.api_guard.ApiInputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.IdleSessionMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    # Inside the message middleware, so "saved, the background part will follow" reaches the page.
    "core.outbox.DeferredWorkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Every form field, however a template asks for it ({{ form }}, as_div, as_field_group),
# renders through templates/_field.html: one way across the app.
FORM_RENDERER = "core.forms.FormRenderer"

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
                "core.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat of `make run` (and the test threads) share the file.
    # BEGIN IMMEDIATE takes the write lock up front, so a transaction that read first never
    # fails at once with "database is locked" when it writes (SQLite cannot wait then), and
    # WAL lets readers go on while one process writes; `timeout` is how long a writer waits.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles any query whose *estimated* cost is high: at 5 M observations
    # the dashboard's workgroup query spent 0.95 s of 1.5 s compiling (bench/RESULTS.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Sign-in: local passwords and/or the organisation's OpenID provider ---------------------
# OIDC_ISSUER turns single sign-on on (authorization code with PKCE, accounts/oidc.py): the
# endpoints come from the issuer's discovery document unless OIDC_DISCOVERY is false, and
# then from the OIDC_*_ENDPOINT settings. LOCAL_PASSWORDS=false leaves SSO as the only way in.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")  # empty: a public PKCE client
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your organisation's account")
OIDC_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_DISCOVERY = env.bool("OIDC_DISCOVERY", default=True)
OIDC_DISCOVERY_URL = env.str(
    "OIDC_DISCOVERY_URL",
    default=f"{OIDC_ISSUER}/.well-known/openid-configuration" if OIDC_ISSUER else "",
)
OIDC_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_JWKS_URI = env.str("OIDC_JWKS_URI", default="")
OIDC_USERINFO_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
# Seconds for every call to the provider (discovery, keys, token, userinfo).
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=5.0)
# A claim carrying the HR external_id (e.g. an "employee_id" claim): a first sign-in may match
# on it when the provider does not mark the e-mail as verified.
OIDC_EXTERNAL_ID_CLAIM = env.str("OIDC_EXTERNAL_ID_CLAIM", default="")
OIDC_REDIRECT_URI = env.str("OIDC_REDIRECT_URI", default="")  # default: built from the request
LOCAL_PASSWORDS = env.bool("LOCAL_PASSWORDS", default=True)
if OIDC_ISSUER and not OIDC_CLIENT_ID:
    raise ImproperlyConfigured("OIDC_ISSUER is set: OIDC_CLIENT_ID must be set too.")
if not LOCAL_PASSWORDS and not OIDC_ISSUER:
    raise ImproperlyConfigured("LOCAL_PASSWORDS=false needs OIDC_ISSUER: nobody could sign in.")
if OIDC_ISSUER and not DEBUG and not OIDC_ISSUER.startswith("https://"):
    raise ImproperlyConfigured("OIDC_ISSUER must be an https:// URL in production.")

AUTHENTICATION_BACKENDS = [
    *(
        ["axes.backends.AxesStandaloneBackend", "accounts.backends.PasswordBackend"]
        if LOCAL_PASSWORDS
        else []
    ),
    # Sessions started by single sign-on load through it; it never checks a password.
    "accounts.backends.OidcSessionBackend",
]
# Password checks hash slowly on purpose; at most this many at once on the machine (one core
# stays free for signed-in people during a rush of logins), the others wait their turn.
PASSWORD_CHECKS_AT_ONCE = env.int(
    "PASSWORD_CHECKS_AT_ONCE", default=max(1, (os.cpu_count() or 2) - 1)
)
PASSWORD_CHECK_LOCKS = env.str(
    "PASSWORD_CHECK_LOCKS", default=str(Path(tempfile.gettempdir()) / "redefine-password-checks")
)
# A reset link works once (Django's token changes with the password) and for one day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js is served from the plotly package itself (never a CDN, never copied into the repo):
# {% static 'vendor/plotly/plotly.min.js' %}.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
# Uploads bigger than this are refused before they reach a form (CSV imports are the big ones).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# API and SCIM bodies: a 10,000-row bulk request is about 2 MB; anything over this is a 413.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=10 * 1024 * 1024)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Redefine <redefine@localhost>")

# --- Celery: Redis in production, an embedded broker for `make run`, inline otherwise ---------
# REDIS_URL set: Redis is the broker. `make run` sets CELERY_BROKER_URL=filesystem:// and starts
# a worker and beat beside the web server: kombu's filesystem transport keeps each message as a
# file under BROKER_DIR, so nothing but this checkout is needed. With neither (the test suite,
# a one-off management command) tasks run inline in the calling process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest task may run 5 minutes; redelivery waits twice that so a slow task is not run twice.
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 270
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * CELERY_TASK_TIME_LIMIT),
    # A broker that does not answer (host down, packets dropped) must not hang a web request.
    "socket_connect_timeout": 2,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    BROKER_DIR = Path(env.str("BROKER_DIR", default=str(BASE_DIR / "var" / "broker")))
    (BROKER_DIR / "queue").mkdir(parents=True, exist_ok=True)
    (BROKER_DIR / "processed").mkdir(parents=True, exist_ok=True)
    # One folder in and out: the web, the worker and beat all read and write the same queue.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(BROKER_DIR / "control"),
    }
    # Beat remembers when each entry last ran next to the queue, outside the tracked files.
    CELERY_BEAT_SCHEDULE_FILENAME = str(BROKER_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when the broker is down; the outbox sweep catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Audit history ---------------------------------------------------------------------------
# Reasons are sentences (a re-link, a stop before the horizon), not 100-character labels.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# A revert from the admin's history page would write past the services and their rules. The
# setting hides the button; core.admin.HistoryAdmin refuses the POST itself.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- REST API ----------------------------------------------------------------------------------
# Invalid or revoked bearer tokens, per client address (a 429 past it).
API_BAD_TOKEN_RATE = env.str("API_BAD_TOKEN_RATE", default="30/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hrapi.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hrapi.permissions.HasScopeOrUserPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.StrictFilterBackend",
        "core.api.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.StablePageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # A JSON API: form and multipart bodies are refused with 415 (and left out of the schema).
    # The guarded parser bounds nesting and refuses text the database cannot store.
    "DEFAULT_PARSER_CLASSES": ["core.api_guard.GuardedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_THROTTLE_CLASSES": ["hrapi.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"client": env.str("API_THROTTLE_RATE", default="1200/min")},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Redefine API",
    "DESCRIPTION": "HR integration API for work-redefinition pilots.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every /api/v1/ operation documents the shared error responses (see hrapi/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hrapi.schema.add_error_responses",
    ],
    # Several models have a "kind"; name each choice set so clients get stable enum names.
    "ENUM_NAME_OVERRIDES": {
        "CycleActionKindEnum": "coaching.models.ActionKind",
        "OrgUnitKindEnum": "people.models.OrgUnitKind",
        "MetricKindEnum": "metrics.models.MetricKind",
        # A metric's and its baselines' frozen meaning share these choice sets.
        "DirectionEnum": "metrics.models.Direction",
        "AggregationEnum": "metrics.models.Aggregation",
    },
}

# --- Security ----------------------------------------------------------------------------------
# Database sessions that know their user, so deprovisioning ends them all at once.
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Addresses (or networks) of the reverse proxies in front of the app. Empty: clients connect
# directly, so X-Forwarded-For/-Proto are whatever a client typed and are dropped
# (core/proxies.py). Set: they are read only from these peers, and X-Forwarded-Proto says
# whether the request came in over HTTPS.
TRUSTED_PROXIES = _networks("TRUSTED_PROXIES")
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Idle sessions end (core.middleware.IdleSessionMiddleware); SESSION_COOKIE_AGE (two weeks)
# stays the absolute limit. Messages live in the session, never in a cookie: a cookie is
# signed but readable, and one-time secrets must never reach the browser's storage.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Browser features the app never uses are switched off for every page and any frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
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
    ]
}

# Plotly draws with inline styles, so style-src allows them; scripts come only from us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Wrong passwords within the cool-off that lock: one account from one address (the pair), the
# account from any number of addresses, and one address across any number of accounts (higher,
# as an office behind one NAT shares it). core/lockout.py gives each lock its own limit.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=20)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address", ["username", "ip_address"]]
AXES_HANDLER = "core.lockout.LoginAttemptsHandler"
AXES_USERNAME_CALLABLE = "core.lockout.attempted_username"
# The address core.proxies.TrustedProxyMiddleware settled on: never a client-typed header.
AXES_CLIENT_IP_CALLABLE = "core.proxies.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False
# A page that says plainly the account is locked, for how long, and what to do (HTTP 429).
AXES_LOCKOUT_CALLABLE = "core.lockout.locked_out_response"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Redefine ----------------------------------------------------------------------------------
REDEFINE_SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Webhooks go only to public addresses (hrapi/destinations.py); a deployment whose receivers sit
# on its own network lists those networks here. Tests list their local receiver.
WEBHOOK_ALLOWED_NETWORKS = _networks("WEBHOOK_ALLOWED_NETWORKS")
