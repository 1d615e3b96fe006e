"""Folding completed days into daily_figures, outside every user's transaction.

A day is folded once it is over: what was received, resolved (and on time), still open and
overdue at its end, and the ratings recorded, per unit and service. Today's figures are
always counted live from the cases; history comes from here, so the dashboard's 90-day
charts read a few thousand rows instead of half a million cases, and a case's own
transaction never waits on a shared counter.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, and_, cast, delete, func, literal, or_, select, union_all
from sqlalchemy.dialects.postgresql import insert

from db.models import Case, DailyFigure, DailyFiguresDone, Feedback
from portal import clock, ratings
from portal.uow import UnitOfWork

FOLD_DAYS = 120  # how far back missing days are folded: 90 days of charts, 30 before them
LOCK = 7_261_001  # advisory lock: one folder at a time, whichever process it runs in
COUNTS = ("received", "resolved", "resolved_on_time", "open_at_end", "overdue_at_end",
          "rating_1", "rating_2", "rating_3", "rating_4", "rating_5")


def ensure(uow: UnitOfWork) -> int:
    """Fold every completed day of the last FOLD_DAYS not folded yet; how many were."""
    today = clock.today()
    with uow:
        if uow.session.scalar(select(func.pg_is_in_recovery())):
            return 0  # a replica: the primary folds, and the days arrive by replication
        uow.session.execute(select(func.pg_advisory_xact_lock(LOCK)))
        done = set(uow.session.scalars(select(DailyFiguresDone.day).where(
            DailyFiguresDone.day >= today - dt.timedelta(days=FOLD_DAYS))))
        missing = [today - dt.timedelta(days=n) for n in range(FOLD_DAYS, 0, -1)
                   if today - dt.timedelta(days=n) not in done]
        for day in missing:
            fold(uow, day)
        uow.commit()
    return len(missing)


def fold(uow: UnitOfWork, day: dt.date) -> None:
    """(Re)write the figures of one day; the caller commits."""
    start, end = clock.day_start(day), clock.day_start(day + dt.timedelta(days=1))
    parts = union_all(*_parts(day, start, end)).subquery()
    totals = select(literal(day).label("day"), parts.c.unit_id, parts.c.service_type_id,
                    *(func.sum(getattr(parts.c, c)).label(c) for c in COUNTS)).group_by(
        parts.c.unit_id, parts.c.service_type_id)
    session = uow.session
    session.execute(delete(DailyFigure).where(DailyFigure.day == day))
    session.execute(insert(DailyFigure).from_select(["day", "unit_id", "service_type_id",
                                                     *COUNTS], totals))
    session.execute(insert(DailyFiguresDone).values(day=day, at=clock.now())
                    .on_conflict_do_update(index_elements=["day"], set_={"at": clock.now()}))


def _row(unit, service, **counts):
    """One part's select list: unit, service and every count (zero where the part has none)."""
    return [unit.label("unit_id"), service.label("service_type_id"),
            *(counts.get(c, literal(0)).label(c) for c in COUNTS)]


def _parts(day: dt.date, start: dt.datetime, end: dt.datetime):
    local_day = cast(clock.local_time(Case.resolved_at), Date)
    ended = func.coalesce(Case.resolved_at, Case.closed_at)
    received = select(*_row(Case.intake_unit_id, Case.service_type_id, received=func.count())
                      ).where(Case.received_at >= start, Case.received_at < end).group_by(
        Case.intake_unit_id, Case.service_type_id)
    resolved = select(*_row(Case.unit_id, Case.service_type_id, resolved=func.count(),
                            resolved_on_time=func.count().filter(local_day <= Case.due_date))
                      ).where(Case.resolved_at >= start, Case.resolved_at < end).group_by(
        Case.unit_id, Case.service_type_id)
    still_open = select(*_row(Case.unit_id, Case.service_type_id, open_at_end=func.count(),
                              overdue_at_end=func.count().filter(Case.due_date <= day))
                        ).where(Case.received_at < end, or_(ended.is_(None), ended >= end)
                                ).group_by(Case.unit_id, Case.service_type_id)
    rated = select(*_row(Case.unit_id, Case.service_type_id, **{
        f"rating_{r}": func.count().filter(Feedback.rating == r) for r in range(1, 6)})
    ).join(Case, Case.id == Feedback.case_id).where(
        and_(Feedback.recorded_at >= start, Feedback.recorded_at < end, ratings.COUNTED)
    ).group_by(Case.unit_id, Case.service_type_id)
    return received, resolved, still_open, rated
