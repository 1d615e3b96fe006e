"""Loading a case for a change: locked, in scope, and as the user last saw it."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Case, CaseEvent, User
from portal import lifecycle, units
from portal.access import Actor
from portal.errors import StaleCase
from portal.uow import UnitOfWork


def locked(uow: UnitOfWork, actor: Actor, case_id: int, version: int | None,
           step: str | None = None) -> Case:
    """The case row, locked for this transaction; refuses cases out of scope or changed
    meanwhile, and, given a `step`, what the lifecycle's step table does not allow there."""
    case = uow.locked(Case, case_id)
    units.require_scope(uow, actor, case.unit_id)
    if version is not None and case.version != version:
        raise StaleCase(receipt_no=case.receipt_no, by=last_actor(uow, case.id))
    if step:
        lifecycle.check(actor, step, case)
    return case


def last_actor(uow: UnitOfWork, case_id: int) -> str:
    """Who last changed the case, to name them to a second person acting on it."""
    name = uow.session.scalar(
        select(User.display_name).join(CaseEvent, CaseEvent.actor_id == User.id)
        .where(CaseEvent.case_id == case_id).order_by(CaseEvent.id.desc()).limit(1))
    return name or "—"
