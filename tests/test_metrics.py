"""Dashboard figures against a hand-built set of cases where the right answer is known."""

import datetime as dt

from db.models import Case
from portal import clock, lifecycle, metrics, queue
from portal.lifecycle import Status
from tests.conftest import actor_for
from tests.factories import new_case

TODAY = dt.datetime(2026, 11, 26, 10, 0, tzinfo=clock.TZ)  # a Thursday


def at(when: dt.datetime, frozen_clock) -> None:
    frozen_clock(when)


def resolve(uow, actor, case_id) -> None:
    queue.claim(uow, actor, case_id)
    with uow:
        case = uow.session.get(Case, case_id)
        lifecycle.move(uow.session, case, Status.RESOLVED, actor_id=actor.id, kind="resolved")
        uow.commit()


def build(uow, actors, frozen_clock):
    agent = actors["agent"]
    at(TODAY - dt.timedelta(days=10), frozen_clock)
    late = new_case(uow, agent, service="PENSION-CERT")  # due long ago: overdue
    at(TODAY - dt.timedelta(days=1), frozen_clock)
    new_case(uow, agent, service="INFO-REQUEST")
    at(TODAY, frozen_clock)
    new_case(uow, agent, service="INFO-REQUEST")
    done = new_case(uow, agent, service="INFO-REQUEST")
    resolve(uow, agent, done.case_id)
    other_town = actor_for("staff-shuiji-v01")
    new_case(uow, other_town, service="INFO-REQUEST")
    return late


def test_kpis_count_today_open_and_overdue(uow, actors, frozen_clock):
    build(uow, actors, frozen_clock)
    figures = metrics.kpis(uow, actors["agent"].scope)
    assert figures == metrics.Kpis(received_today=2, open=3, overdue=1, resolved_today=1)


def test_city_manager_sees_every_town(uow, actors, frozen_clock):
    build(uow, actors, frozen_clock)
    figures = metrics.kpis(uow, actors["manager"].scope)
    assert (figures.received_today, figures.open) == (3, 4)


def test_another_unit_sees_none_of_it(uow, actors, frozen_clock):
    build(uow, actors, frozen_clock)
    assert metrics.kpis(uow, actors["officer"].scope) == metrics.Kpis(0, 0, 0, 0)


def test_waiting_for_the_citizen_is_not_overdue(uow, actors, frozen_clock):
    late = build(uow, actors, frozen_clock)
    queue.claim(uow, actors["agent"], late.case_id)
    with uow:
        case = uow.session.get(Case, late.case_id)
        lifecycle.move(uow.session, case, Status.WAITING_CITIZEN, actor_id=None, kind="documents")
        uow.commit()
    assert metrics.kpis(uow, actors["agent"].scope).overdue == 0


def test_cases_per_day_has_every_day_and_the_right_counts(uow, actors, frozen_clock):
    build(uow, actors, frozen_clock)
    frame = metrics.cases_per_day(uow, actors["agent"].scope, days=30)
    assert len(frame) == 60  # 30 days x received/resolved, empty days included
    counts = frame.set_index(["day", "kind"])["cases"]
    assert counts[(TODAY.date(), "received")] == 2
    assert counts[(TODAY.date() - dt.timedelta(days=1), "received")] == 1
    assert counts[(TODAY.date() - dt.timedelta(days=10), "received")] == 1
    assert counts[(TODAY.date(), "resolved")] == 1
    assert frame["cases"].sum() == 5
