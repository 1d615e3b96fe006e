"""Administering the holiday calendar: public holidays and the weekend make-up working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select

from db.models import AdminChange, Holiday
from portal import access, clock, workdays
from portal.access import Actor
from portal.errors import InvalidInput
from portal.uow import UnitOfWork

KINDS = ("holiday", "workday")
NAME_MAX = 40


@dataclass(frozen=True)
class Day:
    day: dt.date
    kind: str
    name_zh: str
    name_en: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "name_zh": self.name_zh, "name_en": self.name_en}


def listing(uow: UnitOfWork, actor: Actor) -> list[Day]:
    access.require(actor, "calendar.edit")
    with uow:
        rows = uow.session.scalars(select(Holiday).order_by(Holiday.day))
        return [Day(h.day, h.kind, h.name_zh, h.name_en) for h in rows]


def calendar_ends(uow: UnitOfWork, actor: Actor) -> dt.date | None:
    """For those who keep the calendar: the day it ends, when that is within the next
    workdays.AHEAD_DAYS days (due dates after it would count holidays as working days)."""
    if not access.may(actor.role, "calendar.edit"):
        return None
    with uow:
        return workdays.gap_ahead(workdays.load(uow.session), clock.today())


def row_errors(days: list[Day]) -> dict[str, str]:
    """`row.<n>` (1-based) -> message key for every row that cannot be saved."""
    errors, seen = {}, set()
    for n, d in enumerate(days, 1):
        if not isinstance(d.day, dt.date):
            errors[f"row.{n}"] = "holidays.error.date"
        elif d.day in seen:
            errors[f"row.{n}"] = "holidays.error.duplicate"
        elif d.kind not in KINDS:
            errors[f"row.{n}"] = "holidays.error.kind"
        elif d.kind == "workday" and d.day.weekday() < 5:
            errors[f"row.{n}"] = "holidays.error.workday_on_weekday"
        elif not d.name_zh.strip() or not d.name_en.strip() or max(
                len(d.name_zh), len(d.name_en)) > NAME_MAX:
            errors[f"row.{n}"] = "holidays.error.names"
        if isinstance(d.day, dt.date):
            seen.add(d.day)
    return errors


def save(uow: UnitOfWork, actor: Actor, days: list[Day]) -> int:
    """Make the calendar exactly `days`, recording each change; returns how many days changed.

    Due dates already promised stay as they were; new intakes count with the new calendar.
    """
    access.require(actor, "calendar.edit")
    days = [Day(d.day, d.kind, d.name_zh.strip(), d.name_en.strip()) for d in days]
    if errors := row_errors(days):
        raise InvalidInput(errors)
    wanted = {d.day: d for d in days}
    with uow:
        current = {h.day: Day(h.day, h.kind, h.name_zh, h.name_en)
                   for h in uow.session.scalars(select(Holiday).with_for_update())}
        changed = [day for day in wanted.keys() | current.keys()
                   if wanted.get(day) != current.get(day)]
        now = clock.now()
        for day in sorted(changed):
            before, after = current.get(day), wanted.get(day)
            uow.session.execute(delete(Holiday).where(Holiday.day == day))
            if after:
                uow.session.add(Holiday(day=day, **after.as_json()))
            uow.session.add(AdminChange(
                at=now, actor_id=actor.id, entity="holiday", entity_key=day.isoformat(),
                before=before.as_json() if before else None,
                after=after.as_json() if after else None))
        uow.commit()
    workdays.forget()  # this process counts with the new calendar at once
    return len(changed)
