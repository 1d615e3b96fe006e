"""Citizens: found by resident ID number or mobile, registered once per ID number."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert

from db.models import Citizen
from portal import access, identity
from portal.access import Actor
from portal.errors import InvalidInput
from portal.uow import UnitOfWork

NAME_MAX = 60


@dataclass(frozen=True)
class Found:
    id: int
    name: str
    id_masked: str
    phone: str


@dataclass(frozen=True)
class CitizenInput:
    """Either a citizen picked from a search (`citizen_id`) or a new one to register."""

    citizen_id: int | None = None
    name: str = ""
    id_number: str = ""
    phone: str = ""

    def cleaned(self) -> CitizenInput:
        return CitizenInput(self.citizen_id, " ".join(self.name.split()),
                            identity.normalise_id(self.id_number),
                            identity.normalise_phone(self.phone))

    def errors(self) -> dict[str, str]:
        if self.citizen_id is not None:
            return {}
        errors = {}
        if not self.name:
            errors["citizen_name"] = "intake.error.name_required"
        elif len(self.name) > NAME_MAX:
            errors["citizen_name"] = "intake.error.name_too_long"
        if self.id_number and (error := identity.id_number_error(self.id_number)):
            errors["id_number"] = error
        if error := identity.phone_error(self.phone):
            errors["phone"] = error
        return errors


def find(uow: UnitOfWork, actor: Actor, query: str) -> list[Found]:
    """Citizens whose resident ID number or phone is exactly `query`."""
    access.require(actor, "case.create")
    number, phone = identity.normalise_id(query), identity.normalise_phone(query)
    if not number and not phone:
        return []
    with uow:
        rows = uow.session.scalars(
            select(Citizen).where(or_(Citizen.id_number == number, Citizen.phone == phone))
            .order_by(Citizen.id).limit(20)).all()
        return [Found(c.id, c.name, identity.mask_id(c.id_number or ""), c.phone) for c in rows]


def resolve(uow: UnitOfWork, given: CitizenInput) -> Citizen:
    """The citizen picked, or the one registered now; never a second row for one ID number."""
    session = uow.session
    if given.citizen_id is not None:
        citizen = session.get(Citizen, given.citizen_id)
        if citizen is None:
            raise InvalidInput({"citizen": "intake.error.citizen_gone"})
        return citizen
    if given.id_number:
        # Two agents registering the same person at once: the second insert does nothing.
        session.execute(insert(Citizen).values(name=given.name, id_number=given.id_number,
                                               phone=given.phone)
                        .on_conflict_do_nothing(index_elements=["id_number"]))
        citizen = session.scalar(select(Citizen).where(Citizen.id_number == given.id_number))
        if citizen.name != given.name:
            raise InvalidInput({"citizen_name": "intake.error.id_name_mismatch"})
        citizen.phone = given.phone  # the latest number the citizen gave
        return citizen
    found = session.scalar(select(Citizen).where(
        Citizen.phone == given.phone, Citizen.name == given.name, Citizen.id_number.is_(None)))
    if found:
        return found
    citizen = Citizen(name=given.name, phone=given.phone)
    session.add(citizen)
    session.flush()
    return citizen
