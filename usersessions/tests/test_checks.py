from usersessions.checks import check_session_engine


def test_sessions_kept_in_cookies_are_flagged(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

    assert [warning.id for warning in check_session_engine(None)] == ["usersessions.W001"]


def test_server_side_sessions_pass(settings):
    for engine in ("db", "cached_db", "cache"):
        settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
        assert check_session_engine(None) == []
