"""Rules every action reads (the tuned settings, the holiday calendar): read through the
caller's own session, so an action stays on its one connection, and shared by the process
for a while, so most actions do not read them at all."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from db.engine import engine

T = TypeVar("T")


class RulesCache(Generic[T]):
    """`get(session)` reads with `read(session)` at most once per `seconds` per process; at
    once again after `forget()` (a change made in this process)."""

    def __init__(self, read: Callable[[Session], T], seconds: float) -> None:
        self._read, self._seconds = read, seconds
        self._lock = threading.Lock()
        self._value: tuple[float, T] | None = None

    def fresh(self) -> T | None:
        """The shared value while it is fresh, else None."""
        with self._lock:
            if self._value and time.monotonic() - self._value[0] < self._seconds:
                return self._value[1]
        return None

    def get(self, session: Session) -> T:
        if (value := self.fresh()) is not None:
            return value
        value = self._read(session)
        # Only what the portal's own engine reads is shared: a caller's own connection (a
        # test's transaction) may hold changes that are never committed.
        if session.get_bind() is engine():
            with self._lock:
                self._value = (time.monotonic(), value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._value = None
