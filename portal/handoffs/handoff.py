"""Hand-offs between units: the sender owns the case until the receiving unit answers.

A transfer asks another unit to take the whole case; a joint part (portal.handoffs.joint) asks it to
do one part while the case stays with its owner. Both are answered here: accepted, or
returned with a reason (`answer`); the sender may withdraw one still pending.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import RETURN_CATEGORIES, Case, Handoff, ServiceType, Unit
from portal import access, assignment, cases, clock, lifecycle, settings, units
from portal.access import Actor
from portal.errors import InvalidInput, InvalidTransition, NotPermitted
from portal.lifecycle import HandoffState, Status
from portal.uow import UnitOfWork

REASON_MAX = 500
TIER_ORDER = ("village", "township", "city")


def send(uow: UnitOfWork, actor: Actor, case_id: int, to_unit_id: int, reason: str,
         version: int | None = None, note: str = "") -> int:
    """Ask `to_unit_id` to take the case; returns the hand-off's id."""
    lifecycle.permit(actor, "hand_off")
    reason, note = reason_text(reason, "reason"), reason_text(note, "note", required=False)
    with uow:
        sent = _send(uow, actor, case_id, to_unit_id, reason, version, note)
        uow.commit()
        return sent


def _send(uow: UnitOfWork, actor: Actor, case_id: int, to_unit_id: int | None, reason: str,
          version: int | None, note: str = "") -> int:
    case = cases.locked(uow, actor, case_id, version, "hand_off")
    parent = _parent(uow, case)
    if to_unit_id is None:  # escalating: the unit above
        if parent is None:
            raise InvalidInput({"to_unit": "handoff.error.no_parent"})
        to_unit_id = parent
    target = target_unit(uow, case, to_unit_id)
    if case.first_responsible_unit_id == case.unit_id and target.id != parent:
        raise NotPermitted("handoff.error.first_responsible")
    handoff = new(uow, actor, case, target, "transfer", reason, note=note)
    lifecycle.move(uow.session, case, Status.HANDOFF_PENDING, actor_id=actor.id,
                   kind="handoff_requested",
                   data={"handoff_id": handoff.id, "to_unit_id": target.id, "reason": reason})
    mark_bounced(uow, case, actor)
    return handoff.id


def escalate(uow: UnitOfWork, actor: Actor, case_id: int, reason: str,
             version: int | None = None) -> int:
    """Hand the case to the unit above (the one move a first-responsible unit may make)."""
    lifecycle.permit(actor, "hand_off")
    reason = reason_text(reason, "reason")
    with uow:
        sent = _send(uow, actor, case_id, None, reason, version)
        uow.commit()
        return sent


def accept(uow: UnitOfWork, actor: Actor, handoff_id: int, *, claim: bool = False) -> None:
    """The receiving unit takes it on. A transfer moves the case there: received and
    unassigned (or assigned automatically), or, with `claim`, at once in the accepter's hands."""
    access.require(actor, "handoff.answer")
    with uow:
        handoff, case = locked(uow, handoff_id)
        answer(uow, actor, handoff, case, HandoffState.ACCEPTED,
               {"handoff_id": handoff.id, "unit_id": handoff.to_unit_id} if handoff.kind == "joint"
               else {"handoff_id": handoff.id, "from_unit_id": handoff.from_unit_id,
                     "claimed": claim}, claim=claim)
        if handoff.kind == "transfer" and not claim:
            assignment.auto_assign(uow.session, case)
        uow.commit()


def return_to_sender(uow: UnitOfWork, actor: Actor, handoff_id: int, category: str,
                     reason: str) -> None:
    """The receiving unit returns it with a reason; the sender sees the reason on the case."""
    access.require(actor, "handoff.answer")
    if category not in RETURN_CATEGORIES:
        raise InvalidInput({"category": "handoff.error.category"})
    reason = reason_text(reason, "reason")
    with uow:
        handoff, case = locked(uow, handoff_id)
        answer(uow, actor, handoff, case, HandoffState.RETURNED,
               {"handoff_id": handoff.id, "category": category, "reason": reason})
        handoff.return_category, handoff.return_reason = category, reason
        if handoff.kind == "transfer":
            mark_bounced(uow, case, actor)
        uow.commit()


def withdraw(uow: UnitOfWork, actor: Actor, handoff_id: int) -> None:
    """The sender takes back a hand-off nobody has answered yet."""
    access.require(actor, "handoff.send")
    with uow:
        handoff, case = locked(uow, handoff_id)
        answer(uow, actor, handoff, case, HandoffState.WITHDRAWN, {"handoff_id": handoff.id})
        uow.commit()


