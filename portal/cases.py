"""Loading a case for a change: locked, in scope, and as the user last saw it."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Case, Unit
from portal import access
from portal.access import Actor
from portal.errors import NotFound, NotPermitted, StaleCase
from portal.uow import UnitOfWork


def locked(uow: UnitOfWork, actor: Actor, case_id: int, version: int | None,
           *, own_unit: bool = False) -> Case:
    """The case row, locked for this transaction; refuses cases out of scope or changed meanwhile.

    With `own_unit`, only a case of the actor's own unit will do (a manager above it may read
    it, but working it is for the unit that owns it).
    """
    case = uow.session.scalar(select(Case).where(Case.id == case_id).with_for_update())
    if case is None:
        raise NotFound(case=case_id)
    unit_path = uow.session.scalar(select(Unit.path).where(Unit.id == case.unit_id))
    access.require_scope(actor, case.unit_id, unit_path)
    if own_unit and case.unit_id != actor.unit_id:
        raise NotPermitted(action="own_unit")
    if version is not None and case.version != version:
        raise StaleCase(receipt_no=case.receipt_no)
    return case
