"""Browser and system, in words, from a User-Agent header (ua-parser's regexes)."""

from functools import lru_cache

from django.utils.translation import gettext as _
from ua_parser import parse_os, parse_user_agent

UNKNOWN = "Other"  # ua-parser's family for what it does not recognise


@lru_cache(maxsize=1024)
def _parts(user_agent: str) -> tuple[str | None, str | None]:
    # Cached: a user's page repeats the same few strings, and each parse runs many regexes.
    browser = parse_user_agent(user_agent) if user_agent else None
    system = parse_os(user_agent) if user_agent else None
    return (
        _versioned(browser.family, browser.major)
        if browser and browser.family != UNKNOWN
        else None,
        _versioned(system.family, system.major, system.minor)
        if system and system.family != UNKNOWN
        else None,
    )


def _versioned(family: str, *numbers: str | None) -> str:
    version = ".".join(number for number in numbers if number)
    return f"{family} {version}" if version else family


def user_agent_describe(user_agent: str) -> str:
    """Return e.g. "Firefox 120 on Windows 10"; "Unknown browser" when nothing is recognised."""
    browser, system = _parts(user_agent)
    if system is None:
        return browser or _("Unknown browser")
    return _("%(browser)s on %(system)s") % {
        "browser": browser or _("Unknown browser"),
        "system": system,
    }
