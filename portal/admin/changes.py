"""The record of administrative changes: who changed what, when, from what to what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db.models import AdminChange, ServiceType, User
from portal import access
from portal.access import Actor
from portal.messages import LANGUAGES, t, t_or
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


def difference(change: Change) -> list[tuple[str, Any, Any]]:
    """(what, before, after) for each value that differs."""
    before, after = change.before or {}, change.after or {}
    return [(k, before.get(k), after.get(k))
            for k in list(dict.fromkeys([*before, *after])) if before.get(k) != after.get(k)]


def entity_label(entity: str, lang: str) -> str:
    return t_or(f"changes.entity.{entity}", entity, lang)


def service_names(uow: UnitOfWork, lang: str) -> dict[str, str]:
    """Every service's name by its code, those no longer offered too."""
    name = ServiceType.name_en if lang == "en" else ServiceType.name_zh
    with uow:
        return dict(uow.session.execute(select(ServiceType.code, name)).tuples().all())


def key_label(change: Change, lang: str, services: dict[str, str] | None = None) -> str:
    """The changed record's key as people know it: a setting by its name on the Settings
    page, a service by its name (with its code)."""
    if change.entity == "setting":
        return t_or(f"settings.{change.entity_key}", change.entity_key, lang)
    if change.entity == "service_type" and change.entity_key in (services or {}):
        return t("changes.service", lang, name=services[change.entity_key],
                 code=change.entity_key)
    return change.entity_key


def described(change: Change, lang: str, departments: dict[int, str]) -> str:
    """"what: before → after; …" in `lang`, with domain values by their names."""
    return "; ".join(
        f"{t_or(f'changes.field.{what}', what, lang)}: {_shown(what, before, lang, departments)}"
        f" → {_shown(what, after, lang, departments)}"
        for what, before, after in difference(change))


# Recorded values that are codes of a labelled set: the field -> the labels' key prefix.
# A coded field's value is shown with the label under this prefix.
CODED = {"role": "role.", "tier": "tier.", "min_tier": "tier.", "kind": "holidays.kind.",
         "category": "category.", "mode": "team.mode.", "password": "password."}


def _shown(what: str, value: Any, lang: str, departments: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "∅"
    if isinstance(value, bool):
        return t("changes.yes" if value else "changes.no", lang)
    if what in CODED:
        return t_or(f"{CODED[what]}{value}", str(value), lang)
    if what == "language":
        return LANGUAGES.get(value, str(value))
    if what in ("department_id", "departments"):
        ids = value if isinstance(value, list) else [value]
        return "、".join(departments.get(i, str(i)) for i in ids)
    if isinstance(value, list):
        return "、".join(_item(v, lang) for v in value)
    return str(value)


def _item(value: Any, lang: str) -> str:
    """A document or a form field by its name in `lang`; a retired field says so."""
    if not isinstance(value, dict):
        return str(value)
    name = value.get(f"label_{lang}") or value.get(f"name_{lang}") or value.get("key") or str(value)
    return name + (t("changes.retired", lang) if value.get("retired") else "")
