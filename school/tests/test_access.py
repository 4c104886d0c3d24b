"""Who may see what: every URL the project routes, for every kind of visitor.

The table spans every app, so it lives with the project rather than in one app. The URLs
come from the resolver, so a new page that is missing from ACCESS fails the suite until
someone decides who may see it; that includes the pages of a new role app, whose users are
then one more kind of visitor (a fixture `<role>_client` in the root conftest.py).
"""

import re
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from classrooms.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = (
    HTTPStatus.OK,
    HTTPStatus.FOUND,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.METHOD_NOT_ALLOWED,
)
VISITORS = ("anonymous", "student", "teacher", "staff")

# URL name -> status of a GET for (anonymous, student, teacher, staff).
# 302 for a logged-in visitor on landing/register/login pages means "sent to your own home";
# for the anonymous visitor on other pages it means "sent to log in".
ACCESS: dict[str, tuple[int, int, int, int]] = {
    "landing": (OK, FOUND, FOUND, FOUND),
    "healthz": (OK, OK, OK, OK),
    "login": (OK, FOUND, FOUND, FOUND),
    "logout": (FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),  # POST only
    "password_change": (FOUND, OK, OK, OK),
    "password_change_done": (FOUND, OK, OK, OK),
    "password_reset": (OK, OK, OK, OK),
    "password_reset_done": (OK, OK, OK, OK),
    "password_reset_confirm": (OK, OK, OK, OK),  # an invalid link says so
    "password_reset_complete": (OK, OK, OK, OK),
    "registration_pending": (OK, OK, OK, OK),  # a message page, after an approval sign-up
    # My account: every logged-in user's own; the sample token is no valid link, which the
    # page says (200, as Django's reset link); a valid one for another account is 403.
    "profile": (FOUND, OK, OK, OK),
    "email_change": (FOUND, OK, OK, OK),
    "email_confirm": (FOUND, OK, OK, OK),
    "data_export": (FOUND, OK, OK, OK),
    # Two-factor: set up (or, with a device, see and remove it); removal is POST only. The
    # second step on its own page has nothing to ask these visitors: to log in, or home.
    "twofactor:setup": (FOUND, OK, OK, OK),
    "twofactor:disable": (FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "twofactor:verify": (FOUND, FOUND, FOUND, FOUND),
    # Each user's own sessions; a POST ends the others.
    "usersessions:list": (FOUND, OK, OK, OK),
    "students:register": (OK, FOUND, FOUND, FOUND),
    "students:login": (OK, FOUND, FOUND, FOUND),
    "students:home": (FOUND, OK, FORBIDDEN, FORBIDDEN),
    "teachers:register": (OK, FOUND, FOUND, FOUND),
    "teachers:login": (OK, FOUND, FOUND, FOUND),
    "teachers:home": (FOUND, FORBIDDEN, OK, FORBIDDEN),
    "classrooms:join": (FOUND, OK, FORBIDDEN, FORBIDDEN),
    # The sample code opens no class: a student is told the link no longer works.
    "classrooms:join_link": (FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN),
    "classrooms:new": (FOUND, FORBIDDEN, OK, FORBIDDEN),
    # A class that is nobody's here (SAMPLE_KWARGS): not found, whatever the method; its own
    # teacher and students are in CLASS_ACCESS below.
    "classrooms:detail": (FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "classrooms:edit": (FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "classrooms:code": (FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "classrooms:students_add": (FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "classrooms:student_remove": (FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "classrooms:students_new": (FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "classrooms:student_password": (FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    # The whole school, without emails: students for teachers, teachers for everyone.
    "directory:students": (FOUND, FORBIDDEN, OK, OK),
    "directory:teachers": (FOUND, OK, OK, OK),
}

SAMPLE_KWARGS = {"uidb64": "MQ", "token": "abc-123", "code": "ABCD2345", "pk": 1, "student_id": 1}


def routed(patterns=None, namespace: str = "", prefix: str = "") -> dict[str, str]:
    """Map the name of every URL pattern the project routes, outside Django's admin, to its route.

    The admin's own URLs are built by AdminSite from the registered ModelAdmins and guarded
    by it as a whole; test_admin_requires_staff covers them from the same registry.
    """
    routes = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes |= routed(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            routes[f"{namespace}{pattern.name or route}"] = route
    return routes


ROUTES = routed()


def route_kwargs(route: str, values: dict) -> dict:
    """Return the `values` that `route` takes, as `<name>` or `<converter:name>`."""
    return {key: value for key, value in values.items() if re.search(rf"<(\w+:)?{key}>", route)}


def test_every_routed_url_is_in_the_table():
    assert sorted(ROUTES) == sorted(ACCESS)


def visitor_client(request, visitor: str):
    return request.getfixturevalue("client" if visitor == "anonymous" else f"{visitor}_client")


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("visitor", VISITORS)
def test_access(request, visitor, name):
    expected = ACCESS[name][VISITORS.index(visitor)]
    url = reverse(name, kwargs=route_kwargs(ROUTES[name], SAMPLE_KWARGS))

    response = visitor_client(request, visitor).get(url)

    assert response.status_code == expected, f"{visitor} GET {url}"
    if visitor == "anonymous" and expected == FOUND:
        assert "/login/?next=" in response.url


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    return urls


@pytest.mark.parametrize("visitor", VISITORS)
def test_admin_requires_staff(request, visitor):
    """Only staff reach the admin; everyone else is sent to log in."""
    browser = visitor_client(request, visitor)
    for url in admin_urls():
        response = browser.get(url)
        if visitor == "staff":
            assert response.status_code == OK, url
        else:
            assert response.status_code == FOUND, url
            assert "login/?next=" in response.url


# The pages of one class, for the people around it: URL name -> status of a GET for
# (anonymous, student, enrolled student, its teacher, another teacher, staff).
# What is not yours is 404, never 403: a class's existence does not leak.
CLASS_VISITORS = ("anonymous", "student", "enrolled", "its_teacher", "teacher", "staff")
CLASS_ACCESS: dict[str, tuple[int, int, int, int, int, int]] = {
    "classrooms:detail": (FOUND, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND),
    "classrooms:edit": (FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND),
    "classrooms:code": (FOUND, NOT_FOUND, NOT_FOUND, NOT_ALLOWED, NOT_FOUND, NOT_FOUND),
    "classrooms:students_add": (FOUND, NOT_FOUND, NOT_FOUND, NOT_ALLOWED, NOT_FOUND, NOT_FOUND),
    "classrooms:student_remove": (FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND),
    "classrooms:students_new": (FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND),
    # POST only, for its teacher; the enrolled student themselves finds no such page either.
    "classrooms:student_password": (FOUND, NOT_FOUND, NOT_FOUND, NOT_ALLOWED, NOT_FOUND, NOT_FOUND),
    # A class's link is for students: any student may open it, no teacher or staff.
    "classrooms:join_link": (FOUND, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
}


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


def class_visitor_client(request, visitor: str, enrollment):
    people = {"enrolled": enrollment.student, "its_teacher": enrollment.classroom.teacher}
    if visitor not in people:
        return visitor_client(request, visitor)
    browser = request.getfixturevalue("client")
    browser.force_login(people[visitor])
    return browser


@pytest.mark.parametrize("name", CLASS_ACCESS)
@pytest.mark.parametrize("visitor", CLASS_VISITORS)
def test_class_access(request, enrollment, visitor, name):
    expected = CLASS_ACCESS[name][CLASS_VISITORS.index(visitor)]
    values = {
        "pk": enrollment.classroom.pk,
        "student_id": enrollment.student.pk,
        "code": enrollment.classroom.join_code,
    }
    url = reverse(name, kwargs=route_kwargs(ROUTES[name], values))

    response = class_visitor_client(request, visitor, enrollment).get(url)

    assert response.status_code == expected, f"{visitor} GET {url}"
    if visitor == "anonymous":
        assert "/login/?next=" in response.url
