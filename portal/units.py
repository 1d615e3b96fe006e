"""The unit tree and departments: names, scope clauses and the units a case can go to."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from db import models
from db.models import Case, Department, Unit, User
from portal import access
from portal.access import Actor, Scope
from portal.uow import UnitOfWork

TIERS: tuple[str, ...] = models.TIERS  # the three tiers of the tree, top first


def name_column(model, lang: str) -> InstrumentedAttribute:
    """The model's name column in the user's language."""
    return model.name_en if lang == "en" else model.name_zh


def scope_clause(actor: Actor | Scope, unit_column) -> ColumnElement[bool]:
    """SQL condition: `unit_column` is a unit the actor (or anyone with this scope) may see."""
    if actor.sees_subtree:
        subtree = select(Unit.id).where(Unit.path.startswith(actor.unit_path, autoescape=True))
        return unit_column.in_(subtree)
    return unit_column == actor.unit_id


def case_in_scope(actor: Actor | Scope) -> ColumnElement[bool]:
    """SQL condition: a case the actor may read, its unit or its intake unit being in scope."""
    return or_(scope_clause(actor, Case.unit_id), scope_clause(actor, Case.intake_unit_id))


def require_scope(uow: UnitOfWork, actor: Actor, unit_id: int) -> None:
    """Refuse unless the unit is the actor's own or, for managers and admins, below theirs."""
    path = uow.session.scalar(select(Unit.path).where(Unit.id == unit_id))
    access.require_scope(actor, unit_id, path)


def departments(uow: UnitOfWork, lang: str) -> list[tuple[int, str]]:
    """Every department, as (id, name)."""
    with uow:
        rows = uow.session.execute(
            select(Department.id, name_column(Department, lang)).order_by(Department.id)).all()
    return [(r[0], r[1]) for r in rows]


def handoff_targets(uow: UnitOfWork, unit_id: int, lang: str) -> list[tuple[int, str]]:
    """Active units other than `unit_id`, as (id, "tier · name"), city first."""
    tier_order = {"city": 0, "township": 1, "village": 2}
    with uow:
        rows = uow.session.execute(
            select(Unit.id, Unit.tier, name_column(Unit, lang), Unit.path)
            .where(Unit.active, Unit.id != unit_id)
        ).all()
    rows.sort(key=lambda r: (tier_order[r[1]], r[3]))
    return [(r[0], r[2]) for r in rows]


def towns(uow: UnitOfWork, lang: str) -> list[tuple[str, str]]:
    """The townships, as (code, name of the town's service centre)."""
    with uow:
        rows = uow.session.execute(
            select(Unit.code, name_column(Unit, lang)).where(
                Unit.tier == "township", Unit.department_id.is_(None), Unit.active)
            .order_by(Unit.path)).all()
    return [(r[0], r[1]) for r in rows]


def oversight(session: Session) -> dict[int, tuple[int, int]]:
    """For each unit: the unit whose manager supervises its cases, and the one reported to.

    The first is the nearest unit at or above it with an active manager (a village point has
    none: its township centre's manager supervises it); the second the nearest such unit
    above that one, or the first again at the top of the tree.
    """
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    managed = set(session.scalars(select(User.unit_id).where(User.active,
                                                             User.role == "manager")))

    def nearest_managed(unit: int | None) -> int | None:
        while unit is not None and unit not in managed:
            unit = parents[unit]
        return unit

    root = next(u for u, parent in parents.items() if parent is None)
    result = {}
    for unit in parents:
        supervisor = nearest_managed(unit) or root
        result[unit] = (supervisor, nearest_managed(parents[supervisor]) or supervisor)
    return result
