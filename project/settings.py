"""Donemail settings: one module, read from the environment.

Every value has an embedded default that runs the whole pipeline on one
machine (SQLite and kombu's filesystem broker under var/). Production sets
DATABASE_URL, CELERY_BROKER_URL, EMAIL_URL and the secrets. A bad value raises
ImproperlyConfigured at start rather than failing on the first request.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from apps.outbound.transports.email_url import SmtpConfig, email_url_parse
from project import local_secrets
from project.validation import cafile_check, domain_check, from_address_check

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# --- Local state ------------------------------------------------------------
VAR_DIR = Path(env.str("DONEMAIL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
if env.bool("DONEMAIL_LOCAL_SECRETS", default=True):
    local_secrets.load(VAR_DIR)

# --- Core -------------------------------------------------------------------
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is not set (or set DONEMAIL_LOCAL_SECRETS=true).")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base for links inside emails (preferences, unsubscribe, team page).
PUBLIC_URL = env.str("PUBLIC_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "apps.teams",
    "apps.outbound",
    "apps.entries",
    "apps.inbound",
    "apps.delivery",
    "apps.ops",
    "apps.preferences",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'donemail.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # web, worker and beat share one file: wait for locks instead of failing,
    # take the write lock up front, and let readers run beside the writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Time and language: store UTC, schedule in each member's zone ------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (served by WhiteNoise from gunicorn) ----------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
# Outcomes live in our own tables; results would only fill the backend.
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Flower sees every task: workers send events, the client sends task-sent.
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
# With acks_late tasks, take one message at a time so a dying worker strands few.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when publishing to a dead broker; our sweeps re-publish later.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=4.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "apply-stranded-delivery-events": {"task": "delivery.sweep_events", "schedule": 60.0},
    "parse-stranded-inbound-email": {"task": "inbound.sweep", "schedule": 60.0},
}
CELERY_TIMEZONE = "UTC"

# --- Mail -------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="smtp://127.0.0.1:1025")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Donemail <donemail@localhost>")
from_address_check(variable="DEFAULT_FROM_EMAIL", value=DEFAULT_FROM_EMAIL)
MAILSINK_DIR = Path(env.str("MAILSINK_DIR", default=str(VAR_DIR / "mail")))

# --- Outbound transports (apps/outbound/transports) --------------------------
# EMAIL_URL is parsed by our own code (django-environ knows no sendgrid://);
# parsing it here makes a bad URL stop the process at start.
SENDGRID_API_KEY = env.str("SENDGRID_API_KEY", default="")
# Seconds to wait for a connection, a reply or an HTTP response.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=30.0)
# Persistent SMTP connections per worker process (shared by its threads).
EMAIL_POOL_SIZE = env.int("EMAIL_POOL_SIZE", default=2)
# A connection is closed (QUIT) and replaced after this many messages.
EMAIL_MAX_MESSAGES_PER_CONNECTION = env.int("EMAIL_MAX_MESSAGES_PER_CONNECTION", default=100)
# A connection idle longer than this is checked with NOOP before reuse.
EMAIL_NOOP_AFTER_SECONDS = env.float("EMAIL_NOOP_AFTER_SECONDS", default=30.0)
if not 0 < EMAIL_TIMEOUT <= 600:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be more than 0 and at most 600 (seconds).")
for _name in ("EMAIL_POOL_SIZE", "EMAIL_MAX_MESSAGES_PER_CONNECTION"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
if EMAIL_NOOP_AFTER_SECONDS < 0:
    raise ImproperlyConfigured("EMAIL_NOOP_AFTER_SECONDS must be 0 or more (seconds).")
_email_config = email_url_parse(EMAIL_URL, sendgrid_api_key=SENDGRID_API_KEY)
if isinstance(_email_config, SmtpConfig) and _email_config.cafile:
    # Else a missing bundle shows only at the first send, as a failed batch.
    cafile_check(variable="EMAIL_URL", cafile=_email_config.cafile)

# --- Inbound ----------------------------------------------------------------
# "user:password", several separated by commas while rotating.
INBOUND_WEBHOOK_SECRET = env.list("INBOUND_WEBHOOK_SECRET", default=[])
for _secret in INBOUND_WEBHOOK_SECRET:
    if ":" not in _secret:
        raise ImproperlyConfigured("INBOUND_WEBHOOK_SECRET entries must be user:password.")
INBOUND_DOMAIN = env.str("INBOUND_DOMAIN", default="in.localhost")
domain_check(variable="INBOUND_DOMAIN", value=INBOUND_DOMAIN)
# Largest webhook POST we store whole (SendGrid's own limit is 30 MB). A
# larger one is recorded as rejected with its headers and still answered 200,
# because SendGrid drops a message answered with any 4xx, telling nobody.
INBOUND_MAX_BYTES = env.int("INBOUND_MAX_BYTES", default=30 * 1024 * 1024)
if INBOUND_MAX_BYTES < 1024 * 1024:
    raise ImproperlyConfigured("INBOUND_MAX_BYTES must be at least 1048576 (1 MiB).")

# --- Member links (preferences, unsubscribe, team page) ----------------------
# Signed links in emails stop working after this many days; a fresh email
# brings fresh links. Unsubscribe links live longer: people unsubscribe from
# old mail, and a dead unsubscribe link turns into a spam complaint.
SIGNED_LINK_MAX_AGE_DAYS = env.int("SIGNED_LINK_MAX_AGE_DAYS", default=60)
UNSUBSCRIBE_LINK_MAX_AGE_DAYS = env.int("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", default=365)
for _name in ("SIGNED_LINK_MAX_AGE_DAYS", "UNSUBSCRIBE_LINK_MAX_AGE_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1 (days).")

# --- Delivery events and suppressions --------------------------------------
# SendGrid's signed Event Webhook: base64 DER public keys (several while rotating).
SENDGRID_EVENT_WEBHOOK_PUBLIC_KEYS = env.list("SENDGRID_EVENT_WEBHOOK_PUBLIC_KEYS", default=[])
# And/or HTTP Basic "user:password" entries in the webhook URL.
SENDGRID_EVENT_WEBHOOK_BASIC_AUTH = env.list("SENDGRID_EVENT_WEBHOOK_BASIC_AUTH", default=[])
# Seconds a signed request's timestamp may differ from our clock (replay window).
SENDGRID_EVENT_WEBHOOK_TOLERANCE = env.int("SENDGRID_EVENT_WEBHOOK_TOLERANCE", default=600)
# Soft bounces in a row (no delivery between) that suppress an address.
SOFT_BOUNCE_LIMIT = env.int("SOFT_BOUNCE_LIMIT", default=3)
if SOFT_BOUNCE_LIMIT < 1:
    raise ImproperlyConfigured("SOFT_BOUNCE_LIMIT must be at least 1.")

# --- Dispatch (beat -> dispatch_due -> batches) ------------------------------
# Beat runs dispatch this often; members in :30 and :45 zones wait at most this long.
DISPATCH_INTERVAL_SECONDS = env.int("DISPATCH_INTERVAL_SECONDS", default=300)
# After downtime, what fell due within this many hours is still sent; older is
# recorded as missed. Below a day, so one hour's slot is never due twice at once.
DISPATCH_CATCH_UP_HOURS = env.int("DISPATCH_CATCH_UP_HOURS", default=3)
# Message ids per send_batch task.
DISPATCH_BATCH_SIZE = env.int("DISPATCH_BATCH_SIZE", default=100)
if not 10 <= DISPATCH_INTERVAL_SECONDS <= 3600:
    raise ImproperlyConfigured("DISPATCH_INTERVAL_SECONDS must be 10 to 3600 (seconds).")
if not 1 <= DISPATCH_CATCH_UP_HOURS <= 23:
    raise ImproperlyConfigured("DISPATCH_CATCH_UP_HOURS must be 1 to 23 (hours).")
if not 1 <= DISPATCH_BATCH_SIZE <= 10000:
    raise ImproperlyConfigured("DISPATCH_BATCH_SIZE must be 1 to 10000 (message ids per task).")
CELERY_BEAT_SCHEDULE["dispatch-due"] = {
    "task": "outbound.dispatch_due",
    "schedule": float(DISPATCH_INTERVAL_SECONDS),
    # A run left in the queue past the next one is stale; the next one does its work.
    "options": {"expires": float(DISPATCH_INTERVAL_SECONDS)},
}


# --- Sending and recovery (apps/outbound/sending.py, recovery.py) -----------
def _at_least_one(name: str, default: int) -> int:
    """A whole number >= 1 from the environment, or an error that names it."""
    try:
        value = env.int(name, default=default)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from None
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1.")
    return value


# A worker holds the rows of its batch this long; a worker that died leaves
# them to the sweep once it has passed. Must comfortably exceed the time one
# message can take on the wire (the transport's timeout).
SEND_LEASE_SECONDS = _at_least_one("SEND_LEASE_SECONDS", 300)
# Attempts before a temporarily refused message is given up as failed.
SEND_MAX_ATTEMPTS = _at_least_one("SEND_MAX_ATTEMPTS", 8)
# Backoff: after attempt n the next one comes within base * 3**(n-1) seconds,
# capped (apps/outbound/backoff.py has the schedule these defaults make).
SEND_RETRY_BASE_SECONDS = _at_least_one("SEND_RETRY_BASE_SECONDS", 300)
SEND_RETRY_MAX_SECONDS = _at_least_one("SEND_RETRY_MAX_SECONDS", 8 * 3600)
if SEND_RETRY_MAX_SECONDS < SEND_RETRY_BASE_SECONDS:
    raise ImproperlyConfigured("SEND_RETRY_MAX_SECONDS must be at least SEND_RETRY_BASE_SECONDS.")
# The sweep: how often it runs, when a queued row counts as lost by the
# broker, how many ids go in each task it publishes, and at most how many
# rows of each kind it takes per run (the rest wait for the next run).
SWEEP_INTERVAL_SECONDS = _at_least_one("SWEEP_INTERVAL_SECONDS", 60)
SWEEP_REPUBLISH_AFTER_SECONDS = _at_least_one("SWEEP_REPUBLISH_AFTER_SECONDS", 120)
SWEEP_BATCH_SIZE = _at_least_one("SWEEP_BATCH_SIZE", 100)
SWEEP_LIMIT = _at_least_one("SWEEP_LIMIT", 10_000)
# Expires: a sweep that waited a whole interval in the queue is stale; the next one comes.
CELERY_BEAT_SCHEDULE["sweep-outbound"] = {
    "task": "outbound.sweep",
    "schedule": float(SWEEP_INTERVAL_SECONDS),
    "options": {"expires": float(SWEEP_INTERVAL_SECONDS)},
}

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
