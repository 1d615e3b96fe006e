"""Extensions of the time limit: the holder asks before the deadline, a manager decides.

The due date changes only on approval; the citizen sees the new date in the status lookup.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import aliased

from db.models import Case, Extension, ServiceType, Unit, User
from portal import access, cases, clock, lifecycle, units
from portal.access import Actor
from portal.clock import local_time
from portal.errors import InvalidInput, InvalidTransition
from portal.lifecycle import ExtensionState
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

REASON_MAX = 2000


def request(uow: UnitOfWork, actor: Actor, case_id: int, new_due: dt.date, reason: str) -> int:
    lifecycle.permit(actor, "request_extension")
    reason = reason.strip()
    errors = {}
    if not reason or len(reason) > REASON_MAX:
        errors["reason"] = "casework.error.text_required"
    with uow:
        case = cases.locked(uow, actor, case_id, None, "request_extension")
        if clock.today() > case.due_date:
            raise InvalidTransition("extension.error.too_late", due=case.due_date.isoformat())
        if new_due is None or new_due <= case.due_date:
            errors["new_due"] = "extension.error.new_due"
        if errors:
            raise InvalidInput(errors)
        if pending(uow, case.id) is not None:
            raise InvalidTransition("extension.error.pending")
        extension = Extension(case_id=case.id, requested_by=actor.id, requested_at=clock.now(),
                              reason=reason, new_due=new_due)
        uow.session.add(extension)
        uow.session.flush()
        lifecycle.record(uow.session, case, "extension_requested", actor_id=actor.id,
                         data={"extension_id": extension.id, "new_due": new_due.isoformat()})
        uow.commit()
        return extension.id


def pending(uow: UnitOfWork, case_id: int) -> Extension | None:
    return uow.session.scalar(select(Extension).where(
        Extension.case_id == case_id, Extension.state == ExtensionState.PENDING))


def decide(uow: UnitOfWork, actor: Actor, extension_id: int, approve: bool, note: str = "") -> None:
    """Approve (the due date moves) or refuse; either way the case's timeline tells."""
    lifecycle.permit(actor, "decide_extension")
    with uow:
        extension = uow.locked(Extension, extension_id)
        case = uow.locked(Case, extension.case_id)
        units.require_scope(uow, actor, case.unit_id)
        if extension.state != ExtensionState.PENDING:
            raise InvalidTransition("extension.error.decided")
        extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        extension.decided_by, extension.decided_at = actor.id, clock.now()
        extension.decision_note = note.strip()
        data = {"extension_id": extension.id, "due_from": case.due_date.isoformat()}
        if approve:
            case.due_date = extension.new_due
            data["due_to"] = extension.new_due.isoformat()
        lifecycle.record(uow.session, case, f"extension_{extension.state}", actor_id=actor.id,
                         data=data)
        uow.commit()


def pending_in_scope(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Extensions waiting for the actor's decision, for cases of units in scope, oldest first."""
    access.require(actor, "extension.decide")
    asker = aliased(User)
    query = (
        select(Extension.id, Case.receipt_no, name_column(ServiceType, lang).label("service"),
               name_column(Unit, lang).label("unit"), asker.display_name.label("requested_by"),
               local_time(Extension.requested_at).label("requested_at"), Case.due_date,
               Extension.new_due, Extension.reason)
        .join(Case, Case.id == Extension.case_id)
        .join(ServiceType, ServiceType.id == Case.service_type_id)
        .join(Unit, Unit.id == Case.unit_id)
        .join(asker, asker.id == Extension.requested_by)
        .where(Extension.state == ExtensionState.PENDING, scope_clause(actor, Case.unit_id))
        .order_by(Extension.requested_at))
    with uow:
        rows = uow.session.execute(query).all()
    return pd.DataFrame(rows, columns=["id", "receipt_no", "service", "unit", "requested_by",
                                       "requested_at", "due_date", "new_due", "reason"])
