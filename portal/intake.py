"""Intake: accept a citizen's request at a unit and issue the receipt, in one transaction."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from db.models import CHANNELS, Case, Citizen, ServiceType, Unit
from portal import access, clock, lifecycle, workdays
from portal.access import Actor
from portal.errors import InvalidInput, NotFound
from portal.lifecycle import Status
from portal.uow import UnitOfWork

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
NAME_MAX = 60
NOTE_MAX = 2000


@dataclass(frozen=True)
class IntakeForm:
    service_code: str
    citizen_name: str
    phone: str
    note: str = ""
    channel: str = "walk_in"
    token: str | None = None  # drawn with the form; a resubmit finds the same case

    def cleaned(self) -> IntakeForm:
        return IntakeForm(
            service_code=self.service_code.strip(),
            citizen_name=" ".join(self.citizen_name.split()),
            phone=re.sub(r"[\s]", "", self.phone),
            note=self.note.strip(),
            channel=self.channel,
            token=self.token,
        )


@dataclass(frozen=True)
class Receipt:
    case_id: int
    receipt_no: str
    service_zh: str
    service_en: str
    due_date: dt.date
    unit_zh: str
    unit_en: str
    status: str


def validate(form: IntakeForm) -> dict[str, str]:
    """Field -> message key of everything wrong with the form (empty when valid)."""
    errors: dict[str, str] = {}
    if not form.service_code:
        errors["service"] = "intake.error.service_required"
    if not form.citizen_name:
        errors["citizen_name"] = "intake.error.name_required"
    elif len(form.citizen_name) > NAME_MAX:
        errors["citizen_name"] = "intake.error.name_too_long"
    if not form.phone:
        errors["phone"] = "intake.error.phone_required"
    elif not (MOBILE.fullmatch(form.phone) or LANDLINE.fullmatch(form.phone)):
        errors["phone"] = "intake.error.phone_invalid"
    if len(form.note) > NOTE_MAX:
        errors["note"] = "intake.error.note_too_long"
    if form.channel not in CHANNELS:
        errors["channel"] = "intake.error.channel_invalid"
    return errors


def take_in(uow: UnitOfWork, actor: Actor, form: IntakeForm) -> Receipt:
    """Write the case, its first event and its receipt number; a repeated token returns the first."""
    access.require(actor, "case.create")
    form = form.cleaned()
    if errors := validate(form):
        raise InvalidInput(errors)
    with uow:
        if form.token and (existing := _by_token(uow, form.token)):
            return existing
        try:
            case = _new_case(uow, actor, form)
            uow.commit()
        except IntegrityError:
            # The same form was submitted twice at once: the other submit won; show its case.
            uow.session.rollback()
            if form.token and (existing := _by_token(uow, form.token)):
                return existing
            raise
        return _receipt(uow, case.id)


def _new_case(uow: UnitOfWork, actor: Actor, form: IntakeForm) -> Case:
    session = uow.session
    service = session.scalar(
        select(ServiceType).where(ServiceType.code == form.service_code, ServiceType.active)
    )
    if service is None:
        raise InvalidInput({"service": "intake.error.service_required"})
    now = clock.now()
    due = workdays.add_working_days(now.date(), service.time_limit_days, workdays.load(session))
    seq = session.execute(text("SELECT nextval('receipt_seq')")).scalar_one()
    case = Case(
        receipt_no=f"LX-{now:%Y%m%d}-{seq:06d}",
        intake_token=form.token,
        service_type_id=service.id,
        citizen_id=_citizen(uow, form).id,
        intake_unit_id=actor.unit_id,
        unit_id=actor.unit_id,
        status=Status.RECEIVED,
        channel=form.channel,
        note=form.note,
        received_at=now,
        due_date=due,
    )
    session.add(case)
    session.flush()
    lifecycle.record(session, case, "created", actor_id=actor.id, to_status=case.status,
                     data={"receipt_no": case.receipt_no})
    return case


def _citizen(uow: UnitOfWork, form: IntakeForm) -> Citizen:
    """The citizen with this name and phone, registered now if new."""
    found = uow.session.scalar(
        select(Citizen).where(Citizen.phone == form.phone, Citizen.name == form.citizen_name)
    )
    if found:
        return found
    citizen = Citizen(name=form.citizen_name, phone=form.phone)
    uow.session.add(citizen)
    uow.session.flush()
    return citizen


def _by_token(uow: UnitOfWork, token: str) -> Receipt | None:
    case_id = uow.session.scalar(select(Case.id).where(Case.intake_token == token))
    return _receipt(uow, case_id) if case_id else None


def _receipt(uow: UnitOfWork, case_id: int) -> Receipt:
    row = uow.session.execute(
        select(Case.id, Case.receipt_no, ServiceType.name_zh, ServiceType.name_en,
               Case.due_date, Unit.name_zh, Unit.name_en, Case.status)
        .join(ServiceType, Case.service_type_id == ServiceType.id)
        .join(Unit, Case.intake_unit_id == Unit.id)
        .where(Case.id == case_id)
    ).one_or_none()
    if row is None:
        raise NotFound(case=case_id)
    return Receipt(*row)


def services(uow: UnitOfWork) -> list[tuple[str, str, str, int]]:
    """Active service types as (code, name_zh, name_en, time limit) for the intake form."""
    with uow:
        return [
            tuple(r)
            for r in uow.session.execute(
                select(ServiceType.code, ServiceType.name_zh, ServiceType.name_en,
                       ServiceType.time_limit_days)
                .where(ServiceType.active)
                .order_by(ServiceType.code)
            )
        ]
