"""Administering the three-tier unit tree: add, rename, move and close units.

A unit's path is its ancestors' codes, so moving one rewrites the paths of its whole subtree
in one statement; cases keep their unit ids and follow. Every change is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, update

from db.models import TIERS, AdminChange, Case, Department, Handoff, Unit, User
from portal import access, clock, lifecycle
from portal.access import Actor
from portal.errors import InvalidInput, NotFound
from portal.lifecycle import HandoffState
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,59}")
NAME_ZH_MAX, NAME_EN_MAX = 80, 160
# The tiers a unit may sit under: windows and centres under the hall, villages under a town.
PARENT_TIERS = {"city": ("city",), "township": ("city", "township"), "village": ("township",)}


@dataclass(frozen=True)
class TreeRow:
    id: int
    code: str
    name: str
    tier: str
    department: str
    depth: int
    active: bool
    people: int
    open_cases: int


@dataclass(frozen=True)
class NewUnit:
    code: str
    name_zh: str
    name_en: str
    tier: str
    parent_id: int
    department_id: int | None = None


def tree(uow: UnitOfWork, actor: Actor, lang: str) -> list[TreeRow]:
    """The units in the admin's scope in tree order, with their people and open cases."""
    access.require(actor, "units.manage")
    people = select(func.count()).where(User.unit_id == Unit.id, User.active).scalar_subquery()
    open_cases = select(func.count()).where(
        Case.unit_id == Unit.id, Case.status.in_(lifecycle.OPEN)).scalar_subquery()
    with uow:
        rows = uow.session.execute(
            select(Unit, name_column(Unit, lang), name_column(Department, lang), people,
                   open_cases)
            .outerjoin(Department, Unit.department_id == Department.id)
            .where(scope_clause(actor, Unit.id)).order_by(Unit.path)).all()
        return [TreeRow(u.id, u.code, name, u.tier, dept or "", u.path.count("/") - 2,
                        u.active, n_people, n_open)
                for u, name, dept, n_people, n_open in rows]


