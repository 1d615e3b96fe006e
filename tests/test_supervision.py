"""Supervision: reminders, supervision notices and reports escalate on working days, once each."""

import datetime as dt
import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import select, update

from db.config import ROOT
from db.models import Case, CaseEvent, SupervisionNotice
from portal import clock, units, workdays
from portal.casework import casework, extensions, queue, supervision
from portal.dashboard import rollup
from portal.errors import NotPermitted
from portal.run import background
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import new_case

DUE = dt.date(2026, 9, 30)  # the Wednesday before the National Day week


def case_due(uow, actors, due: dt.date = DUE, *, claim: bool = True) -> int:
    case_id = new_case(uow, actors["agent"]).case_id
    if claim:
        queue.claim(uow, actors["agent"], case_id)
    with uow:
        uow.session.execute(update(Case).where(Case.id == case_id).values(due_date=due))
        uow.commit()
    return case_id


def sweep_on(uow, frozen_clock, day: dt.date) -> None:
    frozen_clock(dt.datetime.combine(day, dt.time(8, 0), tzinfo=clock.TZ))
    supervision.sweep(uow)


def notices_of(uow, case_id: int) -> list[tuple[str, dt.date]]:
    with uow:
        rows = uow.session.execute(select(SupervisionNotice.level, SupervisionNotice.due_date)
                                   .where(SupervisionNotice.case_id == case_id)
                                   .order_by(SupervisionNotice.id)).all()
    return [tuple(r) for r in rows]


def test_notices_escalate_on_working_days_around_the_national_day_week(uow, actors,
                                                                        frozen_clock):
    case_id = case_due(uow, actors)
    first_seen = {}
    day = dt.date(2026, 9, 26)
    while day <= dt.date(2026, 10, 20):
        sweep_on(uow, frozen_clock, day)  # swept every day, weekends and holidays too
        for level, _ in notices_of(uow, case_id):
            first_seen.setdefault(level, day)
        day += dt.timedelta(days=1)
    # One working day before; the first working day after the holiday week; five working
    # days later, counting the make-up Saturday of 10 October.
    assert first_seen == {"reminder": dt.date(2026, 9, 29),
                          "supervision": dt.date(2026, 10, 8),
                          "report": dt.date(2026, 10, 14)}
    assert len(notices_of(uow, case_id)) == 3  # each recorded once
    with uow:
        kinds = uow.session.scalars(select(CaseEvent.kind).where(
            CaseEvent.case_id == case_id, CaseEvent.kind.in_(supervision.LEVELS))).all()
    assert sorted(kinds) == ["reminder", "report", "supervision"]


def test_last_working_day_counts_back_over_weekends_and_holidays(uow):
    with uow:
        calendar = workdays.load(uow.session)
    assert supervision.last_working_day(dt.date(2026, 10, 5), 1, calendar) == DUE
    assert supervision.last_working_day(dt.date(2026, 10, 11), 1, calendar) == dt.date(2026, 10, 10)
    assert supervision.last_working_day(dt.date(2026, 10, 14), 6, calendar) == dt.date(2026, 10, 8)


def test_each_notice_goes_to_the_right_person_and_unit(uow, actors, frozen_clock):
    case_id = case_due(uow, actors)
    sweep_on(uow, frozen_clock, dt.date(2026, 10, 20))
    with uow:
        rows = {n.level: (n.unit_id, n.user_id) for n in uow.session.scalars(
            select(SupervisionNotice).where(SupervisionNotice.case_id == case_id))}
    # A village point has no manager: its township centre's supervises, the city's is above.
    town, city = actor_for("mgr-jiangshan").unit_id, actors["manager"].unit_id
    assert rows == {"supervision": (town, None), "report": (city, None)}  # too late to remind
    sweep_on(uow, frozen_clock, dt.date(2026, 10, 21))
    assert len(notices_of(uow, case_id)) == 2


def test_oversight_finds_the_nearest_managers_up_the_tree(uow, actors):
    town, city = actor_for("mgr-jiangshan").unit_id, actors["manager"].unit_id
    with uow:
        above = units.oversight(uow.session)
    assert above[actors["agent"].unit_id] == (town, city)  # a village point
    assert above[actors["officer"].unit_id] == (town, city)  # a township window
    assert above[town] == (town, city)
    assert above[city] == (city, city)  # nobody above the city hall


