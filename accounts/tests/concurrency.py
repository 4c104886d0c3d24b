"""Races: calls made at the same moment, each in its own thread and database connection."""

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client

T = TypeVar("T")

# On SQLite one writer waits for the other, so two requests never race.
POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers, so nothing can race; CI runs this on PostgreSQL",
)


def at_once(*calls: Callable[[], T]) -> list[T | Exception]:
    """Start every call at the same moment; return each one's result, or what it raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def post_at_once(posts: list[tuple]) -> list[HttpResponse]:
    """POST each (user or None for a visitor, url, data) from its own browser at once."""
    calls = []
    for user, url, data in posts:
        browser = Client()
        if user is not None:
            browser.force_login(user)
        calls.append(lambda browser=browser, url=url, data=data: browser.post(url, data))
    responses = at_once(*calls)
    for response in responses:
        if isinstance(response, Exception):
            raise response
    return responses
