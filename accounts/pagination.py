"""Pagination for directories that may hold 100,000 accounts."""

from functools import cached_property

from django.core.paginator import Paginator

# The largest LIMIT SQLite and PostgreSQL take: a signed 64-bit integer. Past it they answer
# "datatype mismatch" or "bigint out of range", which would be a 500.
MAX_LIMIT = 2**63 - 1


class LookaheadPaginator(Paginator):
    """Count rows only up to a few pages past the one asked for, not the whole table.

    An exact COUNT(*) over 100,000 accounts costs more than the rest of the page (milliseconds
    on SQLite, tens on a cold PostgreSQL) and grows with the school. Counting at most
    `lookahead_pages` pages ahead keeps every page's cost flat; when there are more rows,
    `is_exact` is False, `count` is only a lower bound, and the templates say "Page 3"
    instead of "Page 3 of N".
    """

    lookahead_pages = 10
    is_exact = True

    def page(self, number):
        self.expect_page(number)
        return super().page(number)

    def expect_page(self, number) -> None:
        """Count far enough for page `number` (the admin's changelist counts before paging)."""
        try:
            self._wanted_page = max(int(number), 1)
        except (TypeError, ValueError):
            self._wanted_page = 1

    @cached_property
    def count(self) -> int:
        limit = (getattr(self, "_wanted_page", 1) + self.lookahead_pages) * self.per_page
        # No table holds more rows than the largest LIMIT: for a page number that deep, count
        # every row, and the page is past the end (EmptyPage, which ListView answers with 404).
        limit = min(limit, MAX_LIMIT - 1)
        # Any `limit + 1` rows count the same: no ORDER BY to compile or sort by.
        counted = self.object_list.order_by()[: limit + 1].count()
        self.is_exact = counted <= limit
        return counted  # when not exact, a lower bound that still makes the next page valid