def answer(uow: UnitOfWork, actor: Actor, handoff: Handoff, case: Case, to: HandoffState,
           data: dict, *, claim: bool = False) -> None:
    """Answer a pending hand-off, locked with its case: the receiving unit (or a manager above
    it) accepts or returns it, the sending unit withdraws it. An accepted transfer moves the
    case to the receiver (in the accepter's hands with `claim`); a returned or withdrawn one
    puts it back as it was; a joint part's case only records the answer."""
    side = handoff.from_unit_id if to is HandoffState.WITHDRAWN else handoff.to_unit_id
    units.require_scope(uow, actor, side)
    if to not in lifecycle.HANDOFF_MOVES[HandoffState(handoff.state)]:
        raise InvalidTransition("error.handoff_answered", state=handoff.state)
    handoff.state = to
    handoff.answered_by, handoff.answered_at = actor.id, clock.now()
    if handoff.kind == "joint":
        lifecycle.record(uow.session, case, f"part_{to}", actor_id=actor.id, data=data)
        return
    target = Status(handoff.from_status)
    if to is HandoffState.ACCEPTED:
        case.unit_id, case.assignee_id = handoff.to_unit_id, actor.id if claim else None
        target = Status.IN_PROGRESS if claim else Status.RECEIVED
    lifecycle.move(uow.session, case, target, actor_id=actor.id, kind=f"handoff_{to}", data=data)


def new(uow: UnitOfWork, actor: Actor, case: Case, target: Unit, kind: str, reason: str,
        *, note: str = "", part: str = "") -> Handoff:
    """The hand-off row, with both sides' departments copied for the flow charts."""
    sender = uow.session.get(Unit, case.unit_id)
    handoff = Handoff(
        case_id=case.id, kind=kind, from_unit_id=case.unit_id, to_unit_id=target.id,
        from_department_id=sender.department_id, to_department_id=target.department_id,
        reason=reason, note=note, part=part, from_status=case.status, requested_by=actor.id,
        requested_at=clock.now())
    uow.session.add(handoff)
    uow.session.flush()
    return handoff


def mark_bounced(uow: UnitOfWork, case: Case, actor: Actor) -> None:
    """Mark the case bounced once it has been handed off or returned too often."""
    if case.bounced:
        return
    sent, returned = uow.session.execute(
        select(func.count(), func.count().filter(Handoff.state == HandoffState.RETURNED))
        .where(Handoff.case_id == case.id, Handoff.kind == "transfer")).one()
    rules = settings.current(uow.session)
    if sent >= rules.bounced_after_handoffs or returned >= rules.bounced_after_returns:
        case.bounced = True
        lifecycle.record(uow.session, case, "bounced", actor_id=actor.id,
                         data={"handoffs": sent, "returns": returned})


def suggest(uow: UnitOfWork, case_id: int) -> int | None:
    """Where the case's service is done: a unit of its department at the lowest tier able to
    complete it, in the case's own town when that tier is the township; None if none is."""
    with uow:
        return suggested(uow.session, case_id)


def suggested(session: Session, case_id: int) -> int | None:
    """`suggest` within the caller's transaction."""
    unit_id, path, department, min_tier = session.execute(
        select(Case.unit_id, Unit.path, ServiceType.department_id, ServiceType.min_tier)
        .join(Unit, Unit.id == Case.unit_id)
        .join(ServiceType, ServiceType.id == Case.service_type_id)
        .where(Case.id == case_id)).one()
    if department is None:
        return None
    candidates = session.execute(
        select(Unit.id, Unit.tier, Unit.path).where(
            Unit.active, Unit.department_id == department, Unit.id != unit_id)).all()
    town = "/".join(path.split("/")[:3])  # "/city/<town>"
    for tier in TIER_ORDER[TIER_ORDER.index(min_tier):]:
        at_tier = [c for c in candidates if c.tier == tier]
        mine = [c for c in at_tier if tier != "township" or c.path.startswith(town + "/")]
        if mine:
            return mine[0].id
    return None


def locked(uow: UnitOfWork, handoff_id: int) -> tuple[Handoff, Case]:
    """The hand-off and its case, both locked, always in this order: so an answer and a
    withdrawal (or a decision) at the same moment wait for each other instead of deadlocking.
    The case may still belong to the sender, so it is loaded without the actor's scope."""
    handoff = uow.locked(Handoff, handoff_id)
    return handoff, uow.locked(Case, handoff.case_id)


def target_unit(uow: UnitOfWork, case: Case, to_unit_id: int) -> Unit:
    """The active unit a case may be sent to (not its own)."""
    if case.unit_id == to_unit_id:
        raise InvalidInput({"to_unit": "handoff.error.same_unit"})
    target = uow.session.get(Unit, to_unit_id) if to_unit_id else None
    if target is None or not target.active:
        raise InvalidInput({"to_unit": "handoff.error.unknown_unit"})
    return target


def _parent(uow: UnitOfWork, case: Case) -> int | None:
    return uow.session.scalar(select(Unit.parent_id).where(Unit.id == case.unit_id))


def reason_text(value: str, field: str, *, required: bool = True) -> str:
    """A reason, note or part description, trimmed; refused when missing or too long."""
    value = value.strip()
    if required and not value:
        raise InvalidInput({field: "handoff.error.reason_required"})
    if len(value) > REASON_MAX:
        raise InvalidInput({field: "handoff.error.reason_too_long"})
    return value


def complete_transfer(uow: UnitOfWork, case: Case) -> None:
    """The receiver resolved the case: the transfer that brought it there is complete."""
    uow.session.execute(
        update(Handoff).where(Handoff.case_id == case.id, Handoff.kind == "transfer",
                              Handoff.state == HandoffState.ACCEPTED, Handoff.to_unit_id == case.unit_id,
                              Handoff.completed_at.is_(None))
        .values(completed_at=clock.now()))
