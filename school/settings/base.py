"""Settings for every environment, read from environment variables (django-environ)."""

import re
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# Development defaults only; production settings refuse to start without SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    # Django's admin, for staff with two-factor login (twofactor.sites.TwoFactorAdminSite).
    "twofactor.apps.TwoFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "students",
    "teachers",
    "classrooms",
    "twofactor",
    "usersessions",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Cache-Control: no-store for logged-in users and pages with a form. Before (outside)
    # CsrfViewMiddleware, to see the CSRF cookie a form sets, and reads request.user on the
    # way out.
    "accounts.middleware.NoStoreMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Default deny: every view needs a logged-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A user whose password someone else chose goes to change it first, from any page.
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    # Staff without a verified second factor, and teachers when TEACHER_2FA is "required",
    # go to set it up or to enter a code, from any page.
    "twofactor.middleware.TwoFactorRequiredMiddleware",
    # "Last active" of the sessions page, written at most once per SESSION_ACTIVITY_INTERVAL.
    "usersessions.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The audit trail's actor: the logged-in user of the request (django-auditlog).
    "auditlog.middleware.AuditlogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Turns django-ratelimit's refusals into the 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "school.urls"
WSGI_APPLICATION = "school.wsgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite, the embedded default, under a few concurrent writers (two gunicorn workers, a
    # class logging in at once). WAL: readers never wait for the writer, nor it for them.
    # timeout: a writer waits up to 20 s for the lock instead of failing ("database is
    # locked", a 500). IMMEDIATE: a transaction takes the write lock as it begins; a deferred
    # one that reads and then writes fails at once if another has written meanwhile, timeout
    # or not (django-axes' failure count does just that). synchronous=NORMAL is WAL's usual
    # setting: a power cut may lose the last commits, never corrupt the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+IP is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "landing"

PASSWORD_HASHERS = [
    "accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: EMAIL_URL (e.g. smtp+tls://user:password@host:587) or EMAIL_HOST and friends;
# without either, messages are printed to the console.
if "EMAIL_URL" in env:
    vars().update(env.email("EMAIL_URL"))
elif "EMAIL_HOST" in env:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="school@localhost")

# Who may register as a teacher: "open" (anyone), "approval" (staff activate each new
# account from the admin) or "closed" (only staff and operators create teachers). Approval
# by default: a teacher sees students, so a stranger must not become one unchecked.
TEACHER_SIGNUP = env.str("TEACHER_SIGNUP", default="approval")
# `manage.py seed_demo` makes accounts with public passwords: never in production.
DEMO_DATA_ALLOWED = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere. The site's
# templates and Django's admin load every script and stylesheet from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Bootstrap's icons are data: URIs in its CSS
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Brute force (django-axes): lock out one username from one IP address after
# LOGIN_FAILURE_LIMIT failures, for LOGIN_LOCKOUT_MINUTES. Not by IP alone: a whole class
# logs in from one school address. Attempts live in the database, so every app instance
# sees the same lockouts.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
# Password spraying: that lockout lets one address try a few passwords on every username.
# Past LOGIN_IP_FAILURE_LIMIT failed logins from one address in LOGIN_IP_FAILURE_WINDOW,
# whatever the usernames, nobody logs in from it (accounts.security.LoginFailureHandler,
# counting axes' failure log). High enough for a class's typos behind one school address.
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=100)
LOGIN_IP_FAILURE_WINDOW = timedelta(hours=1)
if (
    min(AXES_FAILURE_LIMIT, LOGIN_IP_FAILURE_LIMIT) < 1
    # A zero cool-off would make django-axes lock out forever.
    or timedelta(minutes=1) > AXES_COOLOFF_TIME
):
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT, LOGIN_IP_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1."
    )
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.security.lockout_username"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "accounts.security.LoginFailureHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False


def env_rate(name: str, default: str) -> str:
    """Read a django-ratelimit rate like "60/h" from the environment, or "off"."""
    rate = env.str(name, default=default)
    if rate.lower() != "off" and not re.fullmatch(r"\d+/\d*[smhd]", rate):
        raise ImproperlyConfigured(
            f"{name} must look like {default} (a count per s, m, h or d) or be off, not {rate!r}."
        )
    return rate


# Abuse of the other forms (django-ratelimit): registrations and password-reset requests per
# IP address. REGISTRATION_RATE like "60/h"; "off" disables the limit.
REGISTRATION_RATE = env_rate("REGISTRATION_RATE", default="60/h")
# Wrong class join codes per student: 8 characters of a 31-letter alphabet resist guessing
# only behind a limit. Right codes don't count.
JOIN_ATTEMPT_RATE = env_rate("JOIN_ATTEMPT_RATE", default="10/h")
# Email-change requests per user (/accounts/email/): each checks the password and emails an
# address the user typed, so both guessing and mail to strangers stay slow.
EMAIL_CHANGE_RATE = env_rate("EMAIL_CHANGE_RATE", default="10/h")
RATELIMIT_VIEW = "accounts.views.rate_limited"
# Behind a reverse proxy every request comes from the proxy's address: name the request.META
# key holding the client's address that the proxy sets (e.g. "HTTP_X_REAL_IP"), for both the
# lockout and the rate limits. Never a header that clients can set themselves unchecked.
CLIENT_IP_META_KEY = env.str("CLIENT_IP_META_KEY", default="REMOTE_ADDR")
RATELIMIT_IP_META_KEY = CLIENT_IP_META_KEY
# The counters live in the default cache. In-process memory suits one process; several
# processes or machines share the database cache (CACHE_URL=dbcache://school_cache after
# `manage.py createcachetable`) or Redis (CACHE_URL=redis://…).
# The page chrome's {% cache %} fragments (templates/base.html): the same for every visitor,
# so each process keeps its own. Not while developing (DEBUG), where templates change.
TEMPLATE_FRAGMENTS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "TIMEOUT": None,
}
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
    "template_fragments": (
        TEMPLATE_FRAGMENTS_CACHE
        if not DEBUG
        else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    ),
}
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit only trusts memcached and django-redis. In-process memory is right for
    # one process; the database cache increments by read-then-write, so two simultaneous
    # requests may count once: a few extra registrations an hour, not a way round the limit.
    "django_ratelimit.E003",
    "django_ratelimit.W001",
]

# Background work (Django's tasks API, the django-tasks backport): email to many people.
# The immediate backend runs each task at once, in the request: right for `make run` and the
# tests, with no worker to start. Production queues them in the database
# (school/settings/production.py) for `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Two-factor login (django-otp). Staff always need it for the admin. Teachers: "off" (no
# setup page), "optional" (the default), "required" (set up after login before anything else).
TEACHER_2FA = env.str("TEACHER_2FA", default="optional")
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="School")

# The sessions page's "last active" is written at most this often per session, so a request
# does not mean a write.
SESSION_ACTIVITY_INTERVAL = timedelta(minutes=env.int("SESSION_ACTIVITY_MINUTES", default=5))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
