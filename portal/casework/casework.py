"""Working a case: release, notes, priority, documents, resolution, withdrawal, reopening.

Each function is one user action: one transaction through the lifecycle, one event.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db.models import (
    OUTCOMES,
    PRIORITIES,
    Case,
    CaseEvent,
    CaseMaterial,
    User,
)
from portal import access, cases, clock, lifecycle, workdays
from portal.access import Actor
from portal.errors import InvalidInput, NotPermitted
from portal.handoffs import handoff, joint
from portal.lifecycle import Status
from portal.uow import UnitOfWork

TEXT_MAX = 2000


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput({field: "casework.error.text_required"})
    if len(value) > TEXT_MAX:
        raise InvalidInput({field: "casework.error.text_too_long"})
    return value


def colleagues(uow: UnitOfWork, unit_id: int) -> list[tuple[int, str]]:
    """Active staff of a unit who can work its cases, as (id, name)."""
    with uow:
        rows = uow.session.execute(
            select(User.id, User.display_name).where(
                User.unit_id == unit_id, User.active, User.role.in_(access.WORKERS))
            .order_by(User.display_name))
        return [tuple(r) for r in rows]


def assign(uow: UnitOfWork, actor: Actor, case_id: int, user_id: int,
           version: int | None = None) -> None:
    """Give the case to a colleague of its unit; an unassigned case starts being worked."""
    lifecycle.permit(actor, "assign")
    with uow:
        if not lifecycle.may_assign(actor, uow.session):
            raise NotPermitted(action="case.assign")
        case = cases.locked(uow, actor, case_id, version, "assign")
        target = uow.session.get(User, user_id)
        if (target is None or not target.active or target.unit_id != case.unit_id
                or target.role not in access.WORKERS):
            raise InvalidInput({"assignee": "casework.error.assignee"})
        data = {"from": case.assignee_id, "to": user_id}
        case.assignee_id = user_id
        if case.status in lifecycle.UNWORKED:
            lifecycle.move(uow.session, case, Status.IN_PROGRESS, actor_id=actor.id, kind="assigned",
                           data=data)
        else:
            lifecycle.record(uow.session, case, "assigned", actor_id=actor.id, data=data)
        uow.commit()


def release(uow: UnitOfWork, actor: Actor, case_id: int, version: int | None = None) -> None:
    """Give a claimed case back to the unit queue."""
    lifecycle.permit(actor, "release")
    with uow:
        case = cases.locked(uow, actor, case_id, version, "release")
        lifecycle.move(uow.session, case, Status.RECEIVED, actor_id=actor.id, kind="released")
        case.assignee_id = None
        uow.commit()


def add_note(uow: UnitOfWork, actor: Actor, case_id: int, note: str) -> None:
    """An internal note on the timeline; never shown to the citizen."""
    lifecycle.permit(actor, "note")
    note = _text(note, "note")
    with uow:
        case = cases.locked(uow, actor, case_id, None, "note")
        lifecycle.record(uow.session, case, "note", actor_id=actor.id, data={"note": note})
        uow.commit()


def priority_input(priority: str, reason: str) -> str:
    """The reason, cleaned; refuses an unknown priority or a missing reason."""
    if priority not in PRIORITIES:
        raise InvalidInput({"priority": "casework.error.priority"})
    return _text(reason, "reason")


def change_priority(uow: UnitOfWork, actor: Actor, case_id: int, priority: str, reason: str,
                    version: int | None = None) -> None:
    lifecycle.permit(actor, "priority")
    reason = priority_input(priority, reason)
    with uow:
        case = cases.locked(uow, actor, case_id, version, "priority")
        lifecycle.record(uow.session, case, "priority_changed", actor_id=actor.id,
                         data={"from": case.priority, "to": priority, "reason": reason})
        case.priority = priority
        uow.commit()


def request_documents(uow: UnitOfWork, actor: Actor, case_id: int, documents: str,
                      version: int | None = None) -> None:
    """Ask the citizen for more documents: the time-limit clock stops until they arrive."""
    lifecycle.permit(actor, "request_documents")
    documents = _text(documents, "documents")
    with uow:
        case = cases.locked(uow, actor, case_id, version, "request_documents")
        lifecycle.move(uow.session, case, Status.WAITING_CITIZEN, actor_id=actor.id,
                       kind="documents_requested", data={"documents": documents})
        uow.commit()


def documents_received(uow: UnitOfWork, actor: Actor, case_id: int,
                       version: int | None = None) -> dt.date:
    """The documents arrived: the clock runs again, the due date later by the days it stood."""
    lifecycle.permit(actor, "documents_received")
    with uow:
        case = cases.locked(uow, actor, case_id, version, "documents_received")
        calendar = workdays.load(uow.session)
        paused_on = clock.local(_paused_since(uow, case)).date()
        stood = workdays.working_days_between(paused_on, clock.today(), calendar)
        old_due = case.due_date
        case.due_date = workdays.add_working_days(old_due, stood, calendar)
        target = Status.IN_PROGRESS if case.assignee_id else Status.RECEIVED
        lifecycle.move(uow.session, case, target, actor_id=actor.id, kind="documents_received",
                       data={"paused_working_days": stood, "due_from": old_due.isoformat(),
                             "due_to": case.due_date.isoformat()})
        uow.commit()
        return case.due_date


def _paused_since(uow: UnitOfWork, case: Case) -> dt.datetime:
    return uow.session.scalar(
        select(CaseEvent.at).where(CaseEvent.case_id == case.id,
                                   CaseEvent.to_status == Status.WAITING_CITIZEN)
        .order_by(CaseEvent.at.desc()).limit(1)) or case.received_at


def resolve(uow: UnitOfWork, actor: Actor, case_id: int, outcome: str, result: str,
            version: int | None = None) -> None:
    """Record the outcome and the result the citizen will be told."""
    lifecycle.permit(actor, "resolve")
    if outcome not in OUTCOMES:
        raise InvalidInput({"outcome": "casework.error.outcome"})
    result = _text(result, "result")
    with uow:
        case = cases.locked(uow, actor, case_id, version, "resolve")
        joint.require_parts_done(uow, case)
        case.outcome, case.result = outcome, result  # before the event: its message tells it
        lifecycle.move(uow.session, case, Status.RESOLVED, actor_id=actor.id, kind="resolved",
                       data={"outcome": outcome})
        handoff.complete_transfer(uow, case)
        uow.commit()


def deliver(uow: UnitOfWork, actor: Actor, case_id: int, version: int | None = None) -> None:
    """Hand the result over and take back the materials; the case closes. The citizen rates
    it on the status page (see `ratings`), not through staff."""
    lifecycle.permit(actor, "deliver")
    with uow:
        case = cases.locked(uow, actor, case_id, version, "deliver")
        now = clock.now()
        for material in uow.session.scalars(select(CaseMaterial).where(
                CaseMaterial.case_id == case.id, CaseMaterial.returned_at.is_(None))):
            material.returned_copies, material.returned_at = material.copies, now
        lifecycle.move(uow.session, case, Status.CLOSED, actor_id=actor.id, kind="closed")
        uow.commit()


def withdraw(uow: UnitOfWork, actor: Actor, case_id: int, reason: str,
             version: int | None = None) -> None:
    """The citizen withdrew the request."""
    lifecycle.permit(actor, "withdraw")
    reason = _text(reason, "reason")
    with uow:
        case = cases.locked(uow, actor, case_id, version, "withdraw")
        lifecycle.move(uow.session, case, Status.WITHDRAWN, actor_id=actor.id, kind="withdrawn",
                       data={"reason": reason})
        uow.commit()


def reopen(uow: UnitOfWork, actor: Actor, case_id: int, reason: str,
           version: int | None = None) -> None:
    """A manager takes a resolved or closed case up again (a bad review, a complaint)."""
    lifecycle.permit(actor, "reopen")
    reason = _text(reason, "reason")
    with uow:
        case = cases.locked(uow, actor, case_id, version, "reopen")
        lifecycle.move(uow.session, case, Status.REOPENED, actor_id=actor.id, kind="reopened",
                       data={"reason": reason})
        uow.commit()
