"""Settings for the test suite: fast hashing, in-memory email, quiet logs."""

from .base import *

DEBUG = False
# As in production: the chrome's fragments are cached, so the tests see what visitors get.
CACHES = {**CACHES, "template_fragments": TEMPLATE_FRAGMENTS_CACHE}
SECRET_KEY = "test-only-secret-key"
# Argon2 costs ~180 ms a hash; the suite hashes hundreds of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_DATA_ALLOWED = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}
# Serve static files straight from the app and project folders: no collectstatic in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Client.login() authenticates without a request, which django-axes refuses; the lockout
# tests switch it back on (accounts/tests/test_security.py).
AXES_ENABLED = False
# Hundreds of registrations come from 127.0.0.1; the rate-limit tests set their own rate.
REGISTRATION_RATE = "off"
# The locmem counters outlive each test, and rolled-back user ids come back: wrong join codes
# would add up across the suite. The join tests set their own rate (classrooms/tests).
JOIN_ATTEMPT_RATE = "off"
# Likewise per user; the email-change tests set their own rate (accounts/tests/test_my_account.py).
EMAIL_CHANGE_RATE = "off"
