"""The case lifecycle: statuses, the moves allowed between them, and the one function that moves a case."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from db.models import Case, CaseEvent
from portal import clock
from portal.errors import InvalidTransition


class Status(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    WAITING_CITIZEN = "waiting_citizen"  # documents missing; the time-limit clock pauses
    HANDOFF_PENDING = "handoff_pending"  # the sender owns the case until the receiver answers
    RESOLVED = "resolved"
    CLOSED = "closed"  # feedback recorded
    REOPENED = "reopened"  # after a bad review or a complaint
    WITHDRAWN = "withdrawn"


S = Status
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.IN_PROGRESS, S.WAITING_CITIZEN, S.HANDOFF_PENDING, S.WITHDRAWN}),
    S.IN_PROGRESS: frozenset(
        {S.RECEIVED, S.WAITING_CITIZEN, S.HANDOFF_PENDING, S.RESOLVED, S.WITHDRAWN}
    ),
    S.WAITING_CITIZEN: frozenset({S.RECEIVED, S.IN_PROGRESS, S.WITHDRAWN}),
    # Accepted: received at the new unit; returned or withdrawn: back where it was.
    S.HANDOFF_PENDING: frozenset({S.RECEIVED, S.IN_PROGRESS, S.REOPENED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.IN_PROGRESS, S.WAITING_CITIZEN, S.HANDOFF_PENDING, S.RESOLVED}),
    S.WITHDRAWN: frozenset(),
}
OPEN = frozenset(s for s in Status if s not in (S.RESOLVED, S.CLOSED, S.WITHDRAWN))


def can_move(current: str, target: str) -> bool:
    return Status(target) in TRANSITIONS[Status(current)]


def move(
    session: Session,
    case: Case,
    target: Status,
    *,
    actor_id: int | None,
    kind: str,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Move `case` to `target` and append its event; refuses moves the lifecycle does not allow."""
    if not can_move(case.status, target):
        raise InvalidTransition(current=case.status, target=str(target))
    event = record(session, case, kind, actor_id=actor_id, data=data,
                   from_status=case.status, to_status=target)
    case.status = target
    if target == S.RESOLVED:
        case.resolved_at = event.at
    elif target in (S.CLOSED, S.WITHDRAWN):
        case.closed_at = event.at  # the case has ended, either way
    elif target == S.REOPENED:
        case.resolved_at = case.closed_at = None  # open again until it is resolved again
    return event


def record(
    session: Session,
    case: Case,
    kind: str,
    *,
    actor_id: int | None,
    data: dict[str, Any] | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
) -> CaseEvent:
    """Append an event to the case's timeline (with or without a change of status)."""
    event = CaseEvent(
        case_id=case.id,
        at=clock.now(),
        actor_id=actor_id,
        unit_id=case.unit_id,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )
    session.add(event)
    return event
