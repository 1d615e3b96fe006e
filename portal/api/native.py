"""What Open311 lacks, for the province's platforms: a case's events since a cursor, the
citizen's rating pushed back from 好差评, and where a case's hand-offs stand."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from db.models import Case, CaseEvent, Handoff, Unit
from portal import ratings
from portal.api.keys import Client
from portal.api.open311 import visible
from portal.errors import InvalidInput
from portal.uow import UnitOfWork

EVENTS_MAX = 200
# Event kinds told to other systems: what happened, never who wrote what (notes stay inside).
TOLD = ("created", "claimed", "assigned", "auto_assigned", "released", "documents_requested",
        "documents_received", "handoff_requested", "handoff_accepted", "handoff_returned",
        "handoff_withdrawn", "resolved", "closed", "reopened", "withdrawn", "extension_approved",
        "rated", "priority_changed")


def events(uow: UnitOfWork, client: Client, receipt_no: str, after: int,
           limit: int = EVENTS_MAX) -> dict[str, Any]:
    """The case's events numbered after `after` (its `seq`), oldest first; `next` is the
    cursor to ask with next time."""
    if not 1 <= limit <= EVENTS_MAX or after < 0:
        raise InvalidInput({"limit": "api.error.cursor"})
    with uow:
        case = visible(uow, client, receipt_no)
        rows = uow.session.execute(
            select(CaseEvent.seq, CaseEvent.at, CaseEvent.kind, CaseEvent.from_status,
                   CaseEvent.to_status, Unit.code)
            .outerjoin(Unit, Unit.id == CaseEvent.unit_id)
            .where(CaseEvent.case_id == case.id, CaseEvent.seq > after)
            .order_by(CaseEvent.seq).limit(limit)).all()
        receipt, status = case.receipt_no, case.status
    told = [{"seq": seq, "at": at.isoformat(), "kind": kind, "from_status": from_status,
             "to_status": to_status, "unit_code": unit} for seq, at, kind, from_status,
            to_status, unit in rows if kind in TOLD]
    return {"service_request_id": receipt, "status": status, "events": told,
            "next": rows[-1].seq if rows else after}


def rate(uow: UnitOfWork, client: Client, receipt_no: str, rating: Any,
         comment: Any) -> dict[str, Any]:
    """The citizen's rating, given on the province's platform: counted like one given on
    our status page (once per case, a bad one opens a rectification)."""
    if not isinstance(comment, str) or isinstance(rating, bool) or not isinstance(rating, int):
        raise InvalidInput({"rating": "rating.error.level"})
    with uow:
        case = uow.locked(Case, visible(uow, client, receipt_no).id)
        rectification = ratings.by_citizen(uow.session, case, rating, comment)
        uow.commit()
    return {"service_request_id": receipt_no.strip().upper(), "rating": rating,
            "rectification": rectification is not None}


def handoffs(uow: UnitOfWork, client: Client, receipt_no: str) -> dict[str, Any]:
    """The case's hand-offs, oldest first: between which units, what kind, where they stand."""
    sender, receiver = aliased(Unit), aliased(Unit)
    with uow:
        case = visible(uow, client, receipt_no)
        rows = uow.session.execute(
            select(Handoff.id, Handoff.kind, Handoff.state, sender.code, receiver.code,
                   Handoff.requested_at, Handoff.answered_at, Handoff.return_category)
            .join(sender, sender.id == Handoff.from_unit_id)
            .join(receiver, receiver.id == Handoff.to_unit_id)
            .where(Handoff.case_id == case.id).order_by(Handoff.requested_at, Handoff.id))
        return {"service_request_id": case.receipt_no, "handoffs": [
            {"id": hid, "kind": kind, "state": state, "from_unit_code": a, "to_unit_code": b,
             "requested_at": requested.isoformat(),
             "answered_at": answered.isoformat() if answered else None,
             "return_category": category}
            for hid, kind, state, a, b, requested, answered, category in rows]}

