"""The working-day calendar: weekends and public holidays do not count; make-up working days do."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import engine
from db.models import Holiday

Calendar = Mapping[dt.date, str]  # day -> "holiday" | "workday"
CACHE_SECONDS = 60  # another server process sees an admin's change within this
_cache: dict[str, tuple[float, dict[dt.date, str]]] = {}
_lock = threading.Lock()


def load(session: Session) -> dict[dt.date, str]:
    """The calendar as this session reads it: read once a minute per process and shared,
    at once again after a change made here (holidays.save calls `forget`).

    Only what the portal's own engine reads is shared: a caller's own connection (a test's
    transaction) may hold changes that are never committed.
    """
    if session.get_bind() is not engine():
        return _read(session)
    with _lock:
        made, calendar = _cache.get("calendar", (0.0, {}))
        if time.monotonic() - made < CACHE_SECONDS:
            return calendar
    calendar = _read(session)
    with _lock:
        _cache["calendar"] = (time.monotonic(), calendar)
    return calendar


def _read(session: Session) -> dict[dt.date, str]:
    return dict(session.execute(select(Holiday.day, Holiday.kind)).all())


def forget() -> None:
    with _lock:
        _cache.clear()


AHEAD_DAYS = 90  # due dates this far ahead must be counted on a known calendar


def covered_until(calendar: Calendar) -> dt.date | None:
    """The last day the calendar is known for: the end of the latest year it has days of
    (the State Council publishes a year's holidays at once, in November or December)."""
    return dt.date(max(calendar).year, 12, 31) if calendar else None


def gap_ahead(calendar: Calendar, today: dt.date) -> dt.date | None:
    """Where the calendar ends, if that is within the next AHEAD_DAYS days: due dates after
    it would count public holidays as working days."""
    end = covered_until(calendar)
    if end is None or end < today + dt.timedelta(days=AHEAD_DAYS):
        return end or today
    return None


def is_working_day(day: dt.date, calendar: Calendar) -> bool:
    kind = calendar.get(day)
    if kind is not None:
        return kind == "workday"
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int, calendar: Calendar) -> dt.date:
    """The date `days` working days after `start` (the day of intake itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, calendar):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, calendar: Calendar) -> int:
    """How many working days fall after `start`, up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day, calendar)
    return count


def office_hours_between(start: dt.datetime, end: dt.datetime, calendar: Calendar,
                         office: tuple[tuple[dt.time, dt.time], ...]) -> float:
    """Office hours on working days between two moments (both in the programme's time zone)."""
    hours, day = 0.0, start.date()
    while day <= end.date():
        if is_working_day(day, calendar):
            for opens, closes in office:
                low = max(start, dt.datetime.combine(day, opens, start.tzinfo))
                high = min(end, dt.datetime.combine(day, closes, start.tzinfo))
                hours += max((high - low).total_seconds(), 0) / 3600
        day += dt.timedelta(days=1)
    return hours
