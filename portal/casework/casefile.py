"""The case file: everything about one case a member of staff in scope may read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from db.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    Citizen,
    ServiceType,
    Unit,
    User,
)
from portal import access, cases, forms, identity, lifecycle
from portal.access import Actor
from portal.casework import extensions
from portal.clock import local_time
from portal.errors import NotFound
from portal.handoffs import joint
from portal.units import case_in_scope
from portal.uow import UnitOfWork


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str
    actor: str | None
    unit_zh: str | None
    unit_en: str | None
    to_status: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class CaseFile:
    id: int
    receipt_no: str
    status: str
    version: int
    unit_id: int
    assignee_id: int | None
    priority: str
    outcome: str | None
    result: str
    service_zh: str
    service_en: str
    unit_zh: str
    unit_en: str
    citizen_name: str
    citizen_id_masked: str
    contact_phone: str
    channel: str
    note: str
    received_at: dt.datetime
    due_date: dt.date
    documents: list[dict[str, Any]]
    fields: list[forms.FieldSpec]
    answers: dict[str, Any]
    on_behalf: bool
    poa_signed: bool | None
    poa_date: dt.date | None
    materials: list[tuple[str, int, int | None]]
    events: list[Event]
    # The extension waiting for a manager: (id, new due date, reason), if any.
    pending_extension: tuple[int, dt.date, str] | None
    open_parts: int  # joint parts still waiting or in hand: the case cannot be resolved yet
    contact_email: str | None = None  # where the citizen's messages go besides the phone

    @property
    def state(self) -> lifecycle.CaseState:
        return lifecycle.CaseState(self.status, self.assignee_id, self.unit_id,
                                   self.pending_extension is not None, self.open_parts)


def open_case(uow: UnitOfWork, actor: Actor, receipt_no: str) -> CaseFile:
    """The case with this receipt number, if the actor's scope covers its unit or its intake unit."""
    access.require(actor, "case.view")
    current = aliased(Unit)
    with uow:
        row = uow.session.execute(
            select(Case, ServiceType, Citizen, current.name_zh, current.name_en,
                   local_time(Case.received_at))
            .join(ServiceType, Case.service_type_id == ServiceType.id)
            .join(Citizen, Case.citizen_id == Citizen.id)
            .join(current, Case.unit_id == current.id)
            .where(Case.receipt_no == receipt_no.strip().upper(),
                   case_in_scope(actor))
        ).first()
        if row is None:
            raise NotFound(receipt_no=receipt_no)
        case, service, citizen, unit_zh, unit_en, received_at = row
        return CaseFile(
            case.id, case.receipt_no, case.status, case.version, case.unit_id, case.assignee_id,
            case.priority, case.outcome, case.result, service.name_zh,
            service.name_en, unit_zh, unit_en, citizen.name,
            identity.mask_id(citizen.id_number) if citizen.id_number else "",
            case.contact_phone, case.channel, case.note, received_at, case.due_date,
            list(case.documents), forms.parse(service.form_fields), dict(case.answers),
            case.on_behalf, case.poa_signed, case.poa_date, _materials(uow, case.id),
            _events(uow, case.id), _pending_extension(uow, case.id),
            joint.open_parts(uow, case.id), case.contact_email)


def _pending_extension(uow: UnitOfWork, case_id: int) -> tuple[int, dt.date, str] | None:
    waiting = extensions.pending(uow, case_id)
    return (waiting.id, waiting.new_due, waiting.reason) if waiting else None


def _materials(uow: UnitOfWork, case_id: int) -> list[tuple[str, int, int | None]]:
    rows = uow.session.execute(
        select(CaseMaterial.name, CaseMaterial.copies, CaseMaterial.returned_copies)
        .where(CaseMaterial.case_id == case_id).order_by(CaseMaterial.id))
    return [tuple(r) for r in rows]


def _events(uow: UnitOfWork, case_id: int) -> list[Event]:
    rows = uow.session.execute(
        select(local_time(CaseEvent.at), CaseEvent.kind, User.display_name, Unit.name_zh,
               Unit.name_en, CaseEvent.to_status, CaseEvent.data)
        .outerjoin(User, CaseEvent.actor_id == User.id)
        .outerjoin(Unit, CaseEvent.unit_id == Unit.id)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.at, CaseEvent.id))
    return [Event(*r) for r in rows]


def full_id_number(uow: UnitOfWork, actor: Actor, case_id: int) -> str:
    """The citizen's whole ID number, for roles allowed to see it; the look is recorded."""
    access.require(actor, "citizen.full_id")
    with uow:
        case = cases.locked(uow, actor, case_id, None)
        number = uow.session.scalar(select(Citizen.id_number).where(
            Citizen.id == case.citizen_id))
        lifecycle.record(uow.session, case, "id_viewed", actor_id=actor.id)
        uow.commit()
        return number or ""
