"""The record of administrative changes: who changed what, when, from what to what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db.models import AdminChange, User
from portal import access
from portal.access import Actor
from portal.uow import UnitOfWork

LIMIT = 500


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    by: str
    entity: str
    entity_key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def entities(uow: UnitOfWork, actor: Actor) -> list[str]:
    """The kinds of record that have been changed."""
    access.require(actor, "changes.view")
    with uow:
        return list(uow.session.scalars(select(AdminChange.entity).distinct()
                                        .order_by(AdminChange.entity)))


def recent(uow: UnitOfWork, actor: Actor, entity: str | None = None,
           key: str = "") -> list[Change]:
    """The latest LIMIT changes, newest first; of one kind of record and key if given."""
    access.require(actor, "changes.view")
    query = (select(AdminChange, User.display_name).join(User, AdminChange.actor_id == User.id)
             .order_by(AdminChange.at.desc(), AdminChange.id.desc()).limit(LIMIT))
    if entity:
        query = query.where(AdminChange.entity == entity)
    if key.strip():
        query = query.where(AdminChange.entity_key.contains(key.strip(), autoescape=True))
    with uow:
        return [Change(c.at, name, c.entity, c.entity_key, c.before, c.after)
                for c, name in uow.session.execute(query).all()]


def difference(change: Change) -> list[tuple[str, str, str]]:
    """(what, before, after) for each value that differs."""
    before, after = change.before or {}, change.after or {}
    return [(k, _shown(before.get(k)), _shown(after.get(k)))
            for k in list(dict.fromkeys([*before, *after])) if before.get(k) != after.get(k)]


def _shown(value: Any) -> str:
    return "" if value is None else str(value)
