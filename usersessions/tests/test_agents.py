import pytest

from usersessions.agents import user_agent_describe

from .conftest import FIREFOX, IPHONE

CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36"
)


@pytest.mark.parametrize(
    ("user_agent", "described"),
    [
        (FIREFOX, "Firefox 120 on Windows 10"),
        (CHROME_MAC, "Chrome 119 on Mac OS X 10.15"),
        (IPHONE, "Mobile Safari 17 on iOS 17.1"),
        ("curl/8.4.0", "curl 8"),  # a browser without a system
        ("Mozilla/5.0 (X11; Linux x86_64) Gibberish", "Unknown browser on Linux"),
        ("", "Unknown browser"),
        ("nothing anyone knows", "Unknown browser"),
    ],
)
def test_describes_browser_and_system(user_agent, described):
    assert user_agent_describe(user_agent) == described
