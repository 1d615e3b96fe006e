"""Supervision of deadlines, escalating on working days.

A reminder goes to the assignee when the deadline is at most one working day away; a
supervision notice to the unit's manager once a working day has passed since it; a report to
the manager above five working days after that (see `units.oversight` for who they are). Each is
recorded once per deadline (an approved extension sets a new one), as a notice and as an
event on the case. Cases waiting for the citizen are left alone: their clock is paused.

`sweep` is run every few minutes by `python -m portal run` (portal.run.background), or by cron
(`python -m portal sweep`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import ColumnElement, Integer, and_, column, func, literal, select, values
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import aliased

from db.models import Case, CaseEvent, ServiceType, SupervisionNotice, Unit, User
from portal import access, clock, lifecycle, units, workdays
from portal.access import Actor
from portal.clock import local_time
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

LEVELS = ("reminder", "supervision", "report")
REMIND_WITHIN = 1  # working days before the deadline
SUPERVISE_AFTER = 1  # working days after it
REPORT_AFTER = SUPERVISE_AFTER + 5
LIST_MAX = 500


def last_working_day(day: dt.date, n: int, calendar: workdays.Calendar) -> dt.date:
    """The n-th working day counting back from `day` (itself included when it is one)."""
    while True:
        if workdays.is_working_day(day, calendar):
            n -= 1
            if n == 0:
                return day
        day -= dt.timedelta(days=1)


def conditions(today: dt.date, calendar: workdays.Calendar) -> dict[str, ColumnElement[bool]]:
    """For each level, which deadlines have reached it today."""
    return {
        "reminder": and_(Case.due_date >= today,
                         Case.due_date <= workdays.add_working_days(today, REMIND_WITHIN, calendar)),
        # "At least n working days have passed since the deadline" = it lies before the n-th
        # last working day.
        "supervision": Case.due_date < last_working_day(today, SUPERVISE_AFTER, calendar),
        "report": Case.due_date < last_working_day(today, REPORT_AFTER, calendar),
    }


def sweep(uow: UnitOfWork) -> dict[str, int]:
    """Record every notice that is due and not yet recorded; how many of each were new."""
    with uow:
        session = uow.session
        today, now = clock.today(), clock.now()
        above = values(column("unit_id", Integer), column("supervisor", Integer),
                       column("reported_to", Integer), name="above").data(
            [(unit, *managers) for unit, managers in units.oversight(session).items()])
        recipients = {"reminder": (Case.unit_id, Case.assignee_id),
                      "supervision": (above.c.supervisor, literal(None)),
                      "report": (above.c.reported_to, literal(None))}
        made = {}
        for level, reached in conditions(today, workdays.load(session)).items():
            unit_id, user_id = recipients[level]
            new = insert(SupervisionNotice).from_select(
                ["case_id", "level", "due_date", "unit_id", "user_id", "at"],
                select(Case.id, literal(level), Case.due_date, unit_id, user_id, literal(now))
                .join(above, above.c.unit_id == Case.unit_id)
                .where(Case.status.in_(lifecycle.RUNNING), reached)
            ).on_conflict_do_nothing(constraint="supervision_notices_once").returning(
                SupervisionNotice.case_id, SupervisionNotice.due_date, SupervisionNotice.unit_id,
                SupervisionNotice.user_id).cte(f"new_{level}")
            events = insert(CaseEvent).from_select(
                ["case_id", "at", "unit_id", "kind", "data"],
                select(new.c.case_id, literal(now), Case.unit_id, literal(level),
                       func.jsonb_build_object("due_date", new.c.due_date,
                                               "to_unit_id", new.c.unit_id,
                                               "to_user_id", new.c.user_id))
                .join(Case, Case.id == new.c.case_id)
                # Each event locks its case (the history's chain): in one order everywhere.
                .order_by(new.c.case_id)
            ).returning(CaseEvent.id)
            made[level] = len(session.execute(events).all())
        uow.commit()
    return made


def notices(uow: UnitOfWork, actor: Actor, lang: str, levels: tuple[str, ...],
            *, mine: bool = False) -> pd.DataFrame:
    """Notices of the given levels about cases still open, newest first.

    Managers see those addressed to units in their scope; with `mine`, only reminders to the
    actor of deadlines not yet passed on cases they still hold.
    """
    to_unit = aliased(Unit)
    case_unit = aliased(Unit)
    assignee = aliased(User)
    where = [SupervisionNotice.level.in_(levels), Case.status.in_(lifecycle.OPEN)]
    if mine:  # reminders of deadlines still ahead
        where += [SupervisionNotice.user_id == actor.id, Case.assignee_id == actor.id,
                  SupervisionNotice.due_date == Case.due_date, Case.due_date >= clock.today()]
    else:
        access.require(actor, "supervision.view")
        where.append(scope_clause(actor, SupervisionNotice.unit_id))
    query = (
        select(local_time(SupervisionNotice.at).label("at"), SupervisionNotice.level,
               Case.receipt_no,
               name_column(ServiceType, lang).label("service"),
               name_column(case_unit, lang).label("unit"),
               assignee.display_name.label("assignee"), SupervisionNotice.due_date,
               Case.status, name_column(to_unit, lang).label("to_unit"))
        .join(Case, Case.id == SupervisionNotice.case_id)
        .join(ServiceType, ServiceType.id == Case.service_type_id)
        .join(case_unit, case_unit.id == Case.unit_id)
        .join(to_unit, to_unit.id == SupervisionNotice.unit_id)
        .outerjoin(assignee, assignee.id == Case.assignee_id)
        .where(*where).order_by(SupervisionNotice.at.desc(), SupervisionNotice.id.desc())
        .limit(LIST_MAX))
    with uow:
        frame = pd.DataFrame(uow.session.execute(query).all(),
                             columns=["at", "level", "receipt_no", "service", "unit", "assignee",
                                      "due_date", "status", "to_unit"])
    return frame

