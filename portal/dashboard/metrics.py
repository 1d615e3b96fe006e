"""Read models for the dashboard: figures over the cases of the units in a scope.

They take a Scope rather than a person, so that everyone with the same scope shares them;
`scope_for` is where the right to see them is checked. Today's figures and everything
"now" are counted live; completed days come from daily_figures (portal.dashboard.rollup).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import ColumnElement, func, or_, select

from db.models import (
    Case,
    DailyFigure,
    DailyFiguresDone,
    Handoff,
    Rectification,
    ServiceType,
    Unit,
)
from portal import access, clock, settings, workdays
from portal.access import Actor, Scope
from portal.dashboard import rollup
from portal.lifecycle import OPEN, RUNNING, HandoffState
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

KPIS = ("received_today", "open", "overdue", "due_today", "resolved_today", "on_time_rate",
        "satisfaction_rate", "late_handoffs", "open_rectifications")
RATE_DAYS = 30
CHART_DAYS = 90
TOP_UNITS = 15
SATISFIED = (3, 4, 5)  # basically satisfied or better


@dataclass(frozen=True)
class Filters:
    """What the manager narrowed the dashboard to; empty means everything in scope."""

    start: dt.date | None = None  # the period of the mix charts (default: 30 completed days)
    end: dt.date | None = None
    tiers: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()  # town codes
    departments: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        end = min(self.end or today - dt.timedelta(days=1), today - dt.timedelta(days=1))
        return self.start or end - dt.timedelta(days=RATE_DAYS - 1), end


@dataclass(frozen=True)
class Tile:
    value: float
    previous: float | None  # the same figure a period earlier, where it is known


@dataclass(frozen=True)
class Overview:
    tiles: dict[str, Tile]
    per_day: pd.DataFrame  # day, kind (received | resolved), cases
    backlog: pd.DataFrame  # day, open
    by_status_tier: pd.DataFrame  # status, tier, cases
    overdue_by_unit: pd.DataFrame  # unit_id, unit, cases
    service_mix: pd.DataFrame  # category, cases
    satisfaction: pd.DataFrame  # unit, rating, count
    period: tuple[dt.date, dt.date]
    as_of: dt.datetime = field(default_factory=clock.now)


def scope_for(actor: Actor) -> Scope:
    """The scope whose figures the actor may see (the same for everyone in it)."""
    access.require(actor, "metrics.view")
    return actor.scope


def overview(uow: UnitOfWork, scope: Scope, flt: Filters = Filters(),
             lang: str = "zh") -> Overview:
    rollup.ensure(uow)
    today = clock.today()
    with uow:
        session = uow.session
        so_far = _today(session, scope, flt, today)
        return Overview(
            tiles=_tiles(session, scope, flt, today, so_far),
            per_day=_per_day(session, scope, flt, today, so_far),
            backlog=_backlog(session, scope, flt, today),
            by_status_tier=_by_status_tier(session, scope, flt),
            overdue_by_unit=_overdue_by_unit(session, scope, flt, today, lang),
            service_mix=_service_mix(session, scope, flt, today),
            satisfaction=_satisfaction(session, scope, flt, today, lang),
            period=flt.period(today))


def _where(scope: Scope, flt: Filters, unit_column, service_column) -> list[ColumnElement]:
    """The scope and the filters, on a unit column and a service column."""
    conditions = [scope_clause(scope, unit_column)]
    if flt.tiers or flt.towns:
        units = select(Unit.id)
        if flt.tiers:
            units = units.where(Unit.tier.in_(flt.tiers))
        if flt.towns:
            units = units.where(or_(*(Unit.path.startswith(f"/city/{town}/", autoescape=True)
                                      for town in flt.towns)))
        conditions.append(unit_column.in_(units))
    if flt.departments or flt.categories:
        services = select(ServiceType.id)
        if flt.departments:
            services = services.where(ServiceType.department_id.in_(flt.departments))
        if flt.categories:
            services = services.where(ServiceType.category.in_(flt.categories))
        conditions.append(service_column.in_(services))
    return conditions


def _daily(scope: Scope, flt: Filters, first: dt.date, last: dt.date):
    return [*_where(scope, flt, DailyFigure.unit_id, DailyFigure.service_type_id),
            DailyFigure.day.between(first, last)]


def _tiles(session, scope: Scope, flt: Filters, today: dt.date,
           so_far: tuple[int, int]) -> dict[str, Tile]:
    yesterday, now = today - dt.timedelta(days=1), clock.now()
    received, resolved = so_far
    calendar = workdays.load(session)
    open_, overdue, due_today = session.execute(select(
        func.count(),
        func.count().filter(Case.status.in_(RUNNING), Case.due_date < today),
        func.count().filter(Case.status.in_(RUNNING), Case.due_date == today),
    ).where(Case.status.in_(OPEN),
            *_where(scope, flt, Case.unit_id, Case.service_type_id))).one()
    before = session.execute(select(
        *(func.coalesce(func.sum(getattr(DailyFigure, c)), 0) for c in
          ("received", "resolved", "open_at_end", "overdue_at_end")),
        func.count()).where(*_daily(scope, flt, yesterday, yesterday))).one()
    known = before[-1] > 0 or _folded(session, yesterday)
    tiles = {
        "received_today": Tile(received, before[0] if known else None),
        "resolved_today": Tile(resolved, before[1] if known else None),
        "open": Tile(open_, before[2] if known else None),
        "overdue": Tile(overdue, before[3] if known else None),
        "due_today": Tile(due_today, _due_yesterday(session, scope, flt, yesterday)),
        "late_handoffs": Tile(*(_late_handoffs(session, scope, at, calendar)
                                for at in (now, now - dt.timedelta(days=1)))),
        "open_rectifications": Tile(*(_open_rectifications(session, scope, at)
                                      for at in (now, now - dt.timedelta(days=1)))),
    }
    recent, earlier = (_rates(session, scope, flt, today - dt.timedelta(days=n * RATE_DAYS))
                       for n in (0, 1))
    tiles["on_time_rate"] = Tile(recent[0], earlier[0])
    tiles["satisfaction_rate"] = Tile(recent[1], earlier[1])
    return tiles


def _folded(session, day: dt.date) -> bool:
    return session.get(DailyFiguresDone, day) is not None


def _rates(session, scope: Scope, flt: Filters, until: dt.date) -> tuple[float | None, ...]:
    """On-time and satisfaction rates over the RATE_DAYS completed days before `until`."""
    first, last = until - dt.timedelta(days=RATE_DAYS), until - dt.timedelta(days=1)
    ratings = [getattr(DailyFigure, f"rating_{r}") for r in range(1, 6)]
    resolved, on_time, rated, satisfied = session.execute(select(
        func.sum(DailyFigure.resolved), func.sum(DailyFigure.resolved_on_time),
        func.sum(sum(ratings)), func.sum(sum(ratings[r - 1] for r in SATISFIED)),
    ).where(*_daily(scope, flt, first, last))).one()
    return (on_time / resolved if resolved else None, satisfied / rated if rated else None)


def _late_handoffs(session, scope: Scope, at: dt.datetime, calendar: workdays.Calendar) -> int:
    """Hand-offs with either side in scope that were pending at `at` and past the limit.

    One asked a fortnight earlier is past any limit of a few office hours (no break lasts
    that long); only the recent ones need their office hours counted.
    """
    # Pending then: still pending now, or answered since (each through its own index).
    pending = [Handoff.requested_at < at,
               or_(Handoff.state == HandoffState.PENDING, Handoff.answered_at > at),
               or_(scope_clause(scope, Handoff.from_unit_id),
                   scope_clause(scope, Handoff.to_unit_id))]
    surely = at - dt.timedelta(days=14)
    old = session.scalar(select(func.count()).where(*pending, Handoff.requested_at < surely))
    recent = session.scalars(select(Handoff.requested_at).where(
        *pending, Handoff.requested_at >= surely))
    return old + sum(workdays.office_hours_between(asked.astimezone(clock.TZ), at, calendar,
                                                   workdays.OFFICE_HOURS)
                     > settings.current(session).accept_within_working_hours for asked in recent)


def _open_rectifications(session, scope: Scope, at: dt.datetime) -> int:
    """Rectifications of units in scope that were open at `at`."""
    return session.scalar(select(func.count()).where(
        Rectification.opened_at <= at,
        or_(Rectification.closed_at.is_(None), Rectification.closed_at > at),
        scope_clause(scope, Rectification.unit_id)))


def _due_yesterday(session, scope: Scope, flt: Filters, yesterday: dt.date) -> int:
    """What the "due today" tile said yesterday morning: cases due then and not yet ended."""
    start = clock.day_start(yesterday)
    ended = func.coalesce(Case.resolved_at, Case.closed_at)
    return session.scalar(select(func.count()).where(
        Case.due_date == yesterday, Case.received_at < start,
        or_(ended.is_(None), ended >= start),
        *_where(scope, flt, Case.unit_id, Case.service_type_id)))


def _per_day(session, scope: Scope, flt: Filters, today: dt.date,
             so_far: tuple[int, int]) -> pd.DataFrame:
    first = today - dt.timedelta(days=CHART_DAYS - 1)
    rows = session.execute(select(DailyFigure.day, func.sum(DailyFigure.received),
                                  func.sum(DailyFigure.resolved))
                           .where(*_daily(scope, flt, first, today)).group_by(DailyFigure.day))
    frame = pd.DataFrame({"day": pd.date_range(first, today, freq="D").date})
    by_day = {day: (received, resolved) for day, received, resolved in rows}
    by_day[today] = so_far
    frame["received"] = [int(by_day.get(d, (0, 0))[0]) for d in frame["day"]]
    frame["resolved"] = [int(by_day.get(d, (0, 0))[1]) for d in frame["day"]]
    return frame.melt(id_vars="day", var_name="kind", value_name="cases")


def _today(session, scope: Scope, flt: Filters, today: dt.date) -> tuple[int, int]:
    """Cases received and resolved so far today."""
    start = clock.day_start(today)
    return (session.scalar(select(func.count()).where(
                Case.received_at >= start,
                *_where(scope, flt, Case.intake_unit_id, Case.service_type_id))),
            session.scalar(select(func.count()).where(
                Case.resolved_at >= start,
                *_where(scope, flt, Case.unit_id, Case.service_type_id))))


def _backlog(session, scope: Scope, flt: Filters, today: dt.date) -> pd.DataFrame:
    first = today - dt.timedelta(days=CHART_DAYS - 1)
    rows = dict(session.execute(select(DailyFigure.day, func.sum(DailyFigure.open_at_end))
                                .where(*_daily(scope, flt, first, today))
                                .group_by(DailyFigure.day)).all())
    rows[today] = session.scalar(select(func.count()).where(
        Case.status.in_(OPEN), *_where(scope, flt, Case.unit_id, Case.service_type_id)))
    days = pd.date_range(first, today, freq="D").date
    return pd.DataFrame({"day": days, "open": [int(rows.get(d, 0)) for d in days]})


def _by_status_tier(session, scope: Scope, flt: Filters) -> pd.DataFrame:
    rows = session.execute(
        select(Case.status, Unit.tier, func.count()).select_from(Case)
        .join(Unit, Unit.id == Case.unit_id)
        .where(Case.status.in_(OPEN),
               *_where(scope, flt, Case.unit_id, Case.service_type_id))
        .group_by(Case.status, Unit.tier)).all()
    return pd.DataFrame(rows, columns=["status", "tier", "cases"])


def _overdue_by_unit(session, scope: Scope, flt: Filters, today: dt.date,
                     lang: str) -> pd.DataFrame:
    rows = session.execute(
        select(Unit.id, name_column(Unit, lang), func.count()).select_from(Case)
        .join(Unit, Unit.id == Case.unit_id)
        .where(Case.status.in_(RUNNING), Case.due_date < today,
               *_where(scope, flt, Case.unit_id, Case.service_type_id))
        .group_by(Unit.id).order_by(func.count().desc(), Unit.id).limit(TOP_UNITS)).all()
    return pd.DataFrame(rows, columns=["unit_id", "unit", "cases"])


def _service_mix(session, scope: Scope, flt: Filters, today: dt.date) -> pd.DataFrame:
    first, last = flt.period(today)
    rows = session.execute(
        select(ServiceType.category, func.sum(DailyFigure.received)).select_from(DailyFigure)
        .join(ServiceType, ServiceType.id == DailyFigure.service_type_id)
        .where(*_daily(scope, flt, first, last)).group_by(ServiceType.category)
        .having(func.sum(DailyFigure.received) > 0)
        .order_by(func.sum(DailyFigure.received).desc())).all()
    return pd.DataFrame([(c, int(n)) for c, n in rows], columns=["category", "cases"])


def _satisfaction(session, scope: Scope, flt: Filters, today: dt.date,
                  lang: str) -> pd.DataFrame:
    """Ratings per unit over the period, for the TOP_UNITS units with the most of them."""
    first, last = flt.period(today)
    ratings = [func.sum(getattr(DailyFigure, f"rating_{r}")) for r in range(1, 6)]
    rows = session.execute(
        select(name_column(Unit, lang), *ratings).select_from(DailyFigure)
        .join(Unit, Unit.id == DailyFigure.unit_id)
        .where(*_daily(scope, flt, first, last)).group_by(Unit.id, name_column(Unit, lang))
        .having(sum(ratings) > 0).order_by(sum(ratings).desc()).limit(TOP_UNITS)).all()
    return pd.DataFrame([(unit, rating, int(count)) for unit, *counts in rows
                         for rating, count in enumerate(counts, 1)],
                        columns=["unit", "rating", "count"])
