"""Intake: accept a citizen's request at a unit and issue the receipt, in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from db.models import CHANNELS, Case, CaseEvent, CaseMaterial, Citizen, Department, ServiceType, Unit, User
from portal import access, assignment, attachments, clock, forms, identity, lifecycle, mailbox, workdays
from portal.access import Actor
from portal.errors import InvalidInput, NotFound
from portal.intake import citizens
from portal.intake.citizens import CitizenInput
from portal.lifecycle import Status
from portal.storable import storable
from portal.uow import UnitOfWork

NOTE_MAX = 2000
MATERIAL_NAME_MAX = 80
COPIES_MAX = 99


@dataclass(frozen=True)
class IntakeForm:
    service_code: str
    citizen: CitizenInput
    note: str = ""
    channel: str = "walk_in"
    brought: tuple[bool, ...] = ()  # one per document of the service's one-time notice
    answers: dict[str, Any] = field(default_factory=dict)
    on_behalf: bool = False
    poa_signed: bool | None = None
    poa_date: dt.date | None = None
    materials: tuple[tuple[str, int], ...] = ()  # (name, copies) received from the citizen
    token: str | None = None  # drawn with the form; a resubmit finds the same case
    handle: bool = False  # the agent taking it in works it too (the intake page's default)
    contact_email: str = ""  # messages to the citizen go here too
    via: str = ""  # the system that passed the request on (an API client), if any
    attachments: tuple[attachments.Upload, ...] = ()  # scans brought, the signed power of attorney


@dataclass(frozen=True)
class Receipt:
    case_id: int
    receipt_no: str
    service_zh: str
    service_en: str
    due_date: dt.date
    unit_zh: str
    unit_en: str
    agent: str
    status: str
    documents: list[dict[str, Any]]
    lookup_code: str  # opens the public status lookup; printed on the receipt
    received_at: dt.datetime  # local time
    citizen: str  # the citizen's name, masked: the receipt may be lost


@dataclass(frozen=True)
class ServiceInfo:
    """What the intake page shows about a service before the citizen's request is taken."""

    code: str
    name_zh: str
    name_en: str
    department_zh: str | None
    department_en: str | None
    time_limit_days: int
    due_if_today: dt.date
    documents: list[dict[str, Any]]
    fields: list[forms.FieldSpec]


def services(uow: UnitOfWork) -> list[tuple[str, str, str, int]]:
    """Active service types as (code, name_zh, name_en, time limit) for the picker."""
    with uow:
        rows = uow.session.execute(
            select(ServiceType.code, ServiceType.name_zh, ServiceType.name_en,
                   ServiceType.time_limit_days)
            .where(ServiceType.active).order_by(ServiceType.code))
        return [tuple(r) for r in rows]


def categories(uow: UnitOfWork) -> list[str]:
    """The categories of the active service types."""
    with uow:
        return list(uow.session.scalars(select(ServiceType.category).where(ServiceType.active)
                                        .distinct().order_by(ServiceType.category)))


def service_info(uow: UnitOfWork, code: str) -> ServiceInfo:
    """The service's department, time limit, promised date if taken in today, notice and fields."""
    with uow:
        row = uow.session.execute(
            select(ServiceType, Department.name_zh, Department.name_en)
            .outerjoin(Department, ServiceType.department_id == Department.id)
            .where(ServiceType.code == code, ServiceType.active)).first()
        if row is None:
            raise NotFound(service=code)
        service, dept_zh, dept_en = row
        due = workdays.add_working_days(clock.today(), service.time_limit_days,
                                        workdays.load(uow.session))
        return ServiceInfo(service.code, service.name_zh, service.name_en, dept_zh, dept_en,
                           service.time_limit_days, due, list(service.documents),
                           forms.parse(service.form_fields))


def take_in(uow: UnitOfWork, actor: Actor, form: IntakeForm) -> Receipt:
    """Write the case, its first event and its receipt number; a repeated token returns the first.

    Every invalid field is reported at once (InvalidInput) and nothing is written.
    """
    access.require(actor, "case.create")
    with uow:
        if form.token and (existing := _by_token(uow, form.token)):
            return existing
        try:
            receipt = _receipt(uow, _new_case(uow, actor, form).id)
            uow.commit()
        except IntegrityError:
            # The same form was submitted twice at once: the other submit won; show its case.
            uow.session.rollback()
            if form.token and (existing := _by_token(uow, form.token)):
                return existing
            raise
        return receipt


