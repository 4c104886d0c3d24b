"""Production settings: secrets from the environment, HTTPS only, hashed static files."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=False)
try:
    SECRET_KEY = env.str("SECRET_KEY")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable.") from exc
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be a long random value (50+ characters).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# Not from the environment: demo accounts have published passwords.
DEMO_DATA_ALLOWED = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Rate-limit counters shared by every app instance; run `manage.py createcachetable` once.
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://school_cache"),
    "template_fragments": TEMPLATE_FRAGMENTS_CACHE,
}

# Sessions read through that shared cache (one raw-SQL lookup in the cache table, or one Redis
# GET, instead of an ORM query: about 0.2 ms of every logged-in request) and are written to
# the database too, so they outlive the cache; logout deletes both, everywhere. Never in
# front of an in-process cache: another worker would keep serving a session ended elsewhere.
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # The database cache drops a third of its rows past MAX_ENTRIES (300 by default): leave
    # room for every live session, or most session reads would miss and then write the cache.
    # (Each cache write counts the table's rows; at thousands of sessions, prefer Redis.)
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)

# Email to many people is queued in the database and sent by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
