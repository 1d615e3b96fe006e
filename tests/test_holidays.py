"""The holiday calendar is the admins' to change; every change is recorded and checked."""

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import AdminChange
from portal.admin import holidays
from portal.errors import InvalidInput, NotPermitted
from portal.intake import intake

D = dt.date


def test_an_admin_adds_next_years_new_year_and_it_counts_at_once(uow, actors, frozen_clock):
    from portal import clock
    days = holidays.listing(uow, actors["admin"])
    new_year = holidays.Day(D(2027, 1, 1), "holiday", "元旦", "New Year's Day")
    assert holidays.save(uow, actors["admin"], [*days, new_year]) == 1
    frozen_clock(dt.datetime(2026, 12, 31, 9, 0, tzinfo=clock.TZ))  # a Thursday
    assert intake.service_info(uow, "PENSION-CERT").due_if_today == D(2027, 1, 4)
    with uow:
        [change] = uow.session.scalars(select(AdminChange).where(
            AdminChange.entity == "holiday")).all()
        assert (change.entity, change.entity_key, change.before, change.actor_id) == (
            "holiday", "2027-01-01", None, actors["admin"].id)
        assert change.after == {"kind": "holiday", "name_zh": "元旦", "name_en": "New Year's Day"}


def test_removing_and_renaming_are_recorded_with_before_and_after(uow, actors):
    days = holidays.listing(uow, actors["admin"])
    renamed = holidays.Day(days[0].day, days[0].kind, days[0].name_zh, "New Year")
    assert holidays.save(uow, actors["admin"], [renamed, *days[2:]]) == 2
    with uow:
        changes = {c.entity_key: (c.before is None, c.after is None)
                   for c in uow.session.scalars(select(AdminChange).where(
                       AdminChange.entity == "holiday"))}
    assert changes == {days[0].day.isoformat(): (False, False),
                       days[1].day.isoformat(): (False, True)}


def test_bad_rows_are_named_and_nothing_changes(uow, actors):
    days = holidays.listing(uow, actors["admin"])
    bad = [holidays.Day(D(2026, 11, 26), "workday", "调休", "Make-up"),  # a Thursday
           holidays.Day(days[0].day, "holiday", "", "x"),
           holidays.Day(days[0].day, "holiday", "元旦", "New Year's Day")]
    with pytest.raises(InvalidInput) as invalid:
        holidays.save(uow, actors["admin"], [*bad, *days[1:]])
    assert invalid.value.errors == {"row.1": "holidays.error.workday_on_weekday",
                                    "row.2": "holidays.error.names",
                                    "row.3": "holidays.error.duplicate"}
    assert holidays.listing(uow, actors["admin"]) == days


def test_only_admins_change_the_calendar(uow, actors):
    with pytest.raises(NotPermitted):
        holidays.save(uow, actors["manager"], [])


def test_admins_are_warned_when_the_calendar_ends_within_ninety_days(uow, actors, frozen_clock):
    from portal import clock
    # The calendar holds 2026; New Year 2027 would count as a working day.
    frozen_clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=clock.TZ))
    assert holidays.calendar_ends(uow, actors["admin"]) == D(2026, 12, 31)
    assert holidays.calendar_ends(uow, actors["agent"]) is None  # not theirs to fix
    frozen_clock(dt.datetime(2026, 9, 1, 9, 0, tzinfo=clock.TZ))
    assert holidays.calendar_ends(uow, actors["admin"]) is None  # 2026 is known to its end
    days = holidays.listing(uow, actors["admin"])
    holidays.save(uow, actors["admin"], [*days, holidays.Day(
        D(2027, 1, 1), "holiday", "元旦", "New Year's Day")])
    frozen_clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=clock.TZ))
    assert holidays.calendar_ends(uow, actors["admin"]) is None


def test_the_holiday_page_and_the_dashboard_show_the_warning(committed, frozen_clock):
    from portal import clock
    from portal.messages import t
    from tests.test_pages import app
    frozen_clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=clock.TZ))
    warning = t("holidays.ends", "zh", end="2026-12-31")
    for page in ("pages/holidays.py", "pages/dashboard.py"):
        at = app("admin").run().switch_page(page).run()
        assert not at.exception, at.exception
        assert warning in [w.value for w in at.warning], page
    at = app("manager").run().switch_page("pages/dashboard.py").run()
    assert warning not in [w.value for w in at.warning]