def test_a_case_waiting_for_the_citizen_is_not_chased(uow, actors, frozen_clock):
    case_id = case_due(uow, actors)
    casework.request_documents(uow, actors["agent"], case_id, "户口簿")
    sweep_on(uow, frozen_clock, dt.date(2026, 10, 20))
    assert notices_of(uow, case_id) == []


def test_a_resolved_case_is_not_chased(uow, actors, frozen_clock):
    case_id = case_due(uow, actors)
    casework.resolve(uow, actors["agent"], case_id, "answered", "已答复")
    sweep_on(uow, frozen_clock, dt.date(2026, 10, 20))
    assert notices_of(uow, case_id) == []


def test_an_approved_extension_sets_a_new_deadline_to_remind_of(uow, actors, frozen_clock):
    frozen_clock(dt.datetime(2026, 9, 29, 8, 0, tzinfo=clock.TZ))
    case_id = case_due(uow, actors)
    supervision.sweep(uow)
    extension = extensions.request(uow, actors["agent"], case_id, dt.date(2026, 10, 9), "材料待核")
    extensions.decide(uow, actors["manager"], extension, approve=True)
    sweep_on(uow, frozen_clock, dt.date(2026, 10, 8))
    assert notices_of(uow, case_id) == [("reminder", DUE), ("reminder", dt.date(2026, 10, 9))]


def test_managers_see_the_notices_of_their_units_and_agents_their_reminders(uow, actors,
                                                                          frozen_clock):
    reminded = case_due(uow, actors, dt.date(2026, 10, 9))
    late = case_due(uow, actors, dt.date(2026, 9, 1))
    sweep_on(uow, frozen_clock, dt.date(2026, 10, 8))
    with uow:
        receipts = dict(uow.session.execute(select(Case.id, Case.receipt_no).where(
            Case.id.in_([reminded, late]))).all())
    town = supervision.notices(uow, actor_for("mgr-jiangshan"), "zh", ("supervision", "report"))
    assert set(town["receipt_no"]) == {receipts[late]}
    assert set(town["level"]) == {"supervision"}  # the report goes above the town
    city = supervision.notices(uow, actors["manager"], "zh", ("report",))
    assert set(city["receipt_no"]) == {receipts[late]}
    other_town = supervision.notices(uow, actor_for("mgr-shuiji"), "zh", ("supervision", "report"))
    assert receipts[late] not in set(other_town["receipt_no"])
    mine = supervision.notices(uow, actors["agent"], "zh", ("reminder",), mine=True)
    assert list(mine["receipt_no"]) == [receipts[reminded]]
    with pytest.raises(NotPermitted):
        supervision.notices(uow, actors["agent"], "zh", ("supervision",))


def overdue_case(actors) -> int:
    case_id = new_case(UnitOfWork(), actors["agent"]).case_id
    with UnitOfWork() as uow:
        uow.session.execute(update(Case).where(Case.id == case_id)
                            .values(due_date=dt.date.today() - dt.timedelta(days=30)))
        uow.commit()
    return case_id


def test_the_sweep_command_records_what_has_fallen_due(committed, actors, database_url):
    case_id = overdue_case(actors)
    done = subprocess.run([sys.executable, "-m", "portal", "sweep"], cwd=ROOT, text=True,
                          capture_output=True, env={**os.environ, "DATABASE_URL": database_url},
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "supervision: 1" in done.stdout and "report: 1" in done.stdout
    assert {level for level, _ in notices_of(UnitOfWork(), case_id)} == {"supervision", "report"}


def test_the_background_job_sweeps_and_folds_at_once_and_stops_when_told(committed, actors):
    case_id = overdue_case(actors)
    stop = threading.Event()
    stop.set()  # told to stop: it still runs once, then returns instead of waiting
    background.keep_running(stop, every_seconds=3600)
    assert len(notices_of(UnitOfWork(), case_id)) == 2
    assert rollup.ensure(UnitOfWork()) == 0  # the completed days were folded too
