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
from portal import access, cases, clock, handoff, joint, lifecycle, settings, workdays
from portal.access import Actor
from portal.errors import InvalidInput, InvalidTransition, NotPermitted
from portal.lifecycle import Status
from portal.uow import UnitOfWork

TEXT_MAX = 2000
S = Status
# The states each action starts from: narrower than the lifecycle's moves, which also
# serve hand-offs (a pending hand-off goes back to received or in progress).
STARTS_FROM: dict[str, frozenset[Status]] = {
    "release": frozenset({S.IN_PROGRESS}),
    "request_documents": frozenset({S.IN_PROGRESS, S.REOPENED}),
    "documents_received": frozenset({S.WAITING_CITIZEN}),
    "resolve": frozenset({S.IN_PROGRESS, S.REOPENED}),
    "withdraw": frozenset({S.RECEIVED, S.IN_PROGRESS, S.WAITING_CITIZEN}),
    "reopen": frozenset({S.RESOLVED, S.CLOSED}),
    "deliver": frozenset({S.RESOLVED}),
    "assign": frozenset({S.RECEIVED, S.REOPENED, S.IN_PROGRESS, S.WAITING_CITIZEN}),
}
ASKABLE = (S.IN_PROGRESS, S.WAITING_CITIZEN, S.REOPENED)  # an extension may be asked


def _starts(case: Case, action: str) -> None:
    if case.status not in STARTS_FROM[action]:
        raise InvalidTransition(current=case.status, target=action)


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput({field: "casework.error.text_required"})
    if len(value) > TEXT_MAX:
        raise InvalidInput({field: "casework.error.text_too_long"})
    return value


def _worker(actor: Actor, case: Case) -> None:
    """Only the assignee, or a manager over the case's unit, works an assigned case."""
    if case.assignee_id != actor.id and not actor.sees_subtree:
        raise NotPermitted(action="case.work")


def colleagues(uow: UnitOfWork, unit_id: int) -> list[tuple[int, str]]:
    """Active staff of a unit who can work its cases, as (id, name)."""
    with uow:
        rows = uow.session.execute(
            select(User.id, User.display_name).where(
                User.unit_id == unit_id, User.active, User.role.in_(access.WORKERS))
            .order_by(User.display_name))
        return [tuple(r) for r in rows]


def may_assign(actor: Actor) -> bool:
    return access.may(actor.role, "case.assign") and (
        actor.sees_subtree or settings.current().agents_may_assign)


def assign(uow: UnitOfWork, actor: Actor, case_id: int, user_id: int,
           version: int | None = None) -> None:
    """Give the case to a colleague of its unit; an unassigned case starts being worked."""
    if not may_assign(actor):
        raise NotPermitted(action="case.assign")
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        _starts(case, "assign")
        target = uow.session.get(User, user_id)
        if (target is None or not target.active or target.unit_id != case.unit_id
                or target.role not in access.WORKERS):
            raise InvalidInput({"assignee": "casework.error.assignee"})
        data = {"from": case.assignee_id, "to": user_id}
        case.assignee_id = user_id
        if case.status in (S.RECEIVED, S.REOPENED):
            lifecycle.move(uow.session, case, S.IN_PROGRESS, actor_id=actor.id, kind="assigned",
                           data=data)
        else:
            lifecycle.record(uow.session, case, "assigned", actor_id=actor.id, data=data)
        uow.commit()


def release(uow: UnitOfWork, actor: Actor, case_id: int, version: int | None = None) -> None:
    """Give a claimed case back to the unit queue."""
    access.require(actor, "case.work")
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        _starts(case, "release")
        _worker(actor, case)
        lifecycle.move(uow.session, case, Status.RECEIVED, actor_id=actor.id, kind="released")
        case.assignee_id = None
        uow.commit()


def add_note(uow: UnitOfWork, actor: Actor, case_id: int, note: str) -> None:
    """An internal note on the timeline; never shown to the citizen."""
    access.require(actor, "case.note")
    note = _text(note, "note")
    with uow:
        case = cases.locked(uow, actor, case_id, None)
        lifecycle.record(uow.session, case, "note", actor_id=actor.id, data={"note": note})
        uow.commit()


def priority_input(priority: str, reason: str) -> str:
    """The reason, cleaned; refuses an unknown priority or a missing reason."""
    if priority not in PRIORITIES:
        raise InvalidInput({"priority": "casework.error.priority"})
    return _text(reason, "reason")


