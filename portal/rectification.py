"""Rectifications of bad reviews: listed for the managers above the unit, closed by them."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from db.models import Case, Feedback, Rectification, ServiceType, Unit
from portal import access, clock, lifecycle, units
from portal.access import Actor
from portal.errors import InvalidInput, InvalidTransition
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

COLUMNS = ["id", "receipt_no", "service", "unit", "rating", "comment", "opened_at", "due_date"]


def open_items(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Open rectifications of the units the manager oversees, the soonest due first."""
    access.require(actor, "rectification.close")
    with uow:
        rows = uow.session.execute(
            select(Rectification.id, Case.receipt_no, name_column(ServiceType, lang),
                   name_column(Unit, lang), Feedback.rating, Feedback.comment,
                   clock.local_time(Rectification.opened_at), Rectification.due_date)
            .join(Case, Rectification.case_id == Case.id)
            .join(ServiceType, Case.service_type_id == ServiceType.id)
            .join(Unit, Rectification.unit_id == Unit.id)
            .join(Feedback, Rectification.feedback_id == Feedback.id)
            .where(Rectification.closed_at.is_(None), scope_clause(actor, Rectification.unit_id))
            .order_by(Rectification.due_date, Rectification.id)).all()
    return pd.DataFrame(rows, columns=COLUMNS)


def close(uow: UnitOfWork, actor: Actor, item_id: int, action_taken: str,
          called_back: bool) -> None:
    """Closed only with what was done and once the citizen was called back."""
    access.require(actor, "rectification.close")
    errors = {}
    if not action_taken.strip():
        errors["action_taken"] = "casework.error.text_required"
    if not called_back:
        errors["called_back"] = "rectification.error.call_back"
    if errors:
        raise InvalidInput(errors)
    with uow:
        item = units.locked(uow, Rectification, item_id)
        units.require_scope(uow, actor, item.unit_id)
        if item.closed_at is not None:
            raise InvalidTransition("error.rectification_closed")
        item.closed_at, item.closed_by = clock.now(), actor.id
        item.action_taken, item.called_back = action_taken.strip(), True
        case = uow.session.get(Case, item.case_id)
        lifecycle.record(uow.session, case, "rectification_closed", actor_id=actor.id,
                         data={"rectification_id": item.id})
        uow.commit()


