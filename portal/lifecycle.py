"""What may happen to a case: its statuses, the moves between them, the steps people take
(from which states, to which, with what permission and by whom), and hand-off states.

Every service asks `check` before it acts, and the case file shows what `offered` derives
from the same table, so a page never offers what a service would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from db.models import Case, CaseEvent
from portal import access, clock, outbox, settings
from portal.access import Actor
from portal.errors import InvalidTransition, NotPermitted


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
ENDED = frozenset({S.RESOLVED, S.CLOSED, S.WITHDRAWN})  # what a paper ledger may record
RESULT_KNOWN = frozenset({S.RESOLVED, S.CLOSED})  # the citizen sees the outcome and may rate it
OPEN = frozenset(Status) - ENDED
# Open and with the time-limit clock running: what can fall overdue and what supervision watches.
RUNNING = OPEN - {S.WAITING_CITIZEN}
ANY = frozenset(Status)


def listed(states: frozenset[Status]) -> tuple[str, ...]:
    """The states in the lifecycle's order: for lists people read (a set has no order)."""
    return tuple(str(s) for s in Status if s in states)


class Who(StrEnum):
    """Who of those allowed the permission may take a step on a particular case."""

    SCOPE = "scope"  # anyone whose units include the case's
    HOLDER = "holder"  # its assignee, or a manager over its unit
    UNIT = "unit"  # staff of the unit that owns it (a manager above may read, not act)


@dataclass(frozen=True)
class CaseState:
    """What the step table needs to know of a case."""

    status: str
    assignee_id: int | None
    unit_id: int
    extension_pending: bool = False
    open_parts: int = 0
    bounced: bool = False


@dataclass(frozen=True)
class Step:
    starts_from: frozenset[Status]
    # The states it may lead to, from some start (empty: the status stays, an event is recorded).
    leads_to: frozenset[Status]
    permission: str  # an action of access.ACTIONS
    who: Who
    # A further condition on the case, named for the error a service raises when it fails.
    guard: str = ""


UNWORKED = frozenset({S.RECEIVED, S.REOPENED})  # in the unit's queue, nobody working it
WORKED = frozenset({S.IN_PROGRESS, S.REOPENED})
SENDABLE = frozenset({S.RECEIVED, S.IN_PROGRESS, S.REOPENED})
STEPS: dict[str, Step] = {  # in the order the case file offers them
    "claim": Step(UNWORKED, frozenset({S.IN_PROGRESS}),
                  "case.claim", Who.UNIT, "unclaimed"),
    "release": Step(frozenset({S.IN_PROGRESS}), frozenset({S.RECEIVED}), "case.work", Who.HOLDER),
    "request_documents": Step(WORKED, frozenset({S.WAITING_CITIZEN}), "case.work", Who.HOLDER),
    "resolve": Step(WORKED, frozenset({S.RESOLVED}), "case.work", Who.HOLDER, "parts_done"),
    "deliver": Step(frozenset({S.RESOLVED}), frozenset({S.CLOSED}), "case.work", Who.HOLDER),
    "documents_received": Step(frozenset({S.WAITING_CITIZEN}),
                               frozenset({S.RECEIVED, S.IN_PROGRESS}), "case.work", Who.SCOPE),
    "withdraw": Step(frozenset({S.RECEIVED, S.IN_PROGRESS, S.WAITING_CITIZEN}),
                     frozenset({S.WITHDRAWN}), "case.work", Who.SCOPE),
    "priority": Step(OPEN, frozenset(), "case.work", Who.SCOPE),
    "note": Step(ANY, frozenset(), "case.note", Who.SCOPE),
    "reopen": Step(frozenset({S.RESOLVED, S.CLOSED}), frozenset({S.REOPENED}),
                   "case.reopen", Who.SCOPE),
    "request_extension": Step(WORKED | {S.WAITING_CITIZEN}, frozenset(), "case.work",
                              Who.HOLDER, "no_extension_pending"),
    "decide_extension": Step(ANY, frozenset(), "extension.decide", Who.SCOPE,
                             "extension_pending"),
    # An unworked case starts being worked; one being worked only changes hands.
    "assign": Step(UNWORKED | {S.IN_PROGRESS, S.WAITING_CITIZEN},
                   frozenset({S.IN_PROGRESS}), "case.assign", Who.SCOPE, "may_assign"),
    "hand_off": Step(SENDABLE, frozenset({S.HANDOFF_PENDING}), "handoff.send", Who.UNIT),
    "send_part": Step(WORKED, frozenset(), "handoff.send", Who.UNIT),
    # The named unit receives it anew if it was being worked elsewhere.
    "name_responsible": Step(OPEN - {S.HANDOFF_PENDING}, frozenset({S.RECEIVED}),
                             "handoff.decide", Who.SCOPE, "bounced"),
}
# Steps with their own panel on the case file rather than the actions list.
HANDOFF_STEPS = ("hand_off", "send_part", "name_responsible")

