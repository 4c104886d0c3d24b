from http import HTTPStatus

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user
from django.urls import reverse

from accounts.backends import ProfileModelBackend
from accounts.tests.factories import AdminFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


class TestProfileModelBackend:
    @pytest.mark.parametrize(
        ("factory", "accessor", "field", "value"),
        [
            (StudentFactory, "student_profile", "grade", 9),
            (TeacherFactory, "teacher_profile", "subject", "Physics"),
        ],
    )
    def test_loads_the_users_profile_in_the_same_query(
        self, django_assert_num_queries, factory, accessor, field, value
    ):
        user = factory(**{f"profile__{field}": value})
        with django_assert_num_queries(1):
            loaded = ProfileModelBackend().get_user(user.pk)
            assert getattr(loaded.profile, field) == value

    def test_a_user_without_a_profile_costs_no_extra_query(self, django_assert_num_queries):
        admin = AdminFactory()
        with django_assert_num_queries(1):
            assert ProfileModelBackend().get_user(admin.pk).profile is None

    def test_an_inactive_or_missing_user_is_not_loaded(self):
        assert ProfileModelBackend().get_user(StudentFactory(is_active=False).pk) is None
        assert ProfileModelBackend().get_user(0) is None

    def test_logins_record_it_so_every_request_loads_the_profile(self, client, student, password):
        response = client.post(
            reverse("login"), {"username": student.username, "password": password}
        )
        assert response.status_code == HTTPStatus.FOUND
        assert client.session[SESSION_KEY] == str(student.pk)
        assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.ProfileModelBackend"
        request = response.wsgi_request
        request.session = client.session
        assert get_user(request) == student
