"""Loading a case for a change: locked, in scope, and as the user last saw it."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Case, CaseEvent, User
from portal import units
from portal.access import Actor
from portal.errors import NotPermitted, StaleCase
from portal.uow import UnitOfWork


def locked(uow: UnitOfWork, actor: Actor, case_id: int, version: int | None,
           *, own_unit: bool = False) -> Case:
    """The case row, locked for this transaction; refuses cases out of scope or changed meanwhile.

    With `own_unit`, only a case of the actor's own unit will do (a manager above it may read
    it, but working it is for the unit that owns it).
    """
    case = units.locked(uow, Case, case_id)
    units.require_scope(uow, actor, case.unit_id)
    if own_unit and case.unit_id != actor.unit_id:
        raise NotPermitted(action="own_unit")
    if version is not None and case.version != version:
        raise StaleCase(receipt_no=case.receipt_no, by=last_actor(uow, case.id))
    return case


def last_actor(uow: UnitOfWork, case_id: int) -> str:
    """Who last changed the case, to name them to a second person acting on it."""
    name = uow.session.scalar(
        select(User.display_name).join(CaseEvent, CaseEvent.actor_id == User.id)
        .where(CaseEvent.case_id == case_id).order_by(CaseEvent.id.desc()).limit(1))
    return name or "—"
