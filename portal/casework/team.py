"""A unit's team as its manager runs it: automatic assignment, leave and qualifications.

Every change is recorded in admin_changes (who, when, before and after).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from db.models import AdminChange, Case, Department, Unit, User, UserQualification
from portal import access, assignment, clock, lifecycle
from portal.access import Actor
from portal.errors import InvalidInput, NotFound
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork


@dataclass(frozen=True)
class Member:
    id: int
    display_name: str
    role: str
    on_leave: bool
    open_cases: int
    departments: tuple[int, ...]


@dataclass(frozen=True)
class Assignment:
    mode: str
    qualified_only: bool


def staffed_units(uow: UnitOfWork, actor: Actor, lang: str) -> list[tuple[int, str]]:
    """Units in the actor's scope that have people to assign to, own unit first."""
    access.require(actor, "team.manage")
    with uow:
        rows = uow.session.execute(
            select(Unit.id, name_column(Unit, lang)).where(
                scope_clause(actor, Unit.id), Unit.active,
                Unit.id.in_(select(User.unit_id).where(
                    User.active, User.role.in_(assignment.ROTA_ROLES))))
            .order_by(Unit.id != actor.unit_id, Unit.path)).all()
    return [(r[0], r[1]) for r in rows]


def assignment_of(uow: UnitOfWork, actor: Actor, unit_id: int) -> Assignment:
    access.require(actor, "team.manage")
    with uow:
        unit = _unit(uow, actor, unit_id)
        return Assignment(unit.auto_assign, unit.auto_assign_qualified)


def members(uow: UnitOfWork, actor: Actor, unit_id: int) -> list[Member]:
    """The unit's active people with their open cases and qualifications."""
    access.require(actor, "team.manage")
    with uow:
        _unit(uow, actor, unit_id)
        open_cases = select(func.count()).where(
            Case.assignee_id == User.id, Case.status.in_(lifecycle.OPEN)).scalar_subquery()
        qualified = select(func.array_agg(UserQualification.department_id)).where(
            UserQualification.user_id == User.id).scalar_subquery()
        rows = uow.session.execute(
            select(User.id, User.display_name, User.role, User.on_leave, open_cases, qualified)
            .where(User.unit_id == unit_id, User.active, User.role != "admin")
            .order_by(User.role != "manager", User.display_name)).all()
    return [Member(r[0], r[1], r[2], r[3], r[4], tuple(sorted(r[5] or ()))) for r in rows]


def set_assignment(uow: UnitOfWork, actor: Actor, unit_id: int, mode: str,
                   qualified_only: bool) -> None:
    access.require(actor, "team.manage")
    if mode not in assignment.MODES:
        raise InvalidInput({"mode": "team.error.mode"})
    with uow:
        unit = _unit(uow, actor, unit_id, lock=True)
        before = {"mode": unit.auto_assign, "qualified_only": unit.auto_assign_qualified}
        unit.auto_assign, unit.auto_assign_qualified = mode, qualified_only
        _record(uow, actor, "unit.assignment", unit.code, before,
                {"mode": mode, "qualified_only": qualified_only})
        uow.commit()


def set_leave(uow: UnitOfWork, actor: Actor, user_id: int, on_leave: bool) -> None:
    """Mark a person on leave (automatic assignment passes them over) or back at work."""
    access.require(actor, "team.manage")
    with uow:
        user = _member(uow, actor, user_id)
        if user.on_leave != on_leave:
            _record(uow, actor, "user.on_leave", user.username, {"on_leave": user.on_leave},
                    {"on_leave": on_leave})
            user.on_leave = on_leave
        uow.commit()


def set_qualifications(uow: UnitOfWork, actor: Actor, user_id: int,
                       department_ids: list[int]) -> None:
    access.require(actor, "team.manage")
    wanted = sorted(set(department_ids))
    with uow:
        user = _member(uow, actor, user_id)
        known = set(uow.session.scalars(select(Department.id).where(Department.id.in_(wanted))))
        if known != set(wanted):
            raise InvalidInput({"departments": "team.error.department"})
        before = sorted(uow.session.scalars(select(UserQualification.department_id).where(
            UserQualification.user_id == user.id)))
        if before == wanted:
            return
        uow.session.execute(delete(UserQualification).where(UserQualification.user_id == user.id))
        uow.session.add_all(UserQualification(user_id=user.id, department_id=d) for d in wanted)
        _record(uow, actor, "user.qualifications", user.username, {"departments": before},
                {"departments": wanted})
        uow.commit()


def _unit(uow: UnitOfWork, actor: Actor, unit_id: int, *, lock: bool = False) -> Unit:
    unit = uow.locked(Unit, unit_id) if lock else uow.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(units=unit_id)
    access.require_scope(actor, unit.id, unit.path)
    return unit


def _member(uow: UnitOfWork, actor: Actor, user_id: int) -> User:
    user = uow.locked(User, user_id)
    _unit(uow, actor, user.unit_id)
    return user


def _record(uow: UnitOfWork, actor: Actor, entity: str, key: str, before: dict,
            after: dict) -> None:
    uow.session.add(AdminChange(at=clock.now(), actor_id=actor.id, entity=entity,
                                entity_key=key, before=before, after=after))
