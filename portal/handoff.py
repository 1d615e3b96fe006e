"""Hand-offs between units: the sender owns the case until the receiving unit accepts it."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import aliased

from db.models import Case, Handoff, ServiceType, Unit
from portal import access, assignment, cases, clock, lifecycle, queue, units
from portal.access import Actor
from portal.clock import local_time
from portal.errors import InvalidInput, InvalidTransition
from portal.lifecycle import Status
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

REASON_MAX = 500
SENDABLE = (Status.RECEIVED, Status.IN_PROGRESS, Status.REOPENED)
INBOX_COLUMNS = ["id", "receipt_no", "service", "from_unit", "to_unit", "reason", "requested_at"]


def send(uow: UnitOfWork, actor: Actor, case_id: int, to_unit_id: int, reason: str,
         version: int | None = None) -> int:
    """Ask `to_unit_id` to take the case; returns the hand-off's id."""
    access.require(actor, "handoff.send")
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": "handoff.error.reason_required"})
    if len(reason) > REASON_MAX:
        raise InvalidInput({"reason": "handoff.error.reason_too_long"})
    with uow:
        case = cases.locked(uow, actor, case_id, version, own_unit=True)
        if case.unit_id == to_unit_id:
            raise InvalidInput({"to_unit": "handoff.error.same_unit"})
        if case.status not in SENDABLE:
            raise InvalidTransition(current=case.status, target=str(Status.HANDOFF_PENDING))
        units = {u.id: u for u in uow.session.scalars(
            select(Unit).where(Unit.id.in_([case.unit_id, to_unit_id]), Unit.active))}
        if to_unit_id not in units:
            raise InvalidInput({"to_unit": "handoff.error.unknown_unit"})
        handoff = Handoff(
            case_id=case.id,
            from_unit_id=case.unit_id,
            to_unit_id=to_unit_id,
            from_department_id=units[case.unit_id].department_id,
            to_department_id=units[to_unit_id].department_id,
            reason=reason,
            requested_by=actor.id,
            requested_at=clock.now(),
        )
        uow.session.add(handoff)
        uow.session.flush()
        lifecycle.move(uow.session, case, Status.HANDOFF_PENDING, actor_id=actor.id,
                       kind="handoff_requested",
                       data={"handoff_id": handoff.id, "to_unit_id": to_unit_id, "reason": reason})
        uow.commit()
        return handoff.id


def accept(uow: UnitOfWork, actor: Actor, handoff_id: int) -> None:
    """The receiving unit takes the case: received there, unassigned unless the unit auto-assigns."""
    access.require(actor, "handoff.answer")
    with uow:
        handoff = units.locked(uow, Handoff, handoff_id)
        units.require_scope(uow, actor, handoff.to_unit_id)
        if handoff.state != "pending":
            raise InvalidTransition("error.handoff_answered", state=handoff.state)
        # The case belongs to the sender until now, so it is loaded without the receiver's scope.
        case = uow.session.scalar(select(Case).where(Case.id == handoff.case_id).with_for_update())
        now = clock.now()
        handoff.state = "accepted"
        handoff.answered_by = actor.id
        handoff.answered_at = now
        case.unit_id = handoff.to_unit_id
        case.assignee_id = None
        lifecycle.move(uow.session, case, Status.RECEIVED, actor_id=actor.id,
                       kind="handoff_accepted",
                       data={"handoff_id": handoff.id, "from_unit_id": handoff.from_unit_id})
        assignment.auto_assign(uow.session, case)
        uow.commit()


def sendable(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Cases of the actor's own unit that may be handed off now, soonest due first."""
    flt = queue.QueueFilter(view="unit", statuses=tuple(str(s) for s in SENDABLE))
    return queue.unit_queue(uow, actor, lang, flt, page_size=500)


def inbox(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Pending hand-offs to the actor's unit (a manager's subtree), oldest first."""
    return _pending(uow, actor, lang, Handoff.to_unit_id)


def sent(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Pending hand-offs the actor's unit (a manager's subtree) sent, oldest first."""
    return _pending(uow, actor, lang, Handoff.from_unit_id)


def _pending(uow: UnitOfWork, actor: Actor, lang: str, side) -> pd.DataFrame:
    access.require(actor, "case.view")
    sender, receiver = aliased(Unit), aliased(Unit)
    query = (
        select(Handoff.id, Case.receipt_no, name_column(ServiceType, lang),
               name_column(sender, lang), name_column(receiver, lang), Handoff.reason,
               local_time(Handoff.requested_at))
        .join(Case, Handoff.case_id == Case.id)
        .join(ServiceType, Case.service_type_id == ServiceType.id)
        .join(sender, Handoff.from_unit_id == sender.id)
        .join(receiver, Handoff.to_unit_id == receiver.id)
        .where(Handoff.state == "pending", scope_clause(actor, side))
        .order_by(Handoff.requested_at)
        .limit(200)
    )
    with uow:
        rows = uow.session.execute(query).all()
    return pd.DataFrame(rows, columns=INBOX_COLUMNS)
