"""Efficiency per unit and per person: a league table over the period, with the tier's median.

Units and people who handled fewer than the league_min_cases setting in the period are
left out, so that three cases do not top the table. Both tables come from the same passes
(GROUPING SETS) over the cases resolved and the hand-offs answered; satisfaction per unit
comes from the daily figures, per person from the ratings they took.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Date, Float, cast, func, select, tuple_

from db.models import Case, CaseEvent, DailyFigure, Feedback, Handoff, Unit, User
from portal import clock, ratings, settings
from portal.access import Scope
from portal.dashboard import rollup
from portal.dashboard.metrics import SATISFIED, Filters
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

COLUMNS = ["handled", "median_cycle_days", "on_time_rate", "median_answer_hours",
           "satisfaction_rate", "reopen_rate"]


def tables(uow: UnitOfWork, scope: Scope, flt: Filters,
           lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The league of units and the league of people, best on-time rate first."""
    rollup.ensure(uow)
    units, people = _league(uow, scope, flt)
    with uow:
        unit_names = {r[0]: (r[1], r[2]) for r in uow.session.execute(
            select(Unit.id, name_column(Unit, lang), Unit.tier))}
        person_names = {r[0]: (r[1], r[2], r[3]) for r in uow.session.execute(
            select(User.id, User.display_name, name_column(Unit, lang), Unit.tier)
            .join(Unit, Unit.id == User.unit_id).where(User.id.in_(list(people.index))))}
    units.insert(0, "unit", [unit_names[i][0] for i in units.index])
    units.insert(1, "tier", [unit_names[i][1] for i in units.index])
    for position, column in enumerate(("person", "unit", "tier")):
        people.insert(position, column, [person_names[i][position] for i in people.index])
    return _ranked(units), _ranked(people)


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    frame["tier_median_cycle_days"] = frame.groupby("tier")["median_cycle_days"].transform(
        "median")
    return frame.sort_values(["on_time_rate", "median_cycle_days"],
                             ascending=[False, True]).reset_index(drop=True)


def _league(uow: UnitOfWork, scope: Scope, flt: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The figures of each unit and each person with enough cases handled in the period.

    Reopen rate: the share of the cases handled that have ever been taken up again.
    """
    first, last = flt.period(clock.today())
    start, end = clock.day_start(first), clock.day_start(last + dt.timedelta(days=1))
    days = func.extract("epoch", Case.resolved_at - Case.received_at) / 86400
    resolved_day = cast(clock.local_time(Case.resolved_at), Date)
    reopened = select(CaseEvent.case_id).where(CaseEvent.kind == "reopened")
    hours = func.extract("epoch", Handoff.answered_at - Handoff.requested_at) / 3600
    with uow:
        session = uow.session
        handled = _both(session, select(
            func.grouping(Case.unit_id), Case.unit_id, Case.assignee_id, func.count(),
            func.percentile_cont(0.5).within_group(days),
            cast(func.count().filter(resolved_day <= Case.due_date), Float) / func.count(),
            cast(func.count().filter(Case.id.in_(reopened)), Float) / func.count())
            .where(Case.resolved_at >= start, Case.resolved_at < end,
                   scope_clause(scope, Case.unit_id))
            .group_by(func.grouping_sets(tuple_(Case.unit_id), tuple_(Case.assignee_id)))
            .having(func.count() >= settings.current(session).league_min_cases))
        answered = _both(session, select(
            func.grouping(Handoff.to_unit_id), Handoff.to_unit_id, Handoff.answered_by,
            func.percentile_cont(0.5).within_group(hours))
            .where(Handoff.answered_at >= start, Handoff.answered_at < end,
                   scope_clause(scope, Handoff.to_unit_id))
            .group_by(func.grouping_sets(tuple_(Handoff.to_unit_id),
                                         tuple_(Handoff.answered_by))))
        satisfied = (_satisfied_units(session, scope, first, last),
                     _satisfied_people(session, scope, start, end))
    return tuple(
        pd.DataFrame.from_dict(
            {key: (n, median, on_time, answered[level].get(key, (None,))[0],
                   satisfied[level].get(key, (None,))[0], reopen)
             for key, (n, median, on_time, reopen) in handled[level].items()},
            orient="index", columns=COLUMNS)
        for level in (0, 1))


def _satisfied_units(session, scope: Scope, first: dt.date, last: dt.date) -> dict:
    """Share of ratings at least "basically satisfied", per unit, from the daily figures."""
    ratings = {r: func.sum(getattr(DailyFigure, f"rating_{r}")) for r in range(1, 6)}
    rows = session.execute(
        select(DailyFigure.unit_id, sum(ratings[r] for r in SATISFIED), sum(ratings.values()))
        .where(DailyFigure.day.between(first, last), scope_clause(scope, DailyFigure.unit_id))
        .group_by(DailyFigure.unit_id))
    return {unit: (good / total,) for unit, good, total in rows if total}


def _satisfied_people(session, scope: Scope, start: dt.datetime, end: dt.datetime) -> dict:
    """The same per handler of the cases the citizens rated."""
    rows = session.execute(
        select(Case.assignee_id,
               cast(func.count().filter(Feedback.rating.in_(SATISFIED)), Float) / func.count())
        .join(Case, Case.id == Feedback.case_id).join(User, User.id == Case.assignee_id)
        .where(Feedback.recorded_at >= start, Feedback.recorded_at < end, ratings.COUNTED,
               scope_clause(scope, User.unit_id))
        .group_by(Case.assignee_id))
    return {person: (rate,) for person, rate in rows}


def _both(session, query) -> tuple[dict, dict]:
    """Rows of a GROUPING SETS query split into (by unit, by person), keyed by id."""
    by_unit, by_person = {}, {}
    for grouping, unit_id, person_id, *figures in session.execute(query):
        if grouping == 0:
            by_unit[unit_id] = tuple(figures)
        elif person_id is not None:
            by_person[person_id] = tuple(figures)
    return by_unit, by_person
