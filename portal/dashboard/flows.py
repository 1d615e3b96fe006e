"""How departments work together: hand-offs between them, returns, bounced cases; and the
load on people now, and what became of bad reviews. Read models over a scope, like metrics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Float, and_, cast, func, or_, select
from sqlalchemy.orm import aliased

from db.models import Case, Department, Feedback, Handoff, Rectification, Unit, User
from portal import clock, ratings
from portal.access import Scope
from portal.dashboard.metrics import Filters
from portal.lifecycle import OPEN, HandoffState
from portal.messages import t
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

NO_DEPARTMENT = 0  # a village point or a township centre: a unit with no department
TOP_PEOPLE = 25


@dataclass(frozen=True)
class Flows:
    matrix: pd.DataFrame  # from_id, from_dept, to_id, to_dept, handoffs, median_hours, return_rate
    return_reasons: pd.DataFrame  # department, category, returns
    bounced: pd.DataFrame  # department, cases
    workload: pd.DataFrame  # person, unit, open
    rectification: dict[str, float | int | None]
    as_of: dt.datetime


def flows(uow: UnitOfWork, scope: Scope, flt: Filters, lang: str) -> Flows:
    first, last = flt.period(clock.today())
    start, end = clock.day_start(first), clock.day_start(last + dt.timedelta(days=1))
    with uow:
        session = uow.session
        names = {d: n for d, n in session.execute(
            select(Department.id, name_column(Department, lang)))}
        return Flows(matrix=_matrix(session, scope, start, end, names, lang),
                     return_reasons=_return_reasons(session, scope, start, end, names, lang),
                     bounced=_bounced(session, scope, start, end, names, lang),
                     workload=_workload(session, scope, lang),
                     rectification=_rectification(session, scope, start, end),
                     as_of=clock.now())


def _in_scope(scope: Scope, start: dt.datetime, end: dt.datetime):
    return and_(Handoff.kind == "transfer", Handoff.requested_at >= start,
                Handoff.requested_at < end,
                or_(scope_clause(scope, Handoff.from_unit_id),
                    scope_clause(scope, Handoff.to_unit_id)))


def _department(names: dict[int, str], department_id: int | None, lang: str) -> str:
    if department_id is None or department_id == NO_DEPARTMENT:
        return t("dash.general_intake", lang)
    return names[department_id]


def _matrix(session, scope, start, end, names, lang) -> pd.DataFrame:
    sender = func.coalesce(Handoff.from_department_id, NO_DEPARTMENT)
    receiver = func.coalesce(Handoff.to_department_id, NO_DEPARTMENT)
    hours = func.extract("epoch", Handoff.answered_at - Handoff.requested_at) / 3600
    rows = session.execute(
        select(sender, receiver, func.count(),
               func.percentile_cont(0.5).within_group(hours).filter(Handoff.state == HandoffState.ACCEPTED),
               cast(func.count().filter(Handoff.state == HandoffState.RETURNED), Float)
               / func.nullif(func.count().filter(Handoff.answered_at.is_not(None)), 0))
        .where(_in_scope(scope, start, end)).group_by(sender, receiver)).all()
    return pd.DataFrame(
        [(s, _department(names, s, lang), r, _department(names, r, lang), n,
          None if median is None else round(median, 1), rate)
         for s, r, n, median, rate in rows],
        columns=["from_id", "from_dept", "to_id", "to_dept", "handoffs", "median_hours",
                 "return_rate"])


def handoffs_between(uow: UnitOfWork, scope: Scope, flt: Filters, from_id: int, to_id: int,
                     lang: str) -> pd.DataFrame:
    """The hand-offs behind one cell of the matrix."""
    first, last = flt.period(clock.today())
    start, end = clock.day_start(first), clock.day_start(last + dt.timedelta(days=1))
    sender, receiver = aliased(Unit), aliased(Unit)
    query = (
        select(Case.receipt_no, name_column(sender, lang), name_column(receiver, lang),
               Handoff.state, clock.local_time(Handoff.requested_at),
               clock.local_time(Handoff.answered_at), Handoff.return_category)
        .join(Case, Case.id == Handoff.case_id)
        .join(sender, sender.id == Handoff.from_unit_id)
        .join(receiver, receiver.id == Handoff.to_unit_id)
        .where(_in_scope(scope, start, end),
               func.coalesce(Handoff.from_department_id, NO_DEPARTMENT) == from_id,
               func.coalesce(Handoff.to_department_id, NO_DEPARTMENT) == to_id)
        .order_by(Handoff.requested_at.desc()).limit(500))
    with uow:
        rows = uow.session.execute(query).all()
    return pd.DataFrame(rows, columns=["receipt_no", "from_unit", "to_unit", "state",
                                       "requested_at", "answered_at", "return_category"])


def _return_reasons(session, scope, start, end, names, lang) -> pd.DataFrame:
    receiver = func.coalesce(Handoff.to_department_id, NO_DEPARTMENT)
    rows = session.execute(
        select(receiver, Handoff.return_category, func.count())
        .where(_in_scope(scope, start, end), Handoff.state == HandoffState.RETURNED,
               Handoff.return_category.is_not(None))
        .group_by(receiver, Handoff.return_category).order_by(func.count().desc())).all()
    return pd.DataFrame([(_department(names, d, lang), c, n) for d, c, n in rows],
                        columns=["department", "category", "returns"])


def _bounced(session, scope, start, end, names, lang) -> pd.DataFrame:
    """Bounced cases received in the period, by the department of the unit holding them."""
    department = func.coalesce(Unit.department_id, NO_DEPARTMENT)
    rows = session.execute(
        select(department, func.count()).select_from(Case).join(Unit, Unit.id == Case.unit_id)
        .where(Case.bounced, Case.received_at >= start, Case.received_at < end,
               scope_clause(scope, Case.unit_id))
        .group_by(department).order_by(func.count().desc())).all()
    return pd.DataFrame([(_department(names, d, lang), n) for d, n in rows],
                        columns=["department", "cases"])


def _workload(session, scope, lang) -> pd.DataFrame:
    """Open cases per person now, the most loaded first, to rebalance."""
    rows = session.execute(
        select(User.display_name, name_column(Unit, lang), func.count())
        .select_from(Case).join(User, User.id == Case.assignee_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(Case.status.in_(OPEN), scope_clause(scope, Case.unit_id))
        .group_by(User.id, User.display_name, name_column(Unit, lang))
        .order_by(func.count().desc()).limit(TOP_PEOPLE)).all()
    return pd.DataFrame(rows, columns=["person", "unit", "open"])


def _rectification(session, scope, start, end) -> dict[str, float | int | None]:
    """Bad reviews in the period, how many were rectified, and how many citizens called back."""
    bad = session.scalar(
        select(func.count()).select_from(Feedback).join(Case, Case.id == Feedback.case_id)
        .where(Feedback.rating <= ratings.BAD_RATING, ratings.COUNTED,
               Feedback.recorded_at >= start, Feedback.recorded_at < end,
               scope_clause(scope, Case.unit_id)))
    opened, closed, called = session.execute(
        select(func.count(), func.count().filter(Rectification.closed_at.is_not(None)),
               func.count().filter(Rectification.called_at.is_not(None)))
        .where(Rectification.opened_at >= start, Rectification.opened_at < end,
               scope_clause(scope, Rectification.unit_id))).one()
    return {"bad_reviews": bad, "rectified_rate": closed / opened if opened else None,
            "call_back_rate": called / closed if closed else None}
