"""Production settings: they refuse to start half-configured and pass Django's deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "school.settings.production", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_at_warning_level():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="school.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    [None, "short", "django-insecure-" + "x" * 60],
    ids=["missing", "short", "insecure-default"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    env = {"SECRET_KEY": secret_key} if secret_key else {}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_abuse_limits_come_from_the_environment():
    code = (
        "from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(), "
        "settings.REGISTRATION_RATE, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_HTTPONLY, settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS > 0)"
    )
    result = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        code,
        SECRET_KEY=secrets.token_urlsafe(64),
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_LOCKOUT_MINUTES="30",
        REGISTRATION_RATE="100/h",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "1800.0", "100/h", "True", "True", "True", "True", "True"]


@pytest.mark.parametrize(
    "env",
    [
        {"REGISTRATION_RATE": "sixty an hour"},
        {"REGISTRATION_RATE": "60/hour"},
        {"JOIN_ATTEMPT_RATE": "ten"},
        {"LOGIN_LOCKOUT_MINUTES": "0"},
        {"LOGIN_FAILURE_LIMIT": "0"},
    ],
    ids=["rate-words", "rate-unit", "join-rate-words", "no-cool-off", "no-failures"],
)
def test_bad_abuse_limits_stop_the_start(env):
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(64), **env)
    assert result.returncode != 0
    assert next(iter(env)) in result.stderr
