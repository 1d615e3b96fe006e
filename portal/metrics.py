"""Read models for the dashboard: figures over the cases of the units in a scope.

They take a Scope rather than a person, so that everyone with the same scope shares them;
`scope_for` is where the right to see them is checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Date, cast, func, select

from db.models import Case
from portal import access, clock
from portal.access import Actor, Scope
from portal.lifecycle import OPEN, Status
from portal.units import scope_clause
from portal.uow import UnitOfWork

OPEN_STATUSES = [str(s) for s in OPEN]


@dataclass(frozen=True)
class Kpis:
    received_today: int
    open: int
    overdue: int
    resolved_today: int


def _local_day(column):
    return cast(clock.local_time(column), Date)


def scope_for(actor: Actor) -> Scope:
    """The scope whose figures the actor may see (the same for everyone in it)."""
    access.require(actor, "metrics.view")
    return actor.scope


def kpis(uow: UnitOfWork, scope: Scope) -> Kpis:
    today = clock.today()
    is_open = Case.status.in_(OPEN_STATUSES)
    # Paused cases (waiting for the citizen) are not overdue.
    running = Case.status.in_([s for s in OPEN_STATUSES if s != Status.WAITING_CITIZEN])
    query = select(
        func.count().filter(scope_clause(scope, Case.intake_unit_id),
                            _local_day(Case.received_at) == today),
        func.count().filter(scope_clause(scope, Case.unit_id), is_open),
        func.count().filter(scope_clause(scope, Case.unit_id), running, Case.due_date < today),
        func.count().filter(scope_clause(scope, Case.unit_id),
                            _local_day(Case.resolved_at) == today),
    ).where(
        (Case.status.in_(OPEN_STATUSES))
        | (Case.received_at >= clock.day_start(today))
        | (Case.resolved_at >= clock.day_start(today))
    )
    with uow:
        return Kpis(*uow.session.execute(query).one())


def cases_per_day(uow: UnitOfWork, scope: Scope, days: int = 30) -> pd.DataFrame:
    """Cases received and resolved per day over the last `days` days (columns day, kind, cases)."""
    first = clock.today() - dt.timedelta(days=days - 1)
    received = _per_day(uow, Case.received_at, scope_clause(scope, Case.intake_unit_id), first)
    resolved = _per_day(uow, Case.resolved_at, scope_clause(scope, Case.unit_id), first)
    frame = pd.DataFrame({"day": pd.date_range(first, periods=days, freq="D").date})
    frame["received"] = frame["day"].map(received).fillna(0).astype(int)
    frame["resolved"] = frame["day"].map(resolved).fillna(0).astype(int)
    return frame.melt(id_vars="day", var_name="kind", value_name="cases")


def _per_day(uow: UnitOfWork, column, in_scope, first: dt.date) -> dict[dt.date, int]:
    day = _local_day(column)
    query = (
        select(day, func.count())
        .where(in_scope, column >= clock.day_start(first))
        .group_by(day)
    )
    with uow:
        return dict(uow.session.execute(query).all())
