from http import HTTPStatus

import pytest
from django.core.paginator import EmptyPage

from accounts import roles
from accounts.pagination import LookaheadPaginator
from accounts.tests.factories import user_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(role_config):
    """Ten users of the role under test, as a home's directory queries them."""
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


def test_home_says_page_n_without_a_total_past_the_lookahead(
    client, role_config, role_user, monkeypatch
):
    monkeypatch.setattr(LookaheadPaginator, "lookahead_pages", 0)
    # 30 users of every role: two pages (25 a page) whichever role the home's directory lists.
    for config in roles.registered():
        user_factory(config).create_batch(30)
    client.force_login(role_user)
    first = client.get(role_config.url("home")).content.decode()
    assert ">Page 1</span>" in first and 'rel="next"' in first
    second = client.get(role_config.url("home"), {"page": 2})
    assert second.status_code == HTTPStatus.OK
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("page", ["9223372036854775807", "99999999999999999999"])
def test_a_page_number_too_deep_to_serve_is_404(client, role_config, role_user, page):
    """What an outside scanner found: such a page used to overflow the count's LIMIT (500)."""
    for config in roles.registered():
        user_factory(config).create_batch(2)
    client.force_login(role_user)
    response = client.get(role_config.url("home"), {"page": page})
    assert response.status_code == HTTPStatus.NOT_FOUND
