"""Joint handling: parts of one case done by several units at once.

The case stays with its owner, who sends each part as a hand-off of kind "joint"; each
receiving unit accepts (or returns) its part and records it done. The case can be resolved
only when no part is still waiting or in hand.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from db.models import Case, Handoff, Unit
from portal import access, cases, clock, lifecycle, units
from portal.access import Actor
from portal.errors import InvalidTransition
from portal.handoffs import handoff
from portal.lifecycle import HandoffState
from portal.units import name_column
from portal.uow import UnitOfWork

H = HandoffState
OPEN_PART = (Handoff.kind == "joint") & (
    (Handoff.state == H.PENDING) | ((Handoff.state == H.ACCEPTED) & Handoff.completed_at.is_(None)))


def send_part(uow: UnitOfWork, actor: Actor, case_id: int, to_unit_id: int, part: str,
              reason: str = "") -> int:
    """Ask `to_unit_id` to do `part` of the case; the case stays with its unit."""
    lifecycle.permit(actor, "send_part")
    part = handoff.reason_text(part, "part")
    reason = handoff.reason_text(reason, "reason", required=False)
    with uow:
        case = cases.locked(uow, actor, case_id, None, "send_part")
        target = handoff.target_unit(uow, case, to_unit_id)
        sent = handoff.new(uow, actor, case, target, "joint", reason, part=part)
        lifecycle.record(uow.session, case, "part_requested", actor_id=actor.id,
                         data={"handoff_id": sent.id, "to_unit_id": target.id, "part": part})
        uow.commit()
        return sent.id


def complete_part(uow: UnitOfWork, actor: Actor, handoff_id: int, result: str) -> None:
    """The receiving unit records its part done, with what came of it."""
    access.require(actor, "handoff.answer")
    result = handoff.reason_text(result, "result")
    with uow:
        part, case = handoff.locked(uow, handoff_id)
        units.require_scope(uow, actor, part.to_unit_id)
        if part.kind != "joint" or part.state != H.ACCEPTED or part.completed_at is not None:
            raise InvalidTransition("joint.error.not_in_hand")
        part.completed_at, part.completed_by, part.result = clock.now(), actor.id, result
        lifecycle.record(uow.session, case, "part_completed", actor_id=actor.id,
                         data={"handoff_id": part.id, "result": result})
        uow.commit()


def open_parts(uow: UnitOfWork, case_id: int) -> int:
    """How many parts of the case are still waiting or in hand."""
    return uow.session.scalar(select(func.count()).where(Handoff.case_id == case_id, OPEN_PART))


def require_parts_done(uow: UnitOfWork, case: Case) -> None:
    """Refuse to resolve a case while any of its parts is still waiting or in hand."""
    if count := open_parts(uow, case.id):
        raise InvalidTransition("joint.error.parts_open", count=count)


def parts(uow: UnitOfWork, case_id: int, lang: str) -> pd.DataFrame:
    """Every part of the case with its unit and progress, in the order sent."""
    with uow:
        rows = uow.session.execute(
            select(Handoff.id, Handoff.part, name_column(Unit, lang), Handoff.state,
                   Handoff.completed_at, Handoff.result, Handoff.return_reason)
            .join(Unit, Unit.id == Handoff.to_unit_id)
            .where(Handoff.case_id == case_id, Handoff.kind == "joint")
            .order_by(Handoff.id)).all()
    frame = pd.DataFrame(rows, columns=["id", "part", "to_unit", "state", "completed_at",
                                        "result", "return_reason"])
    frame["progress"] = [
        "done" if done is not None and not pd.isna(done) else state
        for state, done in zip(frame["state"], frame["completed_at"], strict=True)]
    return frame
