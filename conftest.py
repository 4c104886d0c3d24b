import pytest

from accounts.tests.factories import AdminFactory, StudentFactory, TeacherFactory

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def student(db):
    return StudentFactory(password=PASSWORD)


@pytest.fixture
def teacher(db):
    return TeacherFactory(password=PASSWORD)


@pytest.fixture
def staff(db):
    return AdminFactory(password=PASSWORD, is_staff=True, is_superuser=True)


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
    client.force_login(staff)
    return client
