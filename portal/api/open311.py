"""Open311 GeoReport v2 over the portal: the catalogue as services, cases as service requests.

A hotline's work order becomes a case through intake itself (the same validation, receipt
and first event), taken in at the unit the client names or its own. A request tells what the
status page tells (status, unit, promised date, public steps), never a name, note or file.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Row, Select, func, select

from db.models import Case, CaseEvent, ServiceType, Unit
from portal import clock, forms, lifecycle
from portal.api.keys import Client
from portal.errors import InvalidInput, NotFound
from portal.intake import intake, lookup
from portal.intake.citizens import CitizenInput
from portal.messages import t, t_or
from portal.units import case_in_scope
from portal.uow import UnitOfWork

DATATYPES = {"text": "string", "long_text": "text", "number": "number", "date": "datetime",
             "month": "string", "choice": "singlevaluelist", "multi_choice": "multivaluelist",
             "yes_no": "singlevaluelist", "id_number": "string", "phone": "string"}
TEXT_FIELDS = ("service_code", "first_name", "last_name", "phone", "email", "description",
               "unit_code", "id_number", "token", "api_key")
TOKEN_MAX = 200
LIST_MAX = 1000  # the standard's cap on a list of requests
DEFAULT_DAYS = 90  # and its default window


def services(uow: UnitOfWork, lang: str) -> list[dict[str, Any]]:
    with uow:
        rows = uow.session.scalars(select(ServiceType).where(ServiceType.active)
                                   .order_by(ServiceType.code))
        return [_service(s, lang) for s in rows]


def _service(service: ServiceType, lang: str) -> dict[str, Any]:
    name = service.name_en if lang == "en" else service.name_zh
    return {"service_code": service.code, "service_name": name,
            "description": t("api.service.description", lang, days=service.time_limit_days),
            "metadata": bool(forms.asked(forms.parse(service.form_fields))),
            "type": "batch", "keywords": service.category,
            "group": t_or(f"category.{service.category}", service.category, lang)}


def definition(uow: UnitOfWork, code: str, lang: str) -> dict[str, Any]:
    """The service's intake fields as Open311 attributes."""
    with uow:
        service = uow.session.scalar(select(ServiceType).where(ServiceType.code == code,
                                                               ServiceType.active))
        if service is None:
            raise NotFound(service=code)
        code, specs = service.code, forms.asked(forms.parse(service.form_fields))
    return {"service_code": code,
            "attributes": [_attribute(spec, order, lang) for order, spec in enumerate(specs, 1)]}


def _attribute(spec: forms.FieldSpec, order: int, lang: str) -> dict[str, Any]:
    attribute = {"variable": True, "code": spec.key, "datatype": DATATYPES[spec.type],
                 "required": spec.required, "datatype_description": spec.type,
                 "order": order, "description": spec.label(lang)}
    if spec.type == "yes_no":
        attribute["values"] = [{"key": "true", "name": t("api.yes", lang)},
                               {"key": "false", "name": t("api.no", lang)}]
    elif spec.options:
        attribute["values"] = [{"key": o.value, "name": o.label(lang)} for o in spec.options]
    return attribute