def _new_case(uow: UnitOfWork, actor: Actor, form: IntakeForm) -> Case:
    session = uow.session
    if errors := _kind_errors(form):
        raise InvalidInput(errors)
    service = session.scalar(select(ServiceType).where(
        ServiceType.code == form.service_code.strip(), ServiceType.active))
    given = form.citizen.cleaned()
    errors = {**given.errors(), **_form_errors(form)}
    answers: dict[str, Any] = {}
    if service is None:
        errors["service"] = "intake.error.service_required"
    else:
        answers, field_errors = forms.clean(forms.parse(service.form_fields), form.answers)
        errors.update(field_errors)
    if errors:
        raise InvalidInput(errors)
    citizen = citizens.resolve(uow, given)
    documents = [{**doc, "brought": bool(form.brought[i]) if i < len(form.brought) else False}
                 for i, doc in enumerate(service.documents)]
    missing = any(d["required"] and not d["brought"] for d in documents)
    now = clock.now()
    seq = session.execute(text("SELECT nextval('receipt_seq')")).scalar_one()
    case = Case(
        receipt_no=f"LX-{now:%Y%m%d}-{seq:06d}",
        intake_token=form.token,
        service_type_id=service.id,
        citizen_id=citizen.id,
        contact_phone=given.phone or citizen.phone,
        contact_email=form.contact_email.strip() or None,
        intake_unit_id=actor.unit_id,
        unit_id=actor.unit_id,
        status=Status.WAITING_CITIZEN if missing else Status.RECEIVED,
        channel=form.channel,
        note=form.note.strip(),
        answers=answers,
        documents=documents,
        on_behalf=form.on_behalf,
        poa_signed=form.poa_signed if form.on_behalf else None,
        poa_date=form.poa_date if form.on_behalf and form.poa_signed else None,
        received_at=now,
        due_date=workdays.add_working_days(now.date(), service.time_limit_days,
                                           workdays.load(session)),
    )
    session.add(case)
    session.flush()
    session.add_all(CaseMaterial(case_id=case.id, name=name.strip(), copies=copies, received_at=now)
                    for name, copies in form.materials if form.on_behalf)
    lifecycle.record(session, case, "created", actor_id=actor.id, to_status=case.status,
                     data={"receipt_no": case.receipt_no, "documents_missing": missing,
                           **({"via": form.via} if form.via else {})})
    for upload in form.attachments:
        attachments.store(session, actor, case, upload)
    if form.handle and access.may(actor.role, "case.claim"):
        _handled_by(session, case, actor)
    else:
        assignment.auto_assign(session, case)
    return case


def _handled_by(session, case: Case, actor: Actor) -> None:
    """The agent at the window works the case they took in: in progress with them (or, while
    documents are missing, waiting for the citizen with them)."""
    case.assignee_id = actor.id
    if case.status == Status.RECEIVED:
        lifecycle.move(session, case, Status.IN_PROGRESS, actor_id=actor.id, kind="claimed")
    else:
        lifecycle.record(session, case, "assigned", actor_id=actor.id,
                         data={"from": None, "to": actor.id})


def _kind_errors(form: IntakeForm) -> dict[str, str]:
    """Fields given as the wrong kind of value, or with characters that cannot be stored."""
    texts = {"service": form.service_code, "citizen_name": form.citizen.name,
             "id_number": form.citizen.id_number, "phone": form.citizen.phone,
             "note": form.note, "channel": form.channel, "email": form.contact_email,
             "via": form.via}
    errors = {field: "form.error.kind" if not isinstance(value, str) else "form.error.characters"
              for field, value in texts.items() if not storable(value)}
    if not (isinstance(form.materials, tuple | list) and all(
            isinstance(m, tuple | list) and len(m) == 2 and storable(m[0])
            and isinstance(m[1], int) and not isinstance(m[1], bool) for m in form.materials)):
        errors["materials"] = "intake.error.materials"
    if form.citizen.citizen_id is not None and not isinstance(form.citizen.citizen_id, int):
        errors["citizen"] = "form.error.kind"
    if form.poa_date is not None and not isinstance(form.poa_date, dt.date):
        errors["poa"] = "intake.error.poa_date"
    if not isinstance(form.handle, bool):
        errors["handle"] = "form.error.kind"
    if not isinstance(form.brought, tuple | list) or not isinstance(form.answers, dict):
        errors["documents"] = "form.error.kind"
    if form.token is not None and not (storable(form.token) and len(form.token) <= 40):
        errors["token"] = "form.error.kind"
    return errors


def _form_errors(form: IntakeForm) -> dict[str, str]:
    errors = {}
    if len(form.note.strip()) > NOTE_MAX:
        errors["note"] = "intake.error.note_too_long"
    if form.channel not in CHANNELS:
        errors["channel"] = "intake.error.channel_invalid"
    email = form.contact_email.strip()
    if email and not mailbox.is_one(email):
        errors["email"] = "intake.error.email"
    if form.attachments and not form.on_behalf and any(
            u.kind == "power_of_attorney" for u in form.attachments):
        errors["attachments"] = "attachment.error.poa_only_on_behalf"
    if form.on_behalf:
        if form.poa_signed is None:
            errors["poa"] = "intake.error.poa_required"
        elif form.poa_signed and (form.poa_date is None or form.poa_date > clock.today()):
            errors["poa"] = "intake.error.poa_date"
        if any(not name.strip() or len(name.strip()) > MATERIAL_NAME_MAX
               or not 0 < copies <= COPIES_MAX for name, copies in form.materials):
            errors["materials"] = "intake.error.materials"
    return errors


def _by_token(uow: UnitOfWork, token: str) -> Receipt | None:
    case_id = uow.session.scalar(select(Case.id).where(Case.intake_token == token))
    return _receipt(uow, case_id) if case_id else None


def _receipt(uow: UnitOfWork, case_id: int) -> Receipt:
    created_by = (select(CaseEvent.actor_id)
                  .where(CaseEvent.case_id == Case.id, CaseEvent.kind == "created")
                  .limit(1).scalar_subquery())
    row = uow.session.execute(
        select(Case.id, Case.receipt_no, ServiceType.name_zh, ServiceType.name_en,
               Case.due_date, Unit.name_zh, Unit.name_en, User.display_name, Case.status,
               Case.documents, Case.lookup_code, clock.local_time(Case.received_at),
               Citizen.name)
        .join(ServiceType, Case.service_type_id == ServiceType.id)
        .join(Citizen, Case.citizen_id == Citizen.id)
        .join(Unit, Case.intake_unit_id == Unit.id)
        .outerjoin(User, User.id == created_by)
        .where(Case.id == case_id)
    ).one_or_none()
    if row is None:
        raise NotFound(case=case_id)
    return Receipt(*row[:-1], identity.mask_name(row[-1]))
