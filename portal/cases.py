"""Loading a case for a change: locked, in scope, and as the user last saw it."""

from __future__ import annotations

from db.models import Case
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
        raise StaleCase(receipt_no=case.receipt_no)
    return case