def post(uow: UnitOfWork, client: Client, fields: Mapping[str, Any],
         attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Take in a work order as a case; its receipt number is the service request id.

    `fields` are the standard's (service_code, first_name, last_name, phone, email,
    description) and ours (unit_code, id_number, token); `attributes` the service's fields.
    Each is text (a multi-valued attribute a list of text), as the standard has it.
    """
    _check_kinds(fields, attributes)
    with uow:
        unit = _unit(uow, client, str(fields.get("unit_code") or ""))
        specs = {}
        service = uow.session.scalar(select(ServiceType).where(
            ServiceType.code == str(fields.get("service_code", "")), ServiceType.active))
        if service is not None:
            specs = {s.key: s for s in forms.asked(forms.parse(service.form_fields))}
    name = f"{fields.get('last_name', '')}{fields.get('first_name', '')}"  # family name first
    form = intake.IntakeForm(
        service_code=str(fields.get("service_code", "")),
        citizen=CitizenInput(name=name, id_number=str(fields.get("id_number", "")),
                             phone=str(fields.get("phone", ""))),
        note=str(fields.get("description", "")), channel="phone",
        answers={key: _answer(specs[key], value) if key in specs else value
                 for key, value in attributes.items()},
        contact_email=str(fields.get("email", "")), via=client.name,
        token=token(client, fields["token"]) if fields.get("token") else None)
    receipt = intake.take_in(uow, client.actor(unit), form)
    return {"service_request_id": receipt.receipt_no, "service_notice": receipt.unit_zh,
            "account_id": None, "token": None}


def _check_kinds(fields: Mapping[str, Any], attributes: Mapping[str, Any]) -> None:
    """Refuse (InvalidInput) a field that is not text, rather than storing its Python text."""
    errors = {name: "api.error.text" for name in TEXT_FIELDS
              if name in fields and not isinstance(fields[name], str)}
    errors |= {f"attribute[{code}]": "api.error.text" for code, value in attributes.items()
               if not isinstance(value, str) and not (
                   isinstance(value, list) and all(isinstance(v, str) for v in value))}
    if isinstance(fields.get("token"), str) and len(fields["token"]) > TOKEN_MAX:
        errors["token"] = "api.error.token"
    if errors:
        raise InvalidInput(errors)


def token(client: Client, given: str) -> str:
    """The case's intake token for a client's work-order token: a digest of the whole of it,
    scoped by the client, so that two tokens differing anywhere are two cases."""
    digest = hashlib.sha256(f"{client.id}\n{given}".encode()).digest()
    return "api:" + base64.urlsafe_b64encode(digest).decode()[:36]  # 216 bits, in 40 characters


def _unit(uow: UnitOfWork, client: Client, code: str) -> tuple[int, str, str, str]:
    """The unit that takes the work order in: the one named, if the client acts for it."""
    query = select(Unit.id, Unit.path, Unit.name_zh, Unit.name_en).where(
        Unit.active, Unit.path.startswith(client.unit_path, autoescape=True))
    unit = uow.session.execute(query.where(Unit.code == code) if code else
                               query.where(Unit.id == client.unit_id)).first()
    if unit is None:
        raise InvalidInput({"unit_code": "api.error.unit_code"})
    return tuple(unit)


def _answer(spec: forms.FieldSpec, value: Any) -> Any:
    """An attribute sent as text, as the intake form would give it; left as it came when it
    does not read, so that intake names the field."""
    if not isinstance(value, str):
        return value
    try:
        if spec.type == "number":
            number = float(value)
            return int(number) if number.is_integer() else number
        if spec.type == "date":
            return dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    if spec.type == "yes_no":
        return {"true": True, "false": False}.get(value.strip().lower(), value)
    if spec.type == "multi_choice":
        return [v for v in value.split(",") if v]
    return value


def requests(uow: UnitOfWork, client: Client, lang: str, *, ids: list[str] | None = None,
             service_code: str | None = None, status: str | None = None,
             start: dt.datetime | None = None, end: dt.datetime | None = None
             ) -> list[dict[str, Any]]:
    """The client's requests, newest first: by id, or within a window (the last 90 days
    unless given); one query however many."""
    query = _listed(client, lang)
    if ids:
        query = query.where(Case.receipt_no.in_([i.strip().upper() for i in ids]))
    else:
        end = end or clock.now()
        query = query.where(Case.received_at <= end, Case.received_at >= (
            start or end - dt.timedelta(days=DEFAULT_DAYS)))
    if service_code:
        query = query.where(ServiceType.code == service_code)
    if status:
        query = query.where(Case.status.in_(lifecycle.OPEN) if status == "open"
                            else Case.status.not_in(lifecycle.OPEN))
    with uow:
        rows = uow.session.execute(query.order_by(Case.received_at.desc(), Case.id.desc())
                                   .limit(LIST_MAX)).all()
    return [_request(row, lang) for row in rows]


def request(uow: UnitOfWork, client: Client, receipt_no: str, lang: str) -> dict[str, Any]:
    """One request, with its public steps."""
    en = lang == "en"
    with uow:
        case = visible(uow, client, receipt_no)
        found = _request(uow.session.execute(_listed(client, lang).where(Case.id == case.id))
                         .one(), lang)
        found["steps"] = [{"at": s.at.replace(tzinfo=clock.TZ).isoformat(),
                           "step": t(s.step, lang), "unit": s.unit_en if en else s.unit_zh}
                          for s in lookup.public_status(uow, case).steps]
        return found


def visible(uow: UnitOfWork, client: Client, receipt_no: str) -> Case:
    """The case with this receipt number, if the client acts for its unit or intake unit."""
    case = uow.session.scalar(select(Case).where(Case.receipt_no == receipt_no.strip().upper(),
                                                 case_in_scope(client.actor())))
    if case is None:
        raise NotFound(receipt_no=receipt_no)
    return case


def _listed(client: Client, lang: str) -> Select:
    """What a request says, for the cases the client may see."""
    en = lang == "en"
    updated = select(func.max(CaseEvent.at)).where(CaseEvent.case_id == Case.id)
    return (select(Case.receipt_no, Case.status, Case.outcome, Case.result, Case.received_at,
                   Case.due_date, ServiceType.code,
                   ServiceType.name_en if en else ServiceType.name_zh,
                   Unit.name_en if en else Unit.name_zh, updated.scalar_subquery())
            .join(ServiceType, ServiceType.id == Case.service_type_id)
            .join(Unit, Unit.id == Case.unit_id)
            .where(case_in_scope(client.actor())))


def _request(row: Row, lang: str) -> dict[str, Any]:
    receipt_no, status, outcome, result, received, due, code, service, unit, updated = row
    known = status in lifecycle.RESULT_KNOWN  # as on the status page: the result once known
    found = {
        "service_request_id": receipt_no,
        "status": "open" if status in lifecycle.OPEN else "closed",
        "detailed_status": status,
        "status_notes": (result if known else "") or t(f"status.{status}", lang),
        "service_name": service, "service_code": code, "agency_responsible": unit,
        "requested_datetime": received.isoformat(),
        "updated_datetime": (updated or received).isoformat(),
        "expected_datetime": f"{due.isoformat()}T17:00:00+08:00",
        "address": None, "lat": None, "long": None, "media_url": None,
    }
    if known and outcome:
        found["outcome"] = outcome
    return found
