"""Rectifications of bad reviews: listed for the managers above the unit, closed by them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from db.models import Case, Feedback, Rectification, ServiceType, Unit
from portal import access, clock, lifecycle, ratings, units
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


@dataclass(frozen=True)
class CallBack:
    """The call to the citizen after the fix: when, what was said, the rating given then."""

    at: dt.datetime
    note: str
    new_rating: int | None


def close(uow: UnitOfWork, actor: Actor, item_id: int, action_taken: str,
          call: CallBack) -> None:
    """Closed only with what was done and the call-back the closing manager made."""
    access.require(actor, "rectification.close")
    errors = {}
    if not action_taken.strip():
        errors["action_taken"] = "casework.error.text_required"
    if not call.note.strip():
        errors["call_note"] = "casework.error.text_required"
    if call.new_rating not in ratings.RATINGS:
        errors["new_rating"] = "rating.error.level"
    if call.at > clock.now():
        errors["called_at"] = "rectification.error.call_ahead"
    if errors:
        raise InvalidInput(errors)
    with uow:
        item = uow.locked(Rectification, item_id)
        units.require_scope(uow, actor, item.unit_id)
        if item.closed_at is not None:
            raise InvalidTransition("error.rectification_closed")
        if call.at < item.opened_at.replace(second=0, microsecond=0):  # calls are to the minute
            raise InvalidInput({"called_at": "rectification.error.call_before"})
        item.closed_at, item.closed_by = clock.now(), actor.id
        item.action_taken = action_taken.strip()
        item.called_at, item.called_by = call.at, actor.id
        item.call_note, item.new_rating = call.note.strip(), call.new_rating
        case = uow.session.get(Case, item.case_id)
        lifecycle.record(uow.session, case, "rectification_closed", actor_id=actor.id,
                         data={"rectification_id": item.id, "new_rating": call.new_rating})
        uow.commit()
