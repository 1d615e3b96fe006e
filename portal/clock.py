"""The portal's clock, in the programme's time zone; tests freeze it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func

TZ = ZoneInfo("Asia/Shanghai")
_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen or dt.datetime.now(TZ)


def today() -> dt.date:
    return now().date()


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` on the programme's clock."""
    return dt.datetime.combine(day, dt.time(), tzinfo=TZ)


def local(moment: dt.datetime) -> dt.datetime:
    """A stored moment on the programme's clock."""
    return moment.astimezone(TZ)


def freeze(at: dt.datetime | None) -> None:
    """Pin `now()` to `at` (None unpins). For tests and data generators only."""
    global _frozen
    _frozen = at.astimezone(TZ) if at else None


def local_time(column):
    """SQL: a timestamptz column as the programme's wall-clock time, for display."""
    return func.timezone(TZ.key, column)
