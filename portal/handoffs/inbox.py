"""The hand-off inbox of a unit (a manager's subtree): what waits for an answer, on both sides.

Each hand-off carries the office hours it waited for its answer (so far, while pending) and,
while pending, a flag once that passes the acceptance limit (ACCEPT_WITHIN_WORKING_HOURS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Case, Handoff, ServiceType, Unit
from portal import access, clock, lifecycle, settings, workdays
from portal.access import Actor
from portal.handoffs import handoff
from portal.lifecycle import HandoffState
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

COLUMNS = ["id", "case_id", "receipt_no", "service", "kind", "state", "from_unit", "to_unit",
           "reason", "note", "part", "requested_at", "answered_at", "return_category",
           "return_reason", "disputed_at", "dispute_reason", "from_unit_id", "to_unit_id",
           "bounced"]
RETURNED_DAYS = 14
LIMIT = 200


def incoming(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Pending hand-offs to the unit(s), oldest first."""
    return _rows(uow, actor, lang, [Handoff.state == HandoffState.PENDING], Handoff.to_unit_id)


def sent(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Pending hand-offs the unit(s) sent, oldest first."""
    return _rows(uow, actor, lang, [Handoff.state == HandoffState.PENDING], Handoff.from_unit_id)


def parts_in_hand(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Joint parts the unit(s) accepted and has not completed yet."""
    return _rows(uow, actor, lang, [Handoff.kind == "joint", Handoff.state == HandoffState.ACCEPTED,
                                    Handoff.completed_at.is_(None)], Handoff.to_unit_id)


def returned(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Hand-offs returned to the unit(s) in the last two weeks, newest first."""
    since = clock.now() - dt.timedelta(days=RETURNED_DAYS)
    frame = _rows(uow, actor, lang, [Handoff.state == HandoffState.RETURNED, Handoff.answered_at >= since],
                  Handoff.from_unit_id)
    return frame.sort_values("answered_at", ascending=False, ignore_index=True)


def disputes(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Disputed returns waiting for a decision by a manager over the unit referred to."""
    access.require(actor, "handoff.decide")
    return _rows(uow, actor, lang, [Handoff.disputed_at.is_not(None),
                                    Handoff.decided_at.is_(None)], Handoff.dispute_unit_id)


def late(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Pending hand-offs past the acceptance limit with either side in the actor's scope."""
    frame = _rows(uow, actor, lang, [Handoff.state == HandoffState.PENDING],
                  Handoff.from_unit_id, Handoff.to_unit_id)
    return frame[frame["late"]].reset_index(drop=True)


def _rows(uow: UnitOfWork, actor: Actor, lang: str, where: list, *sides) -> pd.DataFrame:
    with uow:
        return _frame(uow.session, actor, lang, where, *sides)


def _frame(session: Session, actor: Actor, lang: str, where: list, *sides) -> pd.DataFrame:
    """The hand-offs matching `where` with either side (`sides`) in scope, read in the
    caller's transaction, with the office hours each waited."""
    access.require(actor, "case.view")
    sender, receiver = aliased(Unit), aliased(Unit)
    query = (
        select(Handoff.id, Handoff.case_id, Case.receipt_no, name_column(ServiceType, lang),
               Handoff.kind, Handoff.state, name_column(sender, lang), name_column(receiver, lang),
               Handoff.reason, Handoff.note, Handoff.part, Handoff.requested_at,
               Handoff.answered_at, Handoff.return_category, Handoff.return_reason,
               Handoff.disputed_at, Handoff.dispute_reason, Handoff.from_unit_id,
               Handoff.to_unit_id, Case.bounced)
        .join(Case, Handoff.case_id == Case.id)
        .join(ServiceType, Case.service_type_id == ServiceType.id)
        .join(sender, Handoff.from_unit_id == sender.id)
        .join(receiver, Handoff.to_unit_id == receiver.id)
        .where(*where, or_(*(scope_clause(actor, side) for side in sides)))
        .order_by(Handoff.requested_at)
        .limit(LIMIT))
    rows = session.execute(query).all()
    calendar = workdays.load(session)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("requested_at", "answered_at", "disputed_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(clock.TZ)
    # Office hours from the request to its answer, or until now while it waits.
    now = clock.now()
    frame["waiting_hours"] = [
        round(workdays.office_hours_between(
            asked.to_pydatetime(), now if pd.isna(answered) else answered.to_pydatetime(),
            calendar, workdays.OFFICE_HOURS), 1)
        for asked, answered in zip(frame["requested_at"], frame["answered_at"], strict=True)]
    frame["late"] = frame["answered_at"].isna() & (
        frame["waiting_hours"] > settings.current(session).accept_within_working_hours)
    return frame


@dataclass(frozen=True)
class CaseHandoffs:
    """What the case file shows and offers about hand-offs of one case."""

    bounced: bool
    first_responsible: str | None  # the unit's name, once one is named
    only_upwards: bool  # the case's unit is first-responsible: it may only escalate
    last_return: pd.Series | None  # the latest return, while the case is still back with it
    pending: pd.DataFrame  # hand-offs and parts waiting for an answer
    suggestion: int | None
    parent: tuple[int, str] | None


def for_case(uow: UnitOfWork, actor: Actor, case_id: int, lang: str) -> CaseHandoffs:
    with uow:
        all_of_case = _frame(uow.session, actor, lang, [Handoff.case_id == case_id],
                             Handoff.from_unit_id, Handoff.to_unit_id)
        case = uow.session.get(Case, case_id)
        bounced, unit_id, responsible = case.bounced, case.unit_id, case.first_responsible_unit_id
        names = dict(uow.session.execute(select(Unit.id, name_column(Unit, lang)).where(
            Unit.id.in_([responsible or 0, unit_id]))).all())
        parent = uow.session.execute(
            select(Unit.id, name_column(Unit, lang)).where(
                Unit.id == select(Unit.parent_id).where(Unit.id == unit_id).scalar_subquery())
        ).first()
        suggestion = handoff.suggested(uow.session, case_id)
    transfers = all_of_case[all_of_case["kind"] == "transfer"]
    last = transfers.iloc[-1] if not transfers.empty else None
    back = last is not None and last["state"] == HandoffState.RETURNED and last["from_unit_id"] == unit_id
    return CaseHandoffs(
        bounced=bounced, first_responsible=names.get(responsible),
        only_upwards=responsible == unit_id, last_return=last if back else None,
        pending=all_of_case[all_of_case["state"] == HandoffState.PENDING].reset_index(drop=True),
        suggestion=suggestion,
        parent=(parent[0], parent[1]) if parent else None)


def bounced_cases(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Open bounced cases of units in scope, soonest due first."""
    access.require(actor, "handoff.decide")
    query = (
        select(Case.receipt_no, name_column(ServiceType, lang), name_column(Unit, lang),
               Case.status, Case.due_date)
        .join(ServiceType, Case.service_type_id == ServiceType.id)
        .join(Unit, Case.unit_id == Unit.id)
        .where(Case.bounced, Case.status.in_(lifecycle.OPEN), scope_clause(actor, Case.unit_id))
        .order_by(Case.due_date).limit(LIMIT))
    with uow:
        rows = uow.session.execute(query).all()
    return pd.DataFrame(rows, columns=["receipt_no", "service", "unit", "status", "due_date"])
