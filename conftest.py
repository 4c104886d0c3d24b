import pytest

from accounts import roles
from accounts.tests.factories import AdminFactory, profile_data, user_factory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory
from twofactor.tests.factories import otp_verify, totp_device

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def password() -> str:
    return PASSWORD


# The core's tests run once for every installed role app, whatever it is.
@pytest.fixture(params=[config.role for config in roles.registered()])
def role_config(request) -> roles.RoleAppConfig:
    return roles.get(request.param)


@pytest.fixture
def role_user(db, role_config):
    """A user of the role under test, with a valid profile and the password fixture's password."""
    return user_factory(role_config)(password=PASSWORD)


@pytest.fixture
def role_client(client, role_user):
    """A client logged in as `role_user`."""
    client.force_login(role_user)
    return client


@pytest.fixture
def role_profile_data(role_config) -> dict:
    """Valid profile fields for the role under test, as its registration form posts them."""
    return profile_data(role_config)


@pytest.fixture
def student(db):
    return StudentFactory(password=PASSWORD)


@pytest.fixture
def teacher(db):
    return TeacherFactory(password=PASSWORD)


@pytest.fixture
def staff(db):
    """A superuser with two-factor login (the admin needs it)."""
    user = AdminFactory(password=PASSWORD, is_staff=True, is_superuser=True)
    totp_device(user)
    return user


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def staff_client(client, staff):
    """A client logged in as `staff`, past the second step."""
    otp_verify(client, staff)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, past the second step (the admin needs it)."""
    otp_verify(client, admin_user)
    return client
