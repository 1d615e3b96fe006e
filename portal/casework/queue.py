"""Queues of cases and taking a case from one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ARRAY, Text, and_, cast, func, select, union
from sqlalchemy import case as sql_case
from sqlalchemy.dialects.postgresql import array as pg_array

from db.models import Case, Citizen, ServiceType, User
from portal import access, cases, clock, lifecycle, settings, workdays
from portal.access import Actor
from portal.clock import local_time
from portal.errors import InvalidTransition
from portal.lifecycle import OPEN, Status, listed
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

PAGE_SIZE = 50
EXPORT_MAX = 10_000  # rows in one export of a queue
QUEUE_COLUMNS = ["id", "receipt_no", "service", "citizen", "status", "assignee",
                 "received_at", "due_date", "badge", "priority", "version", "unit_id"]
BADGES = ("red", "yellow", "green", "paused")
VIEWS = ("mine", "unit", "subtree")
DUE_FILTERS = ("overdue", "today", "week")
RECEIPT_DIGITS = 6  # the shortest run of digits searched in receipt numbers too


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: whose cases, and narrowed by any of the fields."""

    view: str = "unit"  # "mine" (assigned to me), "unit" (my unit), "subtree" (a manager's units)
    statuses: tuple[str, ...] = listed(OPEN)
    services: tuple[str, ...] = ()  # service codes
    departments: tuple[int, ...] = ()
    units: tuple[int, ...] = ()  # within the view, e.g. one unit a manager clicked on
    priority: str | None = None
    due: str | None = None  # "overdue", "today" or "week"
    channel: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    text: str = ""  # a fragment of the receipt number, the citizen's name or phone


@dataclass(frozen=True)
class _Today:
    day: dt.date
    yellow_until: dt.date  # due on or before this, and not overdue: yellow

    @classmethod
    def load(cls, uow: UnitOfWork) -> _Today:
        today = clock.today()
        return cls(today, workdays.add_working_days(today, settings.current(uow.session).yellow_working_days,
                                                    workdays.load(uow.session)))


def _badge(today: _Today):
    return sql_case(
        (Case.status == Status.WAITING_CITIZEN, "paused"),  # the clock is stopped
        (Case.due_date < today.day, "red"),
        (Case.due_date <= today.yellow_until, "yellow"),
        else_="green")


def _conditions(actor: Actor, flt: QueueFilter, today: _Today) -> list:
    whose = {"mine": Case.assignee_id == actor.id, "unit": Case.unit_id == actor.unit_id,
             "subtree": scope_clause(actor, Case.unit_id)}[flt.view]
    conditions = [whose, Case.status.in_(flt.statuses)]
    if flt.services:
        conditions.append(Case.service_type_id.in_(
            select(ServiceType.id).where(ServiceType.code.in_(flt.services))))
    if flt.departments:
        conditions.append(Case.service_type_id.in_(
            select(ServiceType.id).where(ServiceType.department_id.in_(flt.departments))))
    if flt.units:
        conditions.append(Case.unit_id.in_(flt.units))
    if flt.priority:
        conditions.append(Case.priority == flt.priority)
    if flt.channel:
        conditions.append(Case.channel == flt.channel)
    if flt.due == "overdue":
        conditions += [Case.due_date < today.day, Case.status != Status.WAITING_CITIZEN]
    elif flt.due == "today":
        conditions.append(Case.due_date == today.day)
    elif flt.due == "week":
        sunday = today.day + dt.timedelta(days=6 - today.day.weekday())
        conditions.append(Case.due_date.between(today.day, sunday))
    if flt.received_from:
        conditions.append(Case.received_at >= clock.day_start(flt.received_from))
    if flt.received_to:
        conditions.append(Case.received_at < clock.day_start(flt.received_to + dt.timedelta(days=1)))
    if text := flt.text.strip():
        conditions.append(Case.id.in_(_matching(text, flt.statuses)))
    return conditions