def change_priority(uow: UnitOfWork, actor: Actor, case_id: int, priority: str, reason: str,
                    version: int | None = None) -> None:
    access.require(actor, "case.work")
    reason = priority_input(priority, reason)
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        if case.status not in lifecycle.OPEN:
            raise InvalidTransition(current=case.status, target=case.status)
        lifecycle.record(uow.session, case, "priority_changed", actor_id=actor.id,
                         data={"from": case.priority, "to": priority, "reason": reason})
        case.priority = priority
        uow.commit()


def request_documents(uow: UnitOfWork, actor: Actor, case_id: int, documents: str,
                      version: int | None = None) -> None:
    """Ask the citizen for more documents: the time-limit clock stops until they arrive."""
    access.require(actor, "case.work")
    documents = _text(documents, "documents")
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        _starts(case, "request_documents")
        _worker(actor, case)
        lifecycle.move(uow.session, case, Status.WAITING_CITIZEN, actor_id=actor.id,
                       kind="documents_requested", data={"documents": documents})
        uow.commit()


def documents_received(uow: UnitOfWork, actor: Actor, case_id: int,
                       version: int | None = None) -> dt.date:
    """The documents arrived: the clock runs again, the due date later by the days it stood."""
    access.require(actor, "case.work")
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        _starts(case, "documents_received")
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
    access.require(actor, "case.work")
    if outcome not in OUTCOMES:
        raise InvalidInput({"outcome": "casework.error.outcome"})
    result = _text(result, "result")
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        _starts(case, "resolve")
        _worker(actor, case)
        joint.require_parts_done(uow, case)
        lifecycle.move(uow.session, case, Status.RESOLVED, actor_id=actor.id, kind="resolved",
                       data={"outcome": outcome})
        handoff.complete_transfer(uow, case)
        case.outcome, case.result = outcome, result
        uow.commit()


def deliver(uow: UnitOfWork, actor: Actor, case_id: int, version: int | None = None) -> None:
    """Hand the result over and take back the materials; the case closes. The citizen rates
    it on the status page (see `ratings`), not through staff."""
    access.require(actor, "case.work")
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        _starts(case, "deliver")
        _worker(actor, case)
        now = clock.now()
        for material in uow.session.scalars(select(CaseMaterial).where(
                CaseMaterial.case_id == case.id, CaseMaterial.returned_at.is_(None))):
            material.returned_copies, material.returned_at = material.copies, now
        lifecycle.move(uow.session, case, Status.CLOSED, actor_id=actor.id, kind="closed")
        uow.commit()


def withdraw(uow: UnitOfWork, actor: Actor, case_id: int, reason: str,
             version: int | None = None) -> None:
    """The citizen withdrew the request."""
    access.require(actor, "case.work")
    reason = _text(reason, "reason")
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        _starts(case, "withdraw")
        lifecycle.move(uow.session, case, Status.WITHDRAWN, actor_id=actor.id, kind="withdrawn",
                       data={"reason": reason})
        uow.commit()


def reopen(uow: UnitOfWork, actor: Actor, case_id: int, reason: str,
           version: int | None = None) -> None:
    """A manager takes a resolved or closed case up again (a bad review, a complaint)."""
    access.require(actor, "case.reopen")
    reason = _text(reason, "reason")
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        _starts(case, "reopen")
        lifecycle.move(uow.session, case, Status.REOPENED, actor_id=actor.id, kind="reopened",
                       data={"reason": reason})
        uow.commit()


def offered(actor: Actor, status: str, assignee_id: int | None, unit_id: int,
            extension_pending: bool = False, open_parts: int = 0) -> list[str]:
    """The actions to offer this actor on a case in this state; nothing else is shown, and
    nothing that would be refused (resolving while joint parts are open)."""
    holds = assignee_id == actor.id or actor.sees_subtree
    rules = {
        "claim": access.may(actor.role, "case.claim") and unit_id == actor.unit_id
        and assignee_id is None and status in (S.RECEIVED, S.REOPENED),
        "release": holds, "request_documents": holds, "resolve": holds and not open_parts,
        "deliver": holds,
        "documents_received": True, "withdraw": True,
        "priority": status in lifecycle.OPEN, "note": access.may(actor.role, "case.note"),
        "reopen": access.may(actor.role, "case.reopen"),
        "request_extension": holds and status in ASKABLE and not extension_pending,
        "decide_extension": extension_pending and access.may(actor.role, "extension.decide"),
        "assign": may_assign(actor) and (actor.sees_subtree or unit_id == actor.unit_id),
    }
    role_may = {"claim": True, "note": True, "reopen": True, "decide_extension": True,
                "assign": True}
    return [action for action, ok in rules.items()
            if ok and (role_may.get(action) or access.may(actor.role, "case.work"))
            and (action not in STARTS_FROM or status in STARTS_FROM[action])]
