"""Veche settings, read from environment variables (documented in .env.example).

``DJANGO_ENV=production`` switches on the production mode: a secret key and allowed hosts
are required, cookies are secure, HSTS is on. Everything else has a development default.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any, overload

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-veche-0123456789-abcdefghijklmnopqrstuvwxyz"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

ALLOWED_HOSTS = [h.strip() for h in (env("DJANGO_ALLOWED_HOSTS") or "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_ENV=production")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in (env("DJANGO_CSRF_TRUSTED_ORIGINS") or "").split(",") if o.strip()
]

# The site's public address, the one source of absolute links (config/site.py): e-mails,
# feeds, the sitemap. Unset: in production https:// and the first allowed host; in development
# the address of the request being answered, or http://127.0.0.1:8000 outside a request.
VECHE_SITE_URL = (env("VECHE_SITE_URL") or "").rstrip("/")
if not VECHE_SITE_URL and PRODUCTION and ALLOWED_HOSTS[0].lstrip(".") in ("", "*"):
    raise ImproperlyConfigured("VECHE_SITE_URL is required when the first allowed host is '*'")
SITE_URL = VECHE_SITE_URL or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION else "http://127.0.0.1:8000"
)
SITE_URL_FROM_REQUEST = not PRODUCTION and not VECHE_SITE_URL

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "django_filters",
    "django_htmx",
    "csp",
    # The project's apps, lowest layer first (docs/architecture.md): each imports only the
    # apps above it in this list, never one below.
    "members",
    "moderation",
    "uploads",
    "search",
    "forum",
    "ideas",
    "ambassadors",
    "conversations",
    "analytics",
    "api",
    "webhooks",
]
VECHE_BENCH = env_bool("VECHE_BENCH")
# How many proxies of ours stand before the web processes (1 behind nginx): the visitor's
# address is then read from X-Forwarded-For (config.http.TrustedProxyMiddleware).
VECHE_TRUSTED_PROXY_COUNT = env_int("VECHE_TRUSTED_PROXY_COUNT", 0)
# ``manage.py seed_demo``: each app's demo seeder, in the order they run (a seeder uses the rows
# of the ones before it: moderation flags forum posts, analytics counts everything). Named here,
# in the composition root, so that config.seeding and members need not know the apps above them.
VECHE_DEMO_SEEDERS = [
    "members.demo.seed",
    "forum.demo.seed",
    "ideas.demo.seed",
    "moderation.demo.seed",
    "ambassadors.demo.seed",
    "conversations.demo.seed",
    "analytics.demo.seed",
    "members.demo.rank_experts",
]
if VECHE_BENCH:  # the benchmark's floor view and commands (bench/), never in normal runs
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    # /health/ answers before anything that needs the database or the cache, and before the
    # HTTPS redirect (load balancers probe over plain HTTP): config/health.py.
    "config.health.HealthMiddleware",
    # Outside everything that reads: the member, the settings and the views' reads of a safe
    # request may come from a replica (config/replicas.py).
    "config.replicas.ReplicaMiddleware",
    # The visitor's address behind our own proxies, before anything reads it (config/http.py).
    "config.http.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so that cached pages carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after: the member the session names, with their row, in one cache trip.
    "members.middleware.ReadAheadMiddleware",
    # Links built while answering point to the request's address in development (config/site.py).
    "config.site.SiteAddressMiddleware",
    "config.http.RejectNulBytesMiddleware",
    "members.middleware.MemberLanguageMiddleware",
    "members.middleware.SuspensionMiddleware",
    "members.middleware.ActivityMiddleware",
    "members.middleware.SessionSeenMiddleware",
    "members.middleware.StaffMfaMiddleware",
    # An API request's personal token names its member (refusing a banned or suspended one,
    # in their language) before the private community's check: api/middleware.py. After the
    # two-factor check: a token was made in a session that passed it.
    "api.middleware.ApiTokenMiddleware",
    "members.middleware.PrivateCommunityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "members.context_processors.veche",
                "config.jinja2.csrf",  # the token masked once per request
            ],
            "libraries": {"jinja": "config.jinja2"},
        },
    },
    {
        # The parts of pages repeated per post (question pages, question lists, the FAQ):
        # Jinja2 renders them about ten times faster (docs/caching.md, "Cheap renders").
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "context_processors": ["config.jinja2.csrf"],  # the token masked once per request
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# The few statements planned once per connection (config.db.planned_once and prepared): worth
# it only when connections last (a new one per request would prepare each time), and off by
# default then, as behind PgBouncer, which may not keep prepared statements (before 1.21,
# transaction mode).
DATABASE_PREPARED_STATEMENTS = env_bool(
    "DATABASE_PREPARED_STATEMENTS", default=DATABASES["default"].get("CONN_MAX_AGE", 0) != 0
)
if env_bool("VECHE_SQLITE_SHARED") and not USING_POSTGRES:
    # `make run`: runserver and the worker write the same SQLite file. Write-ahead logging
    # lets one read while the other writes; a writer waits for the other instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def replica_databases(urls: str, default: dj_database_url.DBConfig) -> dict[str, Any]:
    """``replica1``, ``replica2``… from comma-separated URLs, with the primary's connection
    settings, a short connect timeout (libpq's least, 2 s) and, in tests, the primary's test
    database (read replicas: docs/deployment.md)."""
    found: dict[str, Any] = {}
    for number, url in enumerate([u.strip() for u in urls.split(",") if u.strip()], start=1):
        replica = dj_database_url.parse(
            url,
            conn_max_age=default.get("CONN_MAX_AGE", 0),
            conn_health_checks=default.get("CONN_HEALTH_CHECKS", False),
        )
        options = {**default.get("OPTIONS", {}), **replica.get("OPTIONS", {})}
        if replica.get("ENGINE", "").endswith("postgresql"):
            options["connect_timeout"] = 2
        found[f"replica{number}"] = {**replica, "OPTIONS": options, "TEST": {"MIRROR": "default"}}
    return found


# Read replicas (docs/deployment.md): without DATABASE_REPLICA_URLS, the router and its
# middleware do nothing. A writer reads from the primary for DATABASE_REPLICA_PIN_SECONDS;
# a replica further behind than DATABASE_REPLICA_MAX_LAG seconds is not read.
DATABASES.update(replica_databases(env("DATABASE_REPLICA_URLS", ""), DATABASES["default"]))
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["config.replicas.ReplicaRouter"]
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 5)
DATABASE_REPLICA_MAX_LAG = env_float("DATABASE_REPLICA_MAX_LAG", 2.0)
if DATABASE_REPLICAS and DATABASE_REPLICA_PIN_SECONDS < DATABASE_REPLICA_MAX_LAG + 2:
    # A replica may be used up to a second after a check that found it MAX_LAG behind: a
    # writer pinned for less could miss their own write.
    raise ImproperlyConfigured("DATABASE_REPLICA_PIN_SECONDS must be at least MAX_LAG + 2")

REDIS_URL = env("REDIS_URL")
if PRODUCTION and not REDIS_URL:
    # Without it every web process would keep its own cache (and its own sessions' and rate
    # limits' view of the world) and background jobs would run inside web requests.
    raise ImproperlyConfigured("REDIS_URL is required when DJANGO_ENV=production")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis away or slow counts as a miss: pages render from the database.
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env_float("VECHE_REDIS_TIMEOUT", 0.5),
                "socket_timeout": env_float("VECHE_REDIS_TIMEOUT", 0.5),
            },
            "KEY_PREFIX": env("VECHE_CACHE_PREFIX", "veche"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions read from the cache and written through to the database: one query less per
# signed-in request, and nothing lost if the cache is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "members.Member"
AUTHENTICATION_BACKENDS = ["members.backends.MemberAuthenticationBackend"]
# Argon2id (members/hashers.py); the others only check passwords stored before, and upgrade
# them at the next log-in.
PASSWORD_HASHERS = [
    "members.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# --- django-allauth -------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupExtraForm"
ACCOUNT_FORMS = {"login": "members.forms_login.LoginForm"}
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    # A handful of accounts per address per hour: enough for a family or an office behind one
    # address, too few for a script farming fresh accounts (issue 15).
    "signup": "5/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Veche] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Veche"
# Staff must enrol a TOTP device before using the site when this is on.
VECHE_STAFF_MFA_REQUIRED = env_bool("VECHE_STAFF_MFA_REQUIRED", default=PRODUCTION)
# The sessions page lists each signed-in browser with its address and user agent, recorded at
# log-in. Not tracked on every request: that would add a write to every signed-in page.
USERSESSIONS_TRACK_ACTIVITY = False
# Instead "last seen" is written at most once per this many minutes per browser, decided by a
# cache key (members.middleware.SessionSeenMiddleware); 0 turns it off.
VECHE_SESSION_SEEN_MINUTES = env_int("VECHE_SESSION_SEEN_MINUTES", 5)

# --- identity (docs/identity.md) ---------------------------------------------------------
# Log-in with the product's account: where Veche sends members to sign in, and the secret
# both sides sign the handshake with. Both empty: single sign-on is off.
VECHE_SSO_URL = env("VECHE_SSO_URL", "")
VECHE_SSO_SECRET = env("VECHE_SSO_SECRET", "")
if VECHE_SSO_URL and len(VECHE_SSO_SECRET) < 16:
    raise ImproperlyConfigured("VECHE_SSO_SECRET must have at least 16 characters")
# The product's log-in is then the only way in (superusers keep their password, for when the
# product is down).
VECHE_SSO_ONLY = env_bool("VECHE_SSO_ONLY")
# Log-in through a company identity provider (OpenID Connect: Keycloak, Okta, Azure AD…),
# Google or GitHub: each on when its client id is set. Staff can also add providers in the
# admin ("Social applications"). An account is linked only by a log-in through the provider
# itself, never by a matching e-mail address.
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {}
if env("VECHE_OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env("VECHE_OIDC_PROVIDER_ID", "company"),
                "name": env("VECHE_OIDC_NAME", "Company account"),
                "client_id": env("VECHE_OIDC_CLIENT_ID"),
                "secret": env("VECHE_OIDC_SECRET", ""),
                "settings": {"server_url": env("VECHE_OIDC_SERVER_URL", "")},
            }
        ],
    }
for _provider in ("google", "github"):
    if env(f"VECHE_{_provider.upper()}_CLIENT_ID"):
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [
                {
                    "client_id": env(f"VECHE_{_provider.upper()}_CLIENT_ID"),
                    "secret": env(f"VECHE_{_provider.upper()}_SECRET", ""),
                }
            ]
        }
SOCIALACCOUNT_ADAPTER = "members.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# Ask providers for the addresses (GitHub: the user:email scope and /user/emails, whose primary
# verified address becomes the member's; the public profile address is never taken as verified).
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
# How long a member has to come back from the product's log-in page.
VECHE_SSO_NONCE_SECONDS = env_int("VECHE_SSO_NONCE_SECONDS", 600)
# How long the link to an "export my data" archive works.
VECHE_DATA_EXPORT_HOURS = env_int("VECHE_DATA_EXPORT_HOURS", 48)

# --- i18n ------------------------------------------------------------------------------
LANGUAGE_CODE = env("VECHE_LANGUAGE", "en")
# Each language named in itself, whatever the page's language (the switcher lists them so).
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("VECHE_TIME_ZONE", "UTC")
USE_TZ = True

# --- static ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads: one directory every web node and worker shares (ops/cluster.py sets it).
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "media/"
# Uploaded images and attachments (uploads/, docs/uploads.md): never served from MEDIA_URL,
# only through uploads' view, which checks the post's visibility. The file system by default;
# any S3-compatible store when VECHE_UPLOADS_S3_BUCKET is set (django-storages).
VECHE_UPLOADS_S3_BUCKET = env("VECHE_UPLOADS_S3_BUCKET", "")
UPLOADS_STORAGE: dict = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": VECHE_UPLOADS_S3_BUCKET,
            "endpoint_url": env("VECHE_UPLOADS_S3_ENDPOINT_URL") or None,
            "region_name": env("VECHE_UPLOADS_S3_REGION") or None,
            "access_key": env("VECHE_UPLOADS_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("VECHE_UPLOADS_S3_SECRET_ACCESS_KEY") or None,
            "location": env("VECHE_UPLOADS_S3_PREFIX", "uploads"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if VECHE_UPLOADS_S3_BUCKET
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("VECHE_UPLOADS_ROOT", str(Path(MEDIA_ROOT) / "uploads"))},
    }
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "uploads": UPLOADS_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "config.staticfiles.StaticFilesStorage"  # WhiteNoise's, addresses kept
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- e-mail ----------------------------------------------------------------------------
# Every e-mail goes through the outbox (members.OutboundEmail) and is sent by a worker with
# these settings (docs/jobs.md). ``django.core.mail.backends.filebased.EmailBackend`` with
# EMAIL_FILE_PATH writes each message to a file (staging, the fault scripts).
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: set one")
EMAIL_SSL_CERTFILE = env("EMAIL_SSL_CERTFILE")
EMAIL_SSL_KEYFILE = env("EMAIL_SSL_KEYFILE")
# Seconds per SMTP socket operation. Bounded so that one send always ends well inside the
# outbox's claim lease (VECHE_OUTBOX_LEASE_SECONDS): a send still running when its lease ran
# out could be made again by another worker.
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT", 10.0)
EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", "[Veche] ")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Veche <community@veche.example>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The right-hand side of the outbox's Message-IDs (``<random@domain>``).
VECHE_MESSAGE_ID_DOMAIN = env("VECHE_MESSAGE_ID_DOMAIN") or (
    SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "veche.example"
)
# The outbox (members/services_outbox.py, docs/jobs.md). A claimed row not marked sent within
# the lease is taken again by a sweep: a crashed worker's mail goes out within lease + sweep
# interval. The lease must exceed one send (a few EMAIL_TIMEOUTs) plus the retries of the
# "sent" write (config.delivery.RECORD_DELAYS, about 6 s).
VECHE_OUTBOX_LEASE_SECONDS = env_int("VECHE_OUTBOX_LEASE_SECONDS", 60)
VECHE_OUTBOX_MAX_ATTEMPTS = env_int("VECHE_OUTBOX_MAX_ATTEMPTS", 8)
VECHE_OUTBOX_BATCH = env_int("VECHE_OUTBOX_BATCH", 200)
VECHE_OUTBOX_SWEEP_SECONDS = env_int("VECHE_OUTBOX_SWEEP_SECONDS", 15)
# How often the views counted in Redis are added to the database (config.counters).
VECHE_COUNTER_FLUSH_SECONDS = env_int("VECHE_COUNTER_FLUSH_SECONDS", 30)
# How long one sweep keeps draining the backlog; longer than the sweep interval, so that
# under a backlog the next sweeps run beside it on the other workers.
VECHE_OUTBOX_SWEEP_BUDGET_SECONDS = env_int("VECHE_OUTBOX_SWEEP_BUDGET_SECONDS", 50)
# Backoff of a row after its n-th failed attempt (n ≥ 2): base × 2^(n-2), at most the cap, with
# jitter; none after the first. With 8 attempts a row is tried for about half an hour.
VECHE_OUTBOX_RETRY_BASE_SECONDS = env_int("VECHE_OUTBOX_RETRY_BASE_SECONDS", 30)
VECHE_OUTBOX_RETRY_MAX_SECONDS = env_int("VECHE_OUTBOX_RETRY_MAX_SECONDS", 1800)
# How long the ledger of sends the database could not record is kept (in the cache).
VECHE_OUTBOX_LEDGER_DAYS = env_int("VECHE_OUTBOX_LEDGER_DAYS", 14)
# Where each process notes the e-mails it sent before recording them (config.delivery.Journal):
# on the host's own disk, one directory for every web process and worker of the host.
VECHE_OUTBOX_JOURNAL_DIR = env("VECHE_OUTBOX_JOURNAL_DIR", str(BASE_DIR / "var" / "journal"))

# --- Celery ----------------------------------------------------------------------------
# Webhooks (docs/webhooks.md): the outbox of deliveries to staff's endpoints.
VECHE_WEBHOOK_SWEEP_SECONDS = env_int("VECHE_WEBHOOK_SWEEP_SECONDS", 15)
VECHE_WEBHOOK_TIMEOUT = env_float("VECHE_WEBHOOK_TIMEOUT", 5.0)  # per socket operation
VECHE_WEBHOOK_LEASE_SECONDS = env_int("VECHE_WEBHOOK_LEASE_SECONDS", 60)
VECHE_WEBHOOK_MAX_ATTEMPTS = env_int("VECHE_WEBHOOK_MAX_ATTEMPTS", 10)
VECHE_WEBHOOK_RETRY_BASE_SECONDS = env_int("VECHE_WEBHOOK_RETRY_BASE_SECONDS", 30)
VECHE_WEBHOOK_RETRY_MAX_SECONDS = env_int("VECHE_WEBHOOK_RETRY_MAX_SECONDS", 3600)
# An endpoint whose last attempts all failed, this many in a row over at least these hours,
# is switched off and staff are told.
VECHE_WEBHOOK_DISABLE_AFTER_FAILURES = env_int("VECHE_WEBHOOK_DISABLE_AFTER_FAILURES", 20)
VECHE_WEBHOOK_DISABLE_AFTER_HOURS = env_float("VECHE_WEBHOOK_DISABLE_AFTER_HOURS", 24.0)
# A question without an answer this long after it was asked is announced (question.unanswered).
VECHE_WEBHOOK_UNANSWERED_HOURS = env_int("VECHE_WEBHOOK_UNANSWERED_HOURS", 24)
# Deliveries sent or given up are kept this long in the log.
VECHE_WEBHOOK_KEEP_DAYS = env_int("VECHE_WEBHOOK_KEEP_DAYS", 30)
# After a secret is rotated the old one still signs, beside the new, for this long.
VECHE_WEBHOOK_ROTATION_HOURS = env_int("VECHE_WEBHOOK_ROTATION_HOURS", 24)

# The broker may be a Redis of its own (CELERY_BROKER_URL); by default it is the cache's.
# `make run` (ops/run_demo.py) runs a worker with beat beside runserver, on a broker made of
# files in this directory (kombu's filesystem transport: no server, shared by processes).
VECHE_FILE_BROKER_DIR = env("VECHE_FILE_BROKER_DIR", "")
CELERY_BROKER_URL = (
    env("CELERY_BROKER_URL")
    or REDIS_URL
    or ("filesystem://" if VECHE_FILE_BROKER_DIR else "memory://")
)
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = (not REDIS_URL and not VECHE_FILE_BROKER_DIR) or env_bool(
    "CELERY_TASK_ALWAYS_EAGER"
)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it ends, and given back at once when its worker process dies
# (kill -9, out of memory), so another worker runs it. Every task must be safe to run twice:
# the outbox's row claims make the delivery tasks so.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A lost broker connection does not stop running tasks: a delivery stopped mid-send is the one
# way to send an e-mail twice. They finish; their messages come back after the visibility
# timeout and find their rows sent.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("VECHE_BROKER_TIMEOUT", 1.0)
# A request must not hang when the broker is away or frozen: publishing gives up quickly (one
# retry, short socket timeouts), config.jobs.dispatch then leaves the broker alone for
# VECHE_BROKER_PAUSE_SECONDS, and the periodic sweeps do the recorded work.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
VECHE_BROKER_PAUSE_SECONDS = env_float("VECHE_BROKER_PAUSE_SECONDS", 5.0)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "socket_connect_timeout": env_float("VECHE_BROKER_TIMEOUT", 1.0),
    "socket_timeout": env_float("VECHE_BROKER_TIMEOUT", 1.0),
    # A task taken by a worker that vanished without acknowledging it is handed out again
    # after this long: 10 minutes instead of the transport's hour. It must exceed the longest
    # task and the longest retry countdown, or a running task would be started again beside
    # itself. The outbox does not wait for it: its sweeps take a dead worker's rows again
    # after the claim lease.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
}
if VECHE_FILE_BROKER_DIR:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": VECHE_FILE_BROKER_DIR,
        "data_folder_out": VECHE_FILE_BROKER_DIR,
        # The exchange table, also a directory (kombu's default is ./control).
        "control_folder": os.path.join(VECHE_FILE_BROKER_DIR, "control"),
        "store_processed": False,
        # Polled: a task waits this long at most before the worker sees it.
        "polling_interval": 0.5,
    }
    # The file transport has no broadcast for remote control; the demo's one worker needs none.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_TIMEZONE = TIME_ZONE
# The welcome letter goes this long after joining (VECHE_WELCOME_DELAY_SECONDS overrides the
# hours, e.g. a few seconds to watch it arrive in `make run`), looked for this often.
VECHE_WELCOME_DELAY_HOURS = env_int("VECHE_WELCOME_DELAY_HOURS", 24)
VECHE_WELCOME_DELAY_SECONDS = env_int(
    "VECHE_WELCOME_DELAY_SECONDS", VECHE_WELCOME_DELAY_HOURS * 3600
)
VECHE_WELCOME_SWEEP_SECONDS = env_int("VECHE_WELCOME_SWEEP_SECONDS", 30 * 60)
# How often every tag's best experts are ranked again by reputation (members.ExpertRank: "members
# who could answer"); a member's own change of expertise ranks its tags at once.
VECHE_EXPERT_RANKS_SECONDS = env_int("VECHE_EXPERT_RANKS_SECONDS", 10 * 60)
# --- uploads (docs/uploads.md) --------------------------------------------------------
# The largest file by trust level (0 new … 3 leader; staff get the largest), the space each
# member's uploads may take in all, and how long an upload no post names is kept.
VECHE_UPLOAD_MAX_BYTES = {
    0: env_int("VECHE_UPLOAD_MAX_BYTES_NEW", 2 * 1024 * 1024),
    1: env_int("VECHE_UPLOAD_MAX_BYTES_BASIC", 5 * 1024 * 1024),
    2: env_int("VECHE_UPLOAD_MAX_BYTES_REGULAR", 10 * 1024 * 1024),
    3: env_int("VECHE_UPLOAD_MAX_BYTES_LEADER", 20 * 1024 * 1024),
}
VECHE_UPLOAD_QUOTA_BYTES = env_int("VECHE_UPLOAD_QUOTA_BYTES", 200 * 1024 * 1024)
VECHE_UPLOAD_ORPHAN_HOURS = env_int("VECHE_UPLOAD_ORPHAN_HOURS", 24)
# Drafts of unsent posts (docs/uploads.md, "Drafts"): the longest text kept (a post's own
# limit), how many a member may have, how long an untouched one is kept, and how often the
# editor may save one (per member and minute; 429 beyond).
VECHE_DRAFT_MAX_CHARS = env_int("VECHE_DRAFT_MAX_CHARS", 20000)
VECHE_DRAFTS_PER_MEMBER = env_int("VECHE_DRAFTS_PER_MEMBER", 50)
VECHE_DRAFT_KEEP_DAYS = env_int("VECHE_DRAFT_KEEP_DAYS", 30)
VECHE_DRAFT_SAVES_PER_MINUTE = env_int("VECHE_DRAFT_SAVES_PER_MINUTE", 30)
# Images wider or taller are scaled down; above the thumbnail side they get a thumbnail.
VECHE_UPLOAD_IMAGE_MAX_SIDE = env_int("VECHE_UPLOAD_IMAGE_MAX_SIDE", 2048)
VECHE_UPLOAD_THUMBNAIL_SIDE = env_int("VECHE_UPLOAD_THUMBNAIL_SIDE", 640)
# Images from other hosts in posts are fetched by the site (uploads.proxy): at most this
# large, within this many seconds, kept this long; never from private addresses unless
# VECHE_IMAGE_PROXY_ALLOW_PRIVATE (tests and closed networks only).
VECHE_IMAGE_PROXY_MAX_BYTES = env_int("VECHE_IMAGE_PROXY_MAX_BYTES", 5 * 1024 * 1024)
VECHE_IMAGE_PROXY_TIMEOUT = env_float("VECHE_IMAGE_PROXY_TIMEOUT", 5.0)
VECHE_IMAGE_PROXY_KEEP_SECONDS = env_int("VECHE_IMAGE_PROXY_KEEP_SECONDS", 7 * 24 * 3600)
VECHE_IMAGE_PROXY_ALLOW_PRIVATE = env_bool("VECHE_IMAGE_PROXY_ALLOW_PRIVATE")

CELERY_BEAT_SCHEDULE = {
    "members.welcome_email_sweep": {
        "task": "members.welcome_email_sweep",
        "schedule": timedelta(seconds=VECHE_WELCOME_SWEEP_SECONDS),
    },
    # The best experts of each tag (members.ExpertRank), by reputation as it is now.
    "members.expert_ranks_refresh": {
        "task": "members.expert_ranks_refresh",
        "schedule": timedelta(seconds=VECHE_EXPERT_RANKS_SECONDS),
        "options": {"expires": VECHE_EXPERT_RANKS_SECONDS},
    },
    "members.data_export_sweep": {
        "task": "members.data_export_sweep",
        "schedule": timedelta(minutes=10),
    },
    "members.outbox_flush": {
        "task": "members.outbox_flush",
        "schedule": timedelta(seconds=VECHE_OUTBOX_SWEEP_SECONDS),
        # A sweep not started before the next one is due is pointless: it expires rather than
        # pile up while the workers are away.
        "options": {"expires": VECHE_OUTBOX_SWEEP_SECONDS},
    },
    # Views counted in Redis (config.counters), added to the database.
    "forum.counters_flush": {
        "task": "forum.counters_flush",
        "schedule": timedelta(seconds=VECHE_COUNTER_FLUSH_SECONDS),
        "options": {"expires": VECHE_COUNTER_FLUSH_SECONDS},
    },
    "members.bookmark_reminders_send": {
        "task": "members.bookmark_reminders_send",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 300},
    },
    # Summary e-mails to members away for their period (members.services_summary): once a
    # day, each member at most once per day or week (a claimed row per period).
    "members.summary_send": {
        "task": "members.summary_send",
        "schedule": crontab(minute=0, hour=7),
    },
    # Badges the events missed (history, a lost task): idempotent (members.services_badges).
    "members.badges_backfill": {
        "task": "members.badges_backfill",
        "schedule": crontab(minute=50, hour=3),
    },
    "uploads.orphans_delete": {
        "task": "uploads.orphans_delete",
        "schedule": crontab(minute=40),
    },
    "uploads.drafts_old_delete": {
        "task": "uploads.drafts_old_delete",
        "schedule": crontab(minute=50, hour=3),
    },
    "forum.accept_reminder_sweep": {
        "task": "forum.accept_reminder_sweep",
        "schedule": crontab(minute=15, hour="*/6"),
    },
    "forum.idea_trending_refresh": {
        "task": "forum.idea_trending_refresh",
        "schedule": crontab(minute=5),
    },
    "forum.unanswered_digest_send": {
        "task": "forum.unanswered_digest_send",
        "schedule": crontab(minute=0, hour=8, day_of_week=1),
    },
    "moderation.sanction_expire_sweep": {
        "task": "moderation.sanction_expire_sweep",
        "schedule": timedelta(minutes=5),
    },
    "moderation.queue_overdue_sweep": {
        "task": "moderation.queue_overdue_sweep",
        "schedule": timedelta(minutes=5),
    },
    "webhooks.delivery_sweep": {
        "task": "webhooks.delivery_sweep",
        "schedule": timedelta(seconds=VECHE_WEBHOOK_SWEEP_SECONDS),
        "options": {"expires": VECHE_WEBHOOK_SWEEP_SECONDS},
    },
    "webhooks.delivery_prune": {
        "task": "webhooks.delivery_prune",
        "schedule": crontab(minute=40, hour=3),
    },
    "webhooks.unanswered_sweep": {
        "task": "webhooks.unanswered_sweep",
        "schedule": timedelta(minutes=10),
    },
    "moderation.trust_level_recompute": {
        "task": "moderation.trust_level_recompute",
        "schedule": crontab(minute=30, hour=3),
    },
    "ambassadors.referral_qualify_sweep": {
        "task": "ambassadors.referral_qualify_sweep",
        "schedule": timedelta(hours=1),
    },
    "ambassadors.ambassador_review_monthly": {
        "task": "ambassadors.ambassador_review_monthly",
        "schedule": crontab(minute=0, hour=4, day_of_month=1),
    },
    "analytics.rollups_update_nightly": {
        "task": "analytics.rollups_update_nightly",
        "schedule": crontab(minute=10, hour=2),
    },
    "analytics.reengagement_send_monthly": {
        "task": "analytics.reengagement_send_monthly",
        "schedule": crontab(minute=0, hour=10, day_of_month=2),
    },
}

# --- community behaviour (thresholds; staff-editable runtime switches live in the DB) -----
VECHE_WELCOME_MAX_AGE_DAYS = env_int("VECHE_WELCOME_MAX_AGE_DAYS", 7)
# A member sent a summary e-mail "came back" when they visit within this many days of it.
VECHE_SUMMARY_RETURN_DAYS = env_int("VECHE_SUMMARY_RETURN_DAYS", 7)
VECHE_MEMBERS_PER_PAGE = env_int("VECHE_MEMBERS_PER_PAGE", 30)
VECHE_AT_RISK_DAYS = env_int("VECHE_AT_RISK_DAYS", 30)  # analytics: silent this long = at risk
VECHE_ANALYTICS_CACHE_SECONDS = env_int("VECHE_ANALYTICS_CACHE_SECONDS", 300)
# analytics' connections panel: the share of active members with at least this many distinct
# members they interacted with in a week or month (analytics/crosslinks.py)
VECHE_CROSSLINKS_MIN_LINKS = env_int("VECHE_CROSSLINKS_MIN_LINKS", 3)
# @mentions (docs/mentions.md): a member's post notifies at most this many members, and a
# member notifies at most this many by mentions an hour; further mentions are links only.
VECHE_MENTIONS_PER_POST = env_int("VECHE_MENTIONS_PER_POST", 10)
VECHE_MENTIONS_PER_HOUR = env_int("VECHE_MENTIONS_PER_HOUR", 30)
# Visitors' pages and the question pages' shared data are kept this long at most (0 turns
# them off); a change of what they show makes them stale at once (config/cache.py, scopes).
# What no scope covers (view counts, scores in lists) can be this old.
VECHE_PAGE_CACHE_SECONDS = env_int("VECHE_PAGE_CACHE_SECONDS", 300)

# --- moderation (trust levels, spam checks, flags, queues) -------------------------------
# A member reaches a level when every figure meets its threshold: days active (ActivityDay),
# published posts written, likes received (reputation). Upheld flags against a member in the
# last VECHE_TRUST_FLAG_WINDOW_DAYS lower the level by one per VECHE_TRUST_FLAGS_PER_DEMOTION.
VECHE_TRUST_LEVELS = {
    1: {
        "days": env_int("VECHE_TRUST_BASIC_DAYS", 2),
        "posts": env_int("VECHE_TRUST_BASIC_POSTS", 1),
        "likes": env_int("VECHE_TRUST_BASIC_LIKES", 0),
    },
    2: {
        "days": env_int("VECHE_TRUST_REGULAR_DAYS", 10),
        "posts": env_int("VECHE_TRUST_REGULAR_POSTS", 5),
        "likes": env_int("VECHE_TRUST_REGULAR_LIKES", 5),
    },
    3: {
        "days": env_int("VECHE_TRUST_LEADER_DAYS", 50),
        "posts": env_int("VECHE_TRUST_LEADER_POSTS", 30),
        "likes": env_int("VECHE_TRUST_LEADER_LIKES", 50),
    },
}
VECHE_TRUST_FLAG_WINDOW_DAYS = env_int("VECHE_TRUST_FLAG_WINDOW_DAYS", 90)
VECHE_TRUST_FLAGS_PER_DEMOTION = env_int("VECHE_TRUST_FLAGS_PER_DEMOTION", 2)
# New members' first posts wait for approval.
VECHE_TRUST_NEW_HELD_POSTS = env_int("VECHE_TRUST_NEW_HELD_POSTS", 3)
# Links allowed in one post, and posts allowed per VECHE_RATE_WINDOW_MINUTES, by trust level.
VECHE_TRUST_LINK_LIMITS = {0: 1, 1: 4, 2: 10, 3: 25}
VECHE_TRUST_RATE_LIMITS = {0: 3, 1: 8, 2: 20, 3: 40}
VECHE_RATE_WINDOW_MINUTES = env_int("VECHE_RATE_WINDOW_MINUTES", 10)
# Private messages (docs/messages.md): how many members one conversation may address (staff
# and moderators: the second figure), and by trust level the new conversations a member may
# start per 24 hours and the messages they may send per minute (staff and moderators: no limit).
VECHE_MESSAGE_MAX_RECIPIENTS = env_int("VECHE_MESSAGE_MAX_RECIPIENTS", 3)
VECHE_MESSAGE_MAX_RECIPIENTS_STAFF = env_int("VECHE_MESSAGE_MAX_RECIPIENTS_STAFF", 50)
VECHE_MESSAGE_CONVERSATIONS_PER_DAY = {0: 2, 1: 10, 2: 30, 3: 60}
VECHE_MESSAGE_RATE_PER_MINUTE = {0: 3, 1: 6, 2: 10, 3: 20}
# Requests per minute one API token (or member, or address) may send; 0 turns the limit off.
VECHE_API_REQUESTS_PER_MINUTE = env_int("VECHE_API_REQUESTS_PER_MINUTE", 300)
# The same text by the same author within this window is held as repeated content.
VECHE_SPAM_REPEAT_WINDOW_HOURS = env_int("VECHE_SPAM_REPEAT_WINDOW_HOURS", 24)
# An item whose open flags weigh this much is hidden (the weight of each trust level's flags is
# a community setting staff change: docs/privileges.md).
VECHE_FLAG_HIDE_THRESHOLD = float(os.environ.get("VECHE_FLAG_HIDE_THRESHOLD", "3"))
# How long an item may wait in each queue before it shows as overdue (hours).
VECHE_QUEUE_TARGET_HOURS = {"approval": 12, "flagged": 24, "membership": 48, "appeals": 72}
VECHE_INBOX_PER_PAGE = env_int("VECHE_INBOX_PER_PAGE", 50)

# Ambassador referral program (ambassadors app).
VECHE_REFERRAL_WINDOW_DAYS = env_int("VECHE_REFERRAL_WINDOW_DAYS", 30)  # link → sign-up
VECHE_REFERRAL_QUALIFY_DAYS = env_int("VECHE_REFERRAL_QUALIFY_DAYS", 30)  # sign-up → contribution
# Qualified referrals needed per tier; "ambassador" means eligible to apply.
VECHE_REFERRAL_TIERS = {
    "advocate": env_int("VECHE_REFERRAL_TIER_ADVOCATE", 3),
    "ambassador": env_int("VECHE_REFERRAL_TIER_AMBASSADOR", 10),
}
# More referred sign-ups than this from one address within the burst window are suspicious.
VECHE_REFERRAL_BURST_LIMIT = env_int("VECHE_REFERRAL_BURST_LIMIT", 3)
VECHE_REFERRAL_BURST_MINUTES = env_int("VECHE_REFERRAL_BURST_MINUTES", 60)
VECHE_AMBASSADOR_AUTO_APPROVE = env_bool("VECHE_AMBASSADOR_AUTO_APPROVE", False)
# Qualified referrals an ambassador needs per review period to keep the status.
VECHE_AMBASSADOR_MAINTENANCE = env_int("VECHE_AMBASSADOR_MAINTENANCE", 1)
VECHE_AMBASSADOR_REVIEW_DAYS = env_int("VECHE_AMBASSADOR_REVIEW_DAYS", 30)
VECHE_INVITATIONS_PER_DAY = env_int("VECHE_INVITATIONS_PER_DAY", 10)
VECHE_INVITATION_DAYS = env_int("VECHE_INVITATION_DAYS", 14)

# --- security --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests from the
# site itself only. Every script is a static file (htmx included, served by django-htmx) and
# no template carries an inline script, style or event handler, so no 'unsafe-inline'
# (tests/config/test_csp.py holds that). Images in posts from other hosts come through the
# site's image proxy (uploads.proxy; posts rendered before it still name other hosts, which
# stay blocked unless the host is in VECHE_IMG_SRC_ALLOW, comma-separated sources such as
# "https://images.example.org").
VECHE_IMG_SRC_ALLOW = [
    source.strip() for source in (env("VECHE_IMG_SRC_ALLOW") or "").split(",") if source.strip()
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *VECHE_IMG_SRC_ALLOW],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Off only for a plain-HTTP site on loopback (ops/cluster.py): a browser would not send
    # secure cookies back over HTTP, so nobody could sign in.
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}