# Conditions beyond state, on the case as the case file read it (services check each again
# under the row lock, with the error it deserves).
GUARDS: dict[str, Callable[[Actor, CaseState], bool]] = {
    "unclaimed": lambda actor, case: case.assignee_id is None,
    "parts_done": lambda actor, case: not case.open_parts,
    "no_extension_pending": lambda actor, case: not case.extension_pending,
    "extension_pending": lambda actor, case: case.extension_pending,
    "may_assign": lambda actor, case: may_assign(actor),
    "bounced": lambda actor, case: case.bounced,
}


def may_assign(actor: Actor, session: Session | None = None) -> bool:
    """Managers always may give a case to a colleague; agents when the setting allows."""
    return access.may(actor.role, "case.assign") and (
        actor.sees_subtree or settings.current(session).agents_may_assign)


def can_move(current: str, target: str) -> bool:
    return Status(target) in TRANSITIONS[Status(current)]


def permit(actor: Actor, action: str) -> None:
    """Refuse at once someone whose role may never take this step (before any input is read)."""
    access.require(actor, STEPS[action].permission)


def check(actor: Actor, action: str, case: Case) -> None:
    """Refuse the step unless the table allows it on this case: the actor's place, then the
    state, then whether they hold it. Services call this on the locked row."""
    step = STEPS[action]
    if step.who is Who.UNIT and not _who(actor, step.who, case):
        raise NotPermitted(action="own_unit")
    if case.status not in step.starts_from:
        raise InvalidTransition(current=case.status, target=action)
    if step.who is Who.HOLDER and not _who(actor, step.who, case):
        raise NotPermitted(action=step.permission)


def allows(actor: Actor, action: str, case: CaseState) -> bool:
    """Whether the table lets this actor take this step on this case now, guard included."""
    step = STEPS[action]
    return (case.status in step.starts_from and access.may(actor.role, step.permission)
            and _who(actor, step.who, case)
            and (not step.guard or GUARDS[step.guard](actor, case)))


def offered(actor: Actor, case: CaseState) -> list[str]:
    """The case-file actions to offer this actor on this case: nothing else is shown, and
    nothing that would be refused."""
    return [action for action in STEPS
            if action not in HANDOFF_STEPS and allows(actor, action, case)]


def _who(actor: Actor, who: Who, case: Case | CaseState) -> bool:
    if who is Who.HOLDER:
        return case.assignee_id == actor.id or actor.sees_subtree
    if who is Who.UNIT:
        return case.unit_id == actor.unit_id
    return True  # scope is checked where the case is loaded (portal.cases)


class HandoffState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


H = HandoffState
# Only a pending hand-off is answered: accepted or returned by the receiver, withdrawn by the
# sender. What happens after (a joint part done, a return disputed) is recorded beside the state.
HANDOFF_MOVES: dict[HandoffState, frozenset[HandoffState]] = {
    H.PENDING: frozenset({H.ACCEPTED, H.RETURNED, H.WITHDRAWN}),
    H.ACCEPTED: frozenset(),
    H.RETURNED: frozenset(),
    H.WITHDRAWN: frozenset(),
}


class ExtensionState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


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
    outbox.on_event(session, case, event)  # the messages it sends, in the same transaction
    return event
