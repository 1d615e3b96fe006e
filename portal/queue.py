"""Queues of cases and taking a case from one."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import func, select

from db.models import Case, Citizen, ServiceType, User
from portal import access, cases, lifecycle
from portal.access import Actor
from portal.clock import local_time
from portal.errors import InvalidTransition
from portal.lifecycle import OPEN, Status
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

PAGE_SIZE = 50
QUEUE_COLUMNS = ["id", "receipt_no", "service", "citizen", "status", "assignee",
                 "received_at", "due_date", "version", "unit_id"]


def unit_queue(uow: UnitOfWork, actor: Actor, lang: str, page: int = 0,
               statuses: Iterable[str] = OPEN, own_unit: bool = False,
               page_size: int = PAGE_SIZE) -> pd.DataFrame:
    """Open cases of the actor's unit (a manager's subtree), soonest due first, one page.

    `statuses` narrows the list; `own_unit` leaves out the units below a manager's own.
    """
    access.require(actor, "case.view")
    in_scope = Case.unit_id == actor.unit_id if own_unit else scope_clause(actor, Case.unit_id)
    query = (
        select(Case.id, Case.receipt_no, name_column(ServiceType, lang), Citizen.name,
               Case.status, User.display_name, local_time(Case.received_at), Case.due_date,
               Case.version, Case.unit_id)
        .join(ServiceType, Case.service_type_id == ServiceType.id)
        .join(Citizen, Case.citizen_id == Citizen.id)
        .outerjoin(User, Case.assignee_id == User.id)
        .where(in_scope, Case.status.in_([str(s) for s in statuses]))
        .order_by(Case.due_date, Case.id)
        .limit(page_size)
        .offset(page * page_size)
    )
    with uow:
        rows = uow.session.execute(query).all()
    return pd.DataFrame(rows, columns=QUEUE_COLUMNS)


def open_count(uow: UnitOfWork, actor: Actor) -> int:
    with uow:
        return uow.session.scalar(
            select(func.count()).select_from(Case)
            .where(scope_clause(actor, Case.unit_id), Case.status.in_([str(s) for s in OPEN]))
        )


def claim(uow: UnitOfWork, actor: Actor, case_id: int, version: int | None = None) -> None:
    """Take an unassigned case of one's own unit: it becomes in progress with the actor."""
    access.require(actor, "case.claim")
    with uow:
        case = cases.locked(uow, actor, case_id, version, own_unit=True)
        if case.assignee_id is not None:
            raise InvalidTransition("error.already_claimed", receipt_no=case.receipt_no)
        if case.status not in (Status.RECEIVED, Status.REOPENED):
            raise InvalidTransition(current=case.status, target=str(Status.IN_PROGRESS))
        case.assignee_id = actor.id
        lifecycle.move(uow.session, case, Status.IN_PROGRESS, actor_id=actor.id, kind="claimed")
        uow.commit()
