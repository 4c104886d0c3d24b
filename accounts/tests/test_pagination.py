from http import HTTPStatus

import pytest
from django.core.paginator import EmptyPage
from django.urls import reverse

from accounts.pagination import LookaheadPaginator
from accounts.tests.factories import StudentFactory
from students.models import Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def students():
    StudentFactory.create_batch(10)
    return Student.objects.by_name()


class TestLookaheadPaginator:
    def test_counts_exactly_when_the_rows_fit_in_the_lookahead(self, students):
        paginator = LookaheadPaginator(students, per_page=4)
        page = paginator.page(1)
        assert (paginator.count, paginator.num_pages, paginator.is_exact) == (10, 3, True)
        assert page.has_next()

    def test_stops_counting_after_the_lookahead(self, students, django_assert_num_queries):
        paginator = LookaheadPaginator(students, per_page=2)
        paginator.lookahead_pages = 1
        with django_assert_num_queries(2):  # the bounded count, then the page's rows
            page = paginator.page(1)
            assert len(page.object_list) == 2
        assert (paginator.count, paginator.is_exact) == (5, False)  # a lower bound
        assert page.has_next()

    def test_reaches_every_page_beyond_the_lookahead(self, students):
        paginator = LookaheadPaginator(students, per_page=2)
        paginator.lookahead_pages = 1
        last = paginator.page(5)
        assert paginator.is_exact and not last.has_next()
        assert [s.pk for s in last.object_list] == [s.pk for s in students[8:]]

    def test_a_page_past_the_end_is_empty(self, students):
        with pytest.raises(EmptyPage):
            LookaheadPaginator(students, per_page=4).page(4)

    @pytest.mark.parametrize(
        "number", [2**63 - 1, 2**63, 10**20, 10**400], ids=["2**63-1", "2**63", "10**20", "10**400"]
    )
    def test_a_page_deeper_than_a_database_can_count_is_empty(self, students, number):
        with pytest.raises(EmptyPage):
            LookaheadPaginator(students, per_page=4).page(number)


def test_teacher_home_says_page_n_without_a_total_past_the_lookahead(teacher_client, monkeypatch):
    monkeypatch.setattr(LookaheadPaginator, "lookahead_pages", 0)
    StudentFactory.create_batch(30)
    first = teacher_client.get(reverse("teachers:home")).content.decode()
    assert ">Page 1</span>" in first and 'rel="next"' in first
    second = teacher_client.get(reverse("teachers:home"), {"page": 2})
    assert second.status_code == HTTPStatus.OK
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("page", ["9223372036854775807", "99999999999999999999"])
@pytest.mark.parametrize(
    ("who", "url"),
    [("student_client", "/students/home/"), ("teacher_client", "/teachers/home/")],
)
def test_a_page_number_too_deep_to_serve_is_404(request, who, url, page):
    """What an outside scanner found: such a page used to overflow the count's LIMIT (500)."""
    StudentFactory.create_batch(2)
    response = request.getfixturevalue(who).get(url, {"page": page})
    assert response.status_code == HTTPStatus.NOT_FOUND
