"""Efficiency per unit and per person: a league table over the period, with the tier's median.

Units and people who handled fewer than settings.LEAGUE_MIN_CASES cases in the period are
left out, so that three cases do not top the table.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Date, Float, cast, func, select

from db.models import Case, CaseEvent, Feedback, Handoff, Unit, User
from portal import clock, settings
from portal.access import Scope
from portal.metrics import SATISFIED, Filters
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

COLUMNS = ["handled", "median_cycle_days", "on_time_rate", "median_answer_hours",
           "satisfaction_rate", "reopen_rate"]


def units(uow: UnitOfWork, scope: Scope, flt: Filters, lang: str) -> pd.DataFrame:
    """One row per unit in scope: its figures, its tier and the tier's median cycle time."""
    frame = _league(uow, scope, flt, Case.unit_id, Handoff.to_unit_id)
    with uow:
        names = {r[0]: (r[1], r[2]) for r in uow.session.execute(
            select(Unit.id, name_column(Unit, lang), Unit.tier))}
    frame.insert(0, "unit", [names[i][0] for i in frame.index])
    frame.insert(1, "tier", [names[i][1] for i in frame.index])
    frame["tier_median_cycle_days"] = frame.groupby("tier")["median_cycle_days"].transform(
        "median")
    return frame.sort_values(["on_time_rate", "median_cycle_days"],
                             ascending=[False, True]).reset_index(drop=True)


def people(uow: UnitOfWork, scope: Scope, flt: Filters, lang: str) -> pd.DataFrame:
    """One row per person who resolved cases of units in scope."""
    frame = _league(uow, scope, flt, Case.assignee_id, Handoff.answered_by)
    with uow:
        names = {r[0]: (r[1], r[2], r[3]) for r in uow.session.execute(
            select(User.id, User.display_name, name_column(Unit, lang), Unit.tier)
            .join(Unit, Unit.id == User.unit_id))}
    frame.insert(0, "person", [names[i][0] for i in frame.index])
    frame.insert(1, "unit", [names[i][1] for i in frame.index])
    frame.insert(2, "tier", [names[i][2] for i in frame.index])
    frame["tier_median_cycle_days"] = frame.groupby("tier")["median_cycle_days"].transform(
        "median")
    return frame.sort_values(["on_time_rate", "median_cycle_days"],
                             ascending=[False, True]).reset_index(drop=True)


def _league(uow: UnitOfWork, scope: Scope, flt: Filters, who, answerer) -> pd.DataFrame:
    """The figures of each unit or person (`who`) with enough cases handled in the period.

    Reopen rate: the share of the cases handled that have ever been taken up again.
    """
    first, last = flt.period(clock.today())
    start, end = clock.day_start(first), clock.day_start(last + dt.timedelta(days=1))
    days = func.extract("epoch", Case.resolved_at - Case.received_at) / 86400
    resolved_day = cast(clock.local_time(Case.resolved_at), Date)
    in_scope = scope_clause(scope, Case.unit_id)
    reopened = select(CaseEvent.case_id).where(CaseEvent.kind == "reopened")
    with uow:
        session = uow.session
        handled = {r[0]: r[1:] for r in session.execute(
            select(who, func.count(), func.percentile_cont(0.5).within_group(days),
                   cast(func.count().filter(resolved_day <= Case.due_date), Float) / func.count(),
                   cast(func.count().filter(Case.id.in_(reopened)), Float) / func.count())
            .where(Case.resolved_at >= start, Case.resolved_at < end, who.is_not(None), in_scope)
            .group_by(who).having(func.count() >= settings.LEAGUE_MIN_CASES))}
        hours = func.extract("epoch", Handoff.answered_at - Handoff.requested_at) / 3600
        answered = dict(session.execute(
            select(answerer, func.percentile_cont(0.5).within_group(hours))
            .where(Handoff.answered_at >= start, Handoff.answered_at < end,
                   answerer.in_(list(handled)))
            .group_by(answerer)).all())
        satisfied = dict(session.execute(
            select(who, cast(func.count().filter(Feedback.rating.in_(SATISFIED)), Float)
                   / func.count())
            .select_from(Feedback).join(Case, Case.id == Feedback.case_id)
            .where(Feedback.recorded_at >= start, Feedback.recorded_at < end,
                   who.in_(list(handled)))
            .group_by(who)).all())
    rows = {key: (n, median, on_time, answered.get(key), satisfied.get(key), reopen)
            for key, (n, median, on_time, reopen) in handled.items()}
    return pd.DataFrame.from_dict(rows, orient="index", columns=COLUMNS)