def _matching(text: str, statuses: tuple[str, ...]):
    """Ids of cases whose receipt number, phone or citizen's name contains `text`.

    Digits alone are a phone (a few, typically the last four) or also a receipt number (six
    or more); anything with a letter or a dash is a name or a receipt number. A union, not
    an OR: each part uses its own n-gram index (migration 0010), and the queue's other
    filters then apply to the few cases found instead of to every open case.
    """
    wanted = Case.status.in_(statuses)
    name = (select(Case.id).join(Citizen, Case.citizen_id == Citizen.id)
            .where(wanted, _contains(func.portal_name_grams(Citizen.name), Citizen.name, text,
                                     min(2, len(text)))))
    if len(text) < 3:
        return name  # numbers are indexed by triples; one or two characters can only be a name
    receipt = select(Case.id).where(
        wanted, _contains(func.portal_trigrams(Case.receipt_no), Case.receipt_no, text, 3))
    phone = select(Case.id).where(
        wanted, _contains(func.portal_trigrams(Case.contact_phone), Case.contact_phone, text, 3))
    if text.isdigit():
        return union(phone, receipt) if len(text) >= RECEIPT_DIGITS else phone
    return union(receipt, name)


def _contains(indexed, column, text: str, size: int):
    """`column` contains `text`, ignoring case, found through its n-gram index `indexed`.

    Every n-gram of `size` in the text must be among the column's, and LIKE then checks
    that they stand in order.
    """
    lowered = text.lower()
    grams = sorted({lowered[i:i + size] for i in range(len(lowered) - size + 1)})
    return and_(indexed.op("@>")(cast(pg_array(grams), ARRAY(Text))),
                column.icontains(text, autoescape=True))


def unit_queue(uow: UnitOfWork, actor: Actor, lang: str, flt: QueueFilter = QueueFilter(),
               page: int = 0, page_size: int = PAGE_SIZE) -> pd.DataFrame:
    """One page of the queue, soonest due first, each case with its time-limit badge."""
    access.require(actor, "case.view")
    with uow:
        today = _Today.load(uow)
        query = (
            select(Case.id, Case.receipt_no, name_column(ServiceType, lang), Citizen.name,
                   Case.status, User.display_name, local_time(Case.received_at), Case.due_date,
                   _badge(today), Case.priority, Case.version, Case.unit_id)
            .join(ServiceType, Case.service_type_id == ServiceType.id)
            .join(Citizen, Case.citizen_id == Citizen.id)
            .outerjoin(User, Case.assignee_id == User.id)
            .where(*_conditions(actor, flt, today))
            .order_by(Case.due_date, Case.id)
            .limit(page_size)
            .offset(page * page_size)
        )
        rows = uow.session.execute(query).all()
    return pd.DataFrame(rows, columns=QUEUE_COLUMNS)


def badge_counts(uow: UnitOfWork, actor: Actor, flt: QueueFilter = QueueFilter()) -> dict[str, int]:
    """How many cases of the filtered queue carry each badge, and in all ("total")."""
    access.require(actor, "case.view")
    with uow:
        today = _Today.load(uow)
        badge = _badge(today)
        rows = uow.session.execute(
            select(badge, func.count()).where(*_conditions(actor, flt, today)).group_by(badge)
        ).all()
    counts = dict.fromkeys(BADGES, 0) | dict(rows)
    return counts | {"total": sum(counts.values())}


def claim(uow: UnitOfWork, actor: Actor, case_id: int, version: int | None = None) -> None:
    """Take an unassigned case of one's own unit: it becomes in progress with the actor."""
    lifecycle.permit(actor, "claim")
    with uow:
        case = cases.locked(uow, actor, case_id, version)
        if case.assignee_id is not None and case.unit_id == actor.unit_id:
            raise InvalidTransition("error.already_claimed", receipt_no=case.receipt_no,
                                    by=cases.last_actor(uow, case.id))
        lifecycle.check(actor, "claim", case)
        case.assignee_id = actor.id
        lifecycle.move(uow.session, case, Status.IN_PROGRESS, actor_id=actor.id, kind="claimed")
        uow.commit()


def sendable(uow: UnitOfWork, actor: Actor, lang: str) -> pd.DataFrame:
    """Cases of the actor's own unit that may be handed off now, soonest due first."""
    flt = QueueFilter(view="unit", statuses=lifecycle.listed(lifecycle.SENDABLE))
    return unit_queue(uow, actor, lang, flt, page_size=500)
