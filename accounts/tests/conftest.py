import pytest

from accounts import roles


@pytest.fixture
def signup_open(settings, role_config):
    """Let visitors register as the role under test, whatever its sign-up setting says.

    A role's default may be to make accounts that wait for staff approval; the tests of what
    a registration does once the account is made active (log in, go home, `next`) open it.
    """
    if role_config.signup_setting:
        setattr(settings, role_config.signup_setting, roles.SignupPolicy.OPEN)
