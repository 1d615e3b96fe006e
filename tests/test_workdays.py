"""Due dates count working days: weekends and public holidays skipped, make-up days counted."""

import datetime as dt

from db.demo import holidays
from portal.workdays import add_working_days, is_working_day

D = dt.date
CALENDAR = {D.fromisoformat(r["date"]): r["kind"] for r in holidays()}


def test_weekend_is_skipped():
    # Friday 2026-11-27 + 1 working day is Monday 2026-11-30.
    assert add_working_days(D(2026, 11, 27), 1, {}) == D(2026, 11, 30)


def test_intake_day_itself_does_not_count():
    assert add_working_days(D(2026, 11, 24), 1, {}) == D(2026, 11, 25)


def test_national_day_holiday_is_skipped():
    # Intake on Wednesday 30 September 2026; 1 October to 7 October are holidays.
    due = add_working_days(D(2026, 9, 30), 1, CALENDAR)
    assert due == D(2026, 10, 8)


def test_make_up_working_day_on_a_weekend_counts():
    make_up = next(d for d, kind in CALENDAR.items() if kind == "workday")
    assert make_up.weekday() >= 5
    assert is_working_day(make_up, CALENDAR)
    assert add_working_days(make_up - dt.timedelta(days=1), 1, CALENDAR) == make_up


def test_shipped_calendar_covers_this_year_and_last():
    years = {d.year for d in CALENDAR}
    assert {2025, 2026} <= years
