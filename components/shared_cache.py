"""Figures every viewer shares: computed once, then refreshed in the background.

A value is computed by the first run that asks for it (runs asking meanwhile wait for that
one computation). Once it is older than its time to live, runs still get it at once while
one background thread computes the next; so after the first, no viewer's run pays for the
queries, however many viewers there are. Values are shared, not copied: they are read-only.
Keys nobody has asked for in a while are dropped. This lives outside Streamlit's caches,
which are copied on every read (st.cache_data) and could be emptied by any browser.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class _Entry:
    value: Any = None
    made_at: float = 0.0
    read_at: float = 0.0
    ready: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    refreshing: bool = False


class SharedCache:
    every: list[SharedCache] = []  # for tests, which empty the tables under them

    def __init__(self, ttl: float, forget_after: float = 600.0) -> None:
        self.ttl = ttl
        self.forget_after = forget_after
        self._entries: dict[Hashable, _Entry] = {}
        self._lock = threading.Lock()
        self._refreshing: set[threading.Thread] = set()
        SharedCache.every.append(self)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value of `key`: computed now if there is none yet, refreshed in the
        background (and returned as it is meanwhile) once older than the time to live."""
        now = time.monotonic()
        with self._lock:
            self._forget_unread(now)
            entry = self._entries.get(key)
            first = entry is None
            if first:
                entry = self._entries[key] = _Entry()
            entry.read_at = now
            stale = entry.ready.is_set() and now - entry.made_at >= self.ttl
            if stale and not entry.refreshing:
                entry.refreshing = True
                thread = threading.Thread(target=self._refresh, args=(key, entry, compute),
                                          name="shared-cache", daemon=True)
                self._refreshing.add(thread)
                thread.start()
        if first:
            self._fill(key, entry, compute)
        entry.ready.wait()
        if entry.error is not None:
            raise entry.error
        return entry.value

    def _fill(self, key: Hashable, entry: _Entry, compute: Callable[[], Any]) -> None:
        try:
            entry.value, entry.made_at = compute(), time.monotonic()
        except BaseException as error:  # the waiting runs see it too; the next run tries again
            entry.error = error
            with self._lock:
                self._entries.pop(key, None)
        finally:
            entry.ready.set()

    def _refresh(self, key: Hashable, entry: _Entry, compute: Callable[[], Any]) -> None:
        try:
            value = compute()
            entry.value, entry.made_at = value, time.monotonic()
        except Exception:  # the database away a moment: keep the last figures, try later
            log.warning("refreshing %r failed; the previous figures stay", key, exc_info=True)
        finally:
            entry.refreshing = False
            with self._lock:
                self._refreshing.discard(threading.current_thread())

    def _forget_unread(self, now: float) -> None:
        for key in [k for k, e in self._entries.items()
                    if e.ready.is_set() and now - e.read_at > self.forget_after]:
            del self._entries[key]

    def clear(self) -> None:
        """Forget every value, once the refreshes under way have finished."""
        with self._lock:
            running = list(self._refreshing)
        for thread in running:
            thread.join(timeout=60)
        with self._lock:
            self._entries.clear()
