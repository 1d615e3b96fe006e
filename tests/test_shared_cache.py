"""Figures every viewer shares: computed once however many ask, refreshed in the background
while the last ones are still shown, and never lost to a failed refresh."""

from __future__ import annotations

import threading
import time

import pytest

from components.shared_cache import SharedCache
from tests.factories import at_once


def test_forty_viewers_asking_at_once_cause_one_computation():
    cache, computed = SharedCache(ttl=60), []

    def compute():
        computed.append(1)
        time.sleep(0.2)  # the queries take a while; the others wait for this one
        return {"received": 3}

    seen = []
    at_once(lambda: seen.append(cache.get("city", compute)), [()] * 40)
    assert len(computed) == 1 and seen == [{"received": 3}] * 40


def test_a_stale_value_is_shown_at_once_while_the_next_is_computed_in_the_background():
    cache, release = SharedCache(ttl=0.05), threading.Event()
    values = iter([1, 2])

    def compute():
        value = next(values)
        if value == 2:
            release.wait(5)  # the refresh is slow
        return value

    assert cache.get("k", compute) == 1
    time.sleep(0.1)
    started = time.monotonic()
    assert cache.get("k", compute) == 1  # stale, but at once: the refresh runs beside it
    assert time.monotonic() - started < 0.5
    release.set()
    for _ in range(50):
        if cache.get("k", compute) == 2:
            break
        time.sleep(0.05)
    assert cache.get("k", compute) == 2


def test_a_failed_refresh_keeps_the_last_figures_and_a_failed_first_is_tried_again():
    cache = SharedCache(ttl=0.01)
    assert cache.get("k", lambda: "figures") == "figures"
    time.sleep(0.02)

    def broken():
        raise ConnectionError("database away")
    assert cache.get("k", broken) == "figures"
    cache.clear()  # waits for that refresh
    assert cache.get("k", lambda: "again") == "again"
    with pytest.raises(ConnectionError):
        cache.get("other", broken)
    assert cache.get("other", lambda: "now") == "now"
