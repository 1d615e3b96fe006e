"""A member of staff's notifications: what the bell counts, the list, read and unread."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from db.models import Case, Notification
from portal import clock
from portal.access import Actor
from portal.uow import UnitOfWork

SHOWN = 100


@dataclass(frozen=True)
class Note:
    id: int
    subject: str
    body: str
    receipt_no: str | None
    created_at: dt.datetime
    read: bool


def listing(uow: UnitOfWork, actor: Actor) -> list[Note]:
    """The latest notifications, newest first."""
    with uow:
        rows = uow.session.execute(
            select(Notification.id, Notification.subject, Notification.body, Case.receipt_no,
                   clock.local_time(Notification.created_at), Notification.read_at.is_not(None))
            .outerjoin(Case, Case.id == Notification.case_id)
            .where(Notification.user_id == actor.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(SHOWN))
        return [Note(*row) for row in rows]


def mark_read(uow: UnitOfWork, actor: Actor, ids: list[int] | None = None) -> int:
    """Mark the actor's own notifications read: these, or all; how many."""
    with uow:
        mine = (Notification.user_id == actor.id) & Notification.read_at.is_(None)
        if ids is not None:
            mine &= Notification.id.in_(ids)
        marked = uow.session.execute(update(Notification).where(mine)
                                     .values(read_at=clock.now())).rowcount
        uow.commit()
        return marked