def choices(uow: UnitOfWork, actor: Actor, lang: str) -> list[tuple[int, str, str]]:
    """Active units in scope as (id, code, name), in tree order."""
    with uow:
        rows = uow.session.execute(
            select(Unit.id, Unit.code, name_column(Unit, lang))
            .where(Unit.active, scope_clause(actor, Unit.id)).order_by(Unit.path)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def names(uow: UnitOfWork, actor: Actor, unit_id: int) -> tuple[str, str]:
    """The unit's (Chinese, English) names, for editing."""
    access.require(actor, "units.manage")
    with uow:
        unit = _unit(uow, actor, unit_id, lock=False)
        return unit.name_zh, unit.name_en


def add(uow: UnitOfWork, actor: Actor, new: NewUnit) -> int:
    access.require(actor, "units.manage")
    new = NewUnit(new.code.strip().lower(), new.name_zh.strip(), new.name_en.strip(), new.tier,
                  new.parent_id, new.department_id)
    with uow:
        errors = _name_errors(new.name_zh, new.name_en)
        if not CODE.fullmatch(new.code):
            errors["code"] = "units.error.code"
        elif uow.session.scalar(select(Unit.id).where(Unit.code == new.code)):
            errors["code"] = "units.error.code_taken"
        if new.tier not in TIERS:
            errors["tier"] = "units.error.tier"
        parent = _unit(uow, actor, new.parent_id, lock=False)
        if not parent.active or (new.tier in TIERS and parent.tier not in PARENT_TIERS[new.tier]):
            errors["parent"] = "units.error.parent"
        if errors:
            raise InvalidInput(errors)
        unit = Unit(code=new.code, name_zh=new.name_zh, name_en=new.name_en, tier=new.tier,
                    parent_id=parent.id, department_id=new.department_id,
                    path=f"{parent.path}{new.code}/", active=True)
        uow.session.add(unit)
        uow.session.flush()
        _record(uow, actor, unit.code, None, _state(unit))
        uow.commit()
        return unit.id


def rename(uow: UnitOfWork, actor: Actor, unit_id: int, name_zh: str, name_en: str) -> None:
    access.require(actor, "units.manage")
    name_zh, name_en = name_zh.strip(), name_en.strip()
    if errors := _name_errors(name_zh, name_en):
        raise InvalidInput(errors)
    with uow:
        unit = _unit(uow, actor, unit_id)
        before = _state(unit)
        unit.name_zh, unit.name_en = name_zh, name_en
        _record(uow, actor, unit.code, before, _state(unit))
        uow.commit()


def move(uow: UnitOfWork, actor: Actor, unit_id: int, parent_id: int) -> None:
    """Put the unit (and everything below it) under another parent."""
    access.require(actor, "units.manage")
    with uow:
        unit = _unit(uow, actor, unit_id)
        parent = _unit(uow, actor, parent_id)
        if (parent.path.startswith(unit.path) or not parent.active
                or parent.tier not in PARENT_TIERS[unit.tier]):
            raise InvalidInput({"parent": "units.error.parent"})
        before, old_path = _state(unit), unit.path
        new_path = f"{parent.path}{unit.code}/"
        uow.session.execute(
            update(Unit).where(Unit.path.startswith(old_path, autoescape=True))
            .values(path=func.concat(new_path, func.substr(Unit.path, len(old_path) + 1)))
            .execution_options(synchronize_session=False))
        unit.parent_id = parent.id
        uow.session.flush()
        uow.session.refresh(unit)
        _record(uow, actor, unit.code, before, _state(unit))
        uow.commit()


def close(uow: UnitOfWork, actor: Actor, unit_id: int, cases_to: int | None) -> int:
    """Close a unit; its open cases go to the unit `cases_to`, unassigned, each with an event.

    Refused while units below it are open, people still work there, or hand-offs wait for it.
    Returns how many cases moved.
    """
    access.require(actor, "units.manage")
    with uow:
        unit = _unit(uow, actor, unit_id)
        if not unit.active:
            return 0
        _may_close(uow, unit)
        held = uow.session.scalars(select(Case).where(
            Case.unit_id == unit.id, Case.status.in_(lifecycle.OPEN))
            .order_by(Case.id).with_for_update()).all()
        target = _unit(uow, actor, cases_to, lock=False) if cases_to is not None else None
        if held and (target is None or not target.active or target.id == unit.id):
            raise InvalidInput({"cases_to": "units.error.cases_to"})
        for case in held:
            lifecycle.record(uow.session, case, "unit_closed", actor_id=actor.id,
                             data={"from": unit.id, "to": target.id})
            case.unit_id, case.assignee_id = target.id, None
        before = _state(unit)
        unit.active = False
        after = _state(unit) | ({"cases_to": target.code, "cases": len(held)} if held else {})
        _record(uow, actor, unit.code, before, after)
        uow.commit()
        return len(held)


def _may_close(uow: UnitOfWork, unit: Unit) -> None:
    if uow.session.scalar(select(Unit.id).where(Unit.parent_id == unit.id, Unit.active).limit(1)):
        raise InvalidInput({"unit": "units.error.open_children"})
    if uow.session.scalar(select(User.id).where(User.unit_id == unit.id, User.active).limit(1)):
        raise InvalidInput({"unit": "units.error.people"})
    if uow.session.scalar(select(Handoff.id).where(
            Handoff.to_unit_id == unit.id, Handoff.state == HandoffState.PENDING).limit(1)):
        raise InvalidInput({"unit": "units.error.pending_handoffs"})


def _name_errors(name_zh: str, name_en: str) -> dict[str, str]:
    errors = {}
    if not name_zh or len(name_zh) > NAME_ZH_MAX:
        errors["name_zh"] = "units.error.name"
    if not name_en or len(name_en) > NAME_EN_MAX:
        errors["name_en"] = "units.error.name"
    return errors


def _unit(uow: UnitOfWork, actor: Actor, unit_id: int, lock: bool = True) -> Unit:
    query = select(Unit).where(Unit.id == unit_id, scope_clause(actor, Unit.id))
    # NO KEY UPDATE: new cases' foreign keys take KEY SHARE on their unit and must not wait.
    unit = uow.session.scalar(query.with_for_update(key_share=True) if lock else query)
    if unit is None:
        raise NotFound(unit=unit_id)
    return unit


def _state(unit: Unit) -> dict[str, object]:
    return {"name_zh": unit.name_zh, "name_en": unit.name_en, "tier": unit.tier,
            "path": unit.path, "active": unit.active}


def _record(uow: UnitOfWork, actor: Actor, code: str, before: dict | None, after: dict) -> None:
    uow.session.add(AdminChange(at=clock.now(), actor_id=actor.id, entity="unit",
                                entity_key=code, before=before, after=after))
