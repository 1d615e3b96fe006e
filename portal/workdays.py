"""The working-day calendar: weekends and public holidays do not count; make-up working days do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Holiday
from portal.rules_cache import RulesCache

Calendar = Mapping[dt.date, str]  # day -> "holiday" | "workday"
CACHE_SECONDS = 60  # another server process sees an admin's change within this
# Office hours on a working day, for the hand-off acceptance limit.
OFFICE_HOURS = ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0)))


def _read(session: Session) -> dict[dt.date, str]:
    return dict(session.execute(select(Holiday.day, Holiday.kind)).all())


_shared = RulesCache(_read, CACHE_SECONDS)


def load(session: Session) -> dict[dt.date, str]:
    """The calendar as this session reads it: read once a minute per process and shared,
    at once again after a change made here (holidays.save calls `forget`)."""
    return _shared.get(session)


def forget() -> None:
    _shared.forget()


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
