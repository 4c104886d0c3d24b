from http import HTTPStatus

import pytest
from django.core.paginator import EmptyPage

from accounts.pagination import LookaheadPaginator
from accounts.tests.factories import directory_url, directory_viewer_role, user_factory, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(role_config):
    """Ten users of the role under test, as its directory queries them."""
    user_factory(role_config).create_batch(10)
    return role_config.proxy.objects.by_name()


class TestLookaheadPaginator:
    def test_counts_exactly_when_the_rows_fit_in_the_lookahead(self, roster):
        paginator = LookaheadPaginator(roster, per_page=4)
        page = paginator.page(1)
        assert (paginator.count, paginator.num_pages, paginator.is_exact) == (10, 3, True)
        assert page.has_next()

    def test_stops_counting_after_the_lookahead(self, roster, django_assert_num_queries):
        paginator = LookaheadPaginator(roster, per_page=2)
        paginator.lookahead_pages = 1
        with django_assert_num_queries(2):  # the bounded count, then the page's rows
            page = paginator.page(1)
            assert len(page.object_list) == 2
        assert (paginator.count, paginator.is_exact) == (5, False)  # a lower bound
        assert page.has_next()

    def test_reaches_every_page_beyond_the_lookahead(self, roster):
        paginator = LookaheadPaginator(roster, per_page=2)
        paginator.lookahead_pages = 1
        last = paginator.page(5)
        assert paginator.is_exact and not last.has_next()
        assert [u.pk for u in last.object_list] == [u.pk for u in roster[8:]]

    def test_a_page_past_the_end_is_empty(self, roster):
        with pytest.raises(EmptyPage):
            LookaheadPaginator(roster, per_page=4).page(4)

    # Its look-ahead limit would not fit in a 64-bit LIMIT: a 404 to the views, not a 500.
    @pytest.mark.parametrize(
        "number",
        [2**63 - 1, 2**63, 10**20, 10**400, "99999999999999999999999"],
        ids=["2**63-1", "2**63", "10**20", "10**400", "text"],
    )
    def test_a_page_deeper_than_a_database_can_count_is_empty(self, roster, number):
        with pytest.raises(EmptyPage):
            LookaheadPaginator(roster, per_page=4).page(number)


@pytest.fixture
def viewer_client(client, role_config):
    """A client logged in as a user who may browse the directory of the role under test."""
    client.force_login(user_of(directory_viewer_role(role_config)))
    return client


def test_directory_says_page_n_without_a_total_past_the_lookahead(
    viewer_client, role_config, monkeypatch
):
    monkeypatch.setattr(LookaheadPaginator, "lookahead_pages", 0)
    user_factory(role_config).create_batch(30)  # two pages, 25 a page
    url = directory_url(role_config)
    first = viewer_client.get(url).content.decode()
    assert ">Page 1</span>" in first and 'rel="next"' in first
    second = viewer_client.get(url, {"page": 2})
    assert second.status_code == HTTPStatus.OK
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("page", ["9223372036854775807", "99999999999999999999"])
def test_a_page_number_too_deep_to_serve_is_404(viewer_client, role_config, page):
    """What an outside scanner found: such a page used to overflow the count's LIMIT (500)."""
    user_factory(role_config).create_batch(2)
    response = viewer_client.get(directory_url(role_config), {"page": page})
    assert response.status_code == HTTPStatus.NOT_FOUND
