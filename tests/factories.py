"""Small factories that read like the user's actions."""

from __future__ import annotations

from portal import intake
from portal.access import Actor
from portal.intake import IntakeForm, Receipt
from portal.uow import UnitOfWork


def new_case(uow: UnitOfWork, actor: Actor, *, service: str = "PENSION-CERT",
             name: str = "王秀英", phone: str = "13812345678", token: str | None = None) -> Receipt:
    return intake.take_in(uow, actor, IntakeForm(service_code=service, citizen_name=name,
                                                 phone=phone, token=token))
