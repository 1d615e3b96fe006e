"""Dashboard figures against a hand-built set of cases where the right answer is known.

The story runs over the National Day week of 2026: two cases taken in on Tuesday 29
September and resolved on Thursday 8 October, the first working day after the holiday. One
had three working days (due 9 October: on time), the other one (due 30 September: late).
"""

import datetime as dt

import pytest

from portal import clock
from portal.casework import casework, queue
from portal.dashboard import metrics, rollup
from portal.handoffs import handoff
from tests.conftest import actor_for
from tests.factories import citizen_rates, new_case

TODAY = dt.date(2026, 10, 12)  # a Monday
EMPLOYMENT, PENSION = "LABOUR-REG", "PENSION-CERT"  # three working days; one


def at(frozen_clock, day: dt.date, hour: int = 10) -> None:
    frozen_clock(dt.datetime.combine(day, dt.time(hour), tzinfo=clock.TZ))


@pytest.fixture
def story(uow, actors, frozen_clock) -> dict[str, int]:
    agent = actors["agent"]
    at(frozen_clock, dt.date(2026, 9, 29))
    on_time = new_case(uow, agent, service=EMPLOYMENT).case_id
    late = new_case(uow, agent, service=PENSION).case_id
    forgotten = new_case(uow, agent, service=PENSION).case_id  # never resolved: overdue
    at(frozen_clock, dt.date(2026, 10, 8), 11)
    for case_id, rating in ((on_time, 5), (late, 1)):
        queue.claim(uow, agent, case_id)
        casework.resolve(uow, agent, case_id, "approved", "已办结")
        casework.deliver(uow, agent, case_id)
        citizen_rates(uow, case_id, rating)
    at(frozen_clock, dt.date(2026, 10, 11), 9)  # a Sunday: someone still came in
    new_case(uow, agent, service=EMPLOYMENT)
    at(frozen_clock, TODAY)
    new_case(uow, agent, service=PENSION)
    new_case(uow, actor_for("staff-shuiji-v01"), service=PENSION)  # another town
    return {"forgotten": forgotten}


def overview(uow, actor, **filters) -> metrics.Overview:
    return metrics.overview(uow, actor.scope, metrics.Filters(**filters))


def test_tiles_count_today_and_compare_with_yesterday(uow, actors, story):
    tiles = overview(uow, actors["agent"]).tiles
    assert tiles["received_today"] == metrics.Tile(1, 1)
    assert tiles["resolved_today"] == metrics.Tile(0, 0)
    assert tiles["open"] == metrics.Tile(3, 2)  # Sunday's, today's and the forgotten one
    assert tiles["overdue"] == metrics.Tile(1, 1)
    assert tiles["due_today"].value == 0


def test_on_time_counts_working_days_across_the_holiday(uow, actors, story):
    tiles = overview(uow, actors["agent"]).tiles
    assert tiles["on_time_rate"] == metrics.Tile(0.5, None)  # one of two; nothing before
    assert tiles["satisfaction_rate"] == metrics.Tile(0.5, None)  # very satisfied, very not


def test_per_day_and_backlog_over_ninety_days(uow, actors, story):
    data = overview(uow, actors["agent"])
    counts = data.per_day.set_index(["day", "kind"])["cases"]
    assert len(data.per_day) == 2 * metrics.CHART_DAYS
    assert counts[(dt.date(2026, 9, 29), "received")] == 3
    assert counts[(dt.date(2026, 10, 8), "resolved")] == 2
    assert counts[(dt.date(2026, 10, 11), "received")] == 1
    assert counts[(TODAY, "received")] == 1
    assert data.per_day["cases"].sum() == 7
    backlog = data.backlog.set_index("day")["open"]
    assert [backlog[dt.date(2026, 9, d)] for d in (28, 29, 30)] == [0, 3, 3]
    assert [backlog[dt.date(2026, 10, d)] for d in (7, 8, 10, 11, 12)] == [3, 1, 1, 2, 3]


def test_open_cases_by_status_and_tier_and_overdue_by_unit(uow, actors, story):
    data = overview(uow, actors["agent"])
    assert data.by_status_tier.to_dict("records") == [
        {"status": "received", "tier": "village", "cases": 3}]
    assert list(data.overdue_by_unit["cases"]) == [1]
    assert list(data.overdue_by_unit["unit_id"]) == [actors["agent"].unit_id]


def test_service_mix_and_satisfaction_over_the_period(uow, actors, story):
    data = overview(uow, actors["agent"])
    assert data.period == (dt.date(2026, 9, 12), dt.date(2026, 10, 11))
    assert dict(data.service_mix.values) == {"social_security": 2, "employment": 2}
    ratings = data.satisfaction.set_index("rating")["count"]
    assert (ratings[1], ratings[2], ratings[5]) == (1, 0, 1)
    narrow = overview(uow, actors["agent"], start=dt.date(2026, 10, 9), end=dt.date(2026, 10, 11))
    assert dict(narrow.service_mix.values) == {"employment": 1}
    assert narrow.satisfaction.empty


def test_scope_decides_what_is_counted(uow, actors, story):
    assert overview(uow, actors["manager"]).tiles["received_today"].value == 2  # the city
    assert overview(uow, actor_for("mgr-jiangshan")).tiles["received_today"].value == 1
    assert overview(uow, actors["officer"]).tiles["open"].value == 0  # not its cases


def test_filters_narrow_every_figure(uow, actors, story):
    city = actors["manager"]
    assert overview(uow, city, towns=("shuiji",)).tiles["received_today"].value == 1
    assert overview(uow, city, tiers=("city",)).tiles["open"].value == 0
    employment = overview(uow, city, categories=("employment",))
    assert employment.tiles["received_today"].value == 0
    assert dict(employment.service_mix.values) == {"employment": 2}
    assert employment.tiles["satisfaction_rate"].value == 1.0


def test_a_case_waiting_for_the_citizen_is_not_overdue(uow, actors, story, frozen_clock):
    queue.claim(uow, actors["agent"], story["forgotten"])
    casework.request_documents(uow, actors["agent"], story["forgotten"], "户口簿")
    assert overview(uow, actors["agent"]).tiles["overdue"].value == 0


def test_each_completed_day_is_folded_once(uow, actors, story):
    overview(uow, actors["agent"])
    assert rollup.ensure(uow) == 0  # nothing left to fold until tomorrow


def test_due_today_late_hand_offs_and_rectifications_compare_with_yesterday(
        uow, actors, story, frozen_clock):
    agent = actors["agent"]
    at(frozen_clock, dt.date(2026, 10, 9), 9)  # last Friday
    friday_case = new_case(uow, agent, service=EMPLOYMENT).case_id
    sent = handoff.send(uow, agent, friday_case, actors["officer"].unit_id, "转办")
    at(frozen_clock, TODAY)
    tiles = overview(uow, agent).tiles
    # Sent Friday 09:00: eight office hours by Friday evening, late ever since.
    assert tiles["late_handoffs"] == metrics.Tile(1, 1)
    handoff.accept(uow, actors["officer"], sent)
    assert overview(uow, agent).tiles["late_handoffs"] == metrics.Tile(0, 1)
    # The late case of 29 September, rated 1 on 8 October, opened a rectification then.
    assert overview(uow, actors["manager"]).tiles["open_rectifications"] == metrics.Tile(1, 1)
    assert tiles["due_today"] == metrics.Tile(0, 0)
