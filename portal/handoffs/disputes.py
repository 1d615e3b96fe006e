"""When units disagree: a disputed return, or a case bounced between them.

The sender may refer a return it disagrees with to the manager of the nearest unit above
both sides; that manager decides which side takes the case, and the decision cannot be
returned. A manager above every unit a bounced case has passed through may likewise name a
first-responsible unit. Either way the chosen unit holds the case and may hand it on only
upwards (portal.handoffs.handoff.send enforces that).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case, Handoff, Unit
from portal import access, clock, lifecycle, units
from portal.access import Actor
from portal.errors import InvalidInput, InvalidTransition
from portal.handoffs import handoff
from portal.lifecycle import HandoffState, Status
from portal.uow import UnitOfWork


def refer(uow: UnitOfWork, actor: Actor, handoff_id: int, reason: str) -> int:
    """The sender disputes a return; returns the unit whose manager will decide."""
    access.require(actor, "handoff.send")
    reason = handoff.reason_text(reason, "reason")
    with uow:
        returned, case = handoff.locked(uow, handoff_id)
        units.require_scope(uow, actor, returned.from_unit_id)
        if returned.kind != "transfer" or returned.state != HandoffState.RETURNED:
            raise InvalidTransition("dispute.error.not_returned")
        if returned.disputed_at is not None:
            raise InvalidTransition("dispute.error.already")
        if case.unit_id != returned.from_unit_id or case.status == Status.HANDOFF_PENDING:
            raise InvalidTransition("dispute.error.moved_on")
        returned.dispute_unit_id = above_both(uow.session, returned.from_unit_id,
                                              returned.to_unit_id)
        returned.disputed_at, returned.disputed_by = clock.now(), actor.id
        returned.dispute_reason = reason
        lifecycle.record(uow.session, case, "dispute_referred", actor_id=actor.id,
                         data={"handoff_id": returned.id, "to_unit_id": returned.dispute_unit_id,
                               "reason": reason})
        uow.commit()
        return returned.dispute_unit_id


def decide(uow: UnitOfWork, actor: Actor, handoff_id: int, unit_id: int) -> None:
    """The manager referred to decides which side takes the case."""
    access.require(actor, "handoff.decide")
    with uow:
        disputed, case = handoff.locked(uow, handoff_id)
        if disputed.dispute_unit_id is None:
            raise InvalidTransition("dispute.error.not_returned")
        units.require_scope(uow, actor, disputed.dispute_unit_id)
        if disputed.decided_at is not None:
            raise InvalidTransition("dispute.error.decided")
        if unit_id not in (disputed.from_unit_id, disputed.to_unit_id):
            raise InvalidInput({"unit": "dispute.error.side"})
        disputed.decided_at, disputed.decided_by = clock.now(), actor.id
        disputed.decided_unit_id = unit_id
        make_responsible(uow, actor, case, unit_id, {"handoff_id": disputed.id})
        uow.commit()


def name_responsible(uow: UnitOfWork, actor: Actor, case_id: int, unit_id: int) -> None:
    """A manager above every unit a bounced case passed through names the one to keep it."""
    lifecycle.permit(actor, "name_responsible")
    with uow:
        case = uow.locked(Case, case_id)
        # Scope first: someone outside it learns nothing of the case, not even its state.
        units.require_scope(uow, actor, case.unit_id)
        if not case.bounced:
            raise InvalidTransition("dispute.error.not_bounced")
        if uow.session.get(Unit, unit_id) is None:
            raise InvalidInput({"unit": "handoff.error.unknown_unit"})
        sides = set(uow.session.scalars(select(Handoff.from_unit_id).where(
            Handoff.case_id == case.id, Handoff.kind == "transfer")))
        sides |= set(uow.session.scalars(select(Handoff.to_unit_id).where(
            Handoff.case_id == case.id, Handoff.kind == "transfer")))
        for unit in sides | {case.unit_id, unit_id}:
            units.require_scope(uow, actor, unit)
        make_responsible(uow, actor, case, unit_id, {})
        uow.commit()


def make_responsible(uow: UnitOfWork, actor: Actor, case: Case, unit_id: int,
                     data: dict) -> None:
    """Give the case to `unit_id` for good: there it is received unless it already holds it."""
    lifecycle.check(actor, "name_responsible", case)
    target = uow.session.get(Unit, unit_id)
    if target is None or not target.active:
        raise InvalidInput({"unit": "handoff.error.unknown_unit"})
    case.first_responsible_unit_id = unit_id
    data = {**data, "unit_id": unit_id, "from_unit_id": case.unit_id}
    if case.unit_id == unit_id:
        lifecycle.record(uow.session, case, "responsible_named", actor_id=actor.id, data=data)
        return
    case.unit_id, case.assignee_id = unit_id, None
    if case.status == Status.IN_PROGRESS:
        lifecycle.move(uow.session, case, Status.RECEIVED, actor_id=actor.id,
                       kind="responsible_named", data=data)
    else:
        lifecycle.record(uow.session, case, "responsible_named", actor_id=actor.id, data=data)


def above_both(session: Session, one: int, other: int) -> int:
    """The nearest unit with a manager that is at or above the lowest unit over both."""
    paths = dict(session.execute(select(Unit.id, Unit.path).where(
        Unit.id.in_([one, other]))).all())
    first, second = paths[one].strip("/").split("/"), paths[other].strip("/").split("/")
    shared = []
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        shared.append(a)
    common = session.scalar(select(Unit.id).where(Unit.path == "/" + "/".join(shared) + "/"))
    return units.oversight(session)[common][0]
