"""Automatic assignment: a unit may have its new and accepted cases given to a person at once.

In turn (round robin) or to whoever holds the fewest open cases, never to someone on leave
and, if the unit asks, only to people qualified for the service's department.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AUTO_ASSIGN_MODES, Case, ServiceType, Unit, User, UserQualification
from portal import lifecycle
from portal.lifecycle import Status

MODES = AUTO_ASSIGN_MODES
# Managers oversee the queue; the rota is the people who work it.
ROTA_ROLES = ("agent", "officer")


@dataclass(frozen=True)
class Person:
    id: int
    open_cases: int


def auto_assign(session: Session, case: Case) -> int | None:
    """Give the (flushed, unassigned) case to the unit's next person; their id, or None.

    The unit's row is locked for the choice, so cases arriving at once in one unit are
    spread one after another rather than all to the same least-loaded person.
    """
    if session.scalar(select(Unit.auto_assign).where(Unit.id == case.unit_id)) == "off":
        return None
    # NO KEY UPDATE: the new case's foreign key already holds a KEY SHARE lock on this row in
    # every intake, and a plain FOR UPDATE would deadlock against those.
    unit = session.scalar(select(Unit).where(Unit.id == case.unit_id)
                          .with_for_update(key_share=True))
    if unit.auto_assign == "off":
        return None
    people = rota(session, unit, case.service_type_id)
    if not people:
        return None  # nobody available: the case waits in the unit queue
    chosen = choose(unit.auto_assign, people, unit.auto_assign_last)
    unit.auto_assign_last = chosen
    case.assignee_id = chosen
    data = {"to": chosen, "mode": unit.auto_assign}
    if case.status in lifecycle.UNWORKED:
        lifecycle.move(session, case, Status.IN_PROGRESS, actor_id=None, kind="auto_assigned",
                       data=data)
    else:
        lifecycle.record(session, case, "auto_assigned", actor_id=None, data=data)
    return chosen


def rota(session: Session, unit: Unit, service_type_id: int) -> list[Person]:
    """Who may be given a case of this service now, by id, with their open cases counted."""
    open_cases = (select(func.count()).where(
        Case.assignee_id == User.id, Case.status.in_(lifecycle.OPEN)).scalar_subquery())
    query = select(User.id, open_cases).where(
        User.unit_id == unit.id, User.active, ~User.on_leave, User.role.in_(ROTA_ROLES))
    if unit.auto_assign_qualified:
        department = select(ServiceType.department_id).where(
            ServiceType.id == service_type_id).scalar_subquery()
        query = query.where(User.id.in_(select(UserQualification.user_id).where(
            UserQualification.department_id == department)))
    return [Person(*row) for row in session.execute(query.order_by(User.id))]


def choose(mode: str, people: list[Person], last: int | None) -> int:
    """The next person after `last` in id order; in fewest-open mode, the least loaded of them.

    Starting after `last` also breaks ties between equally loaded people in turn.
    """
    after = [p for p in people if last is None or p.id > last]
    turn = after + [p for p in people if p not in after]
    if mode == "fewest_open":
        return min(turn, key=lambda p: p.open_cases).id
    return turn[0].id
