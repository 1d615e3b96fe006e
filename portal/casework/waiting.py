"""What waits for a person, counted for the menu: hand-offs to answer, cases of theirs due soon
or overdue, (for managers) supervision notices on open cases they oversee, and their unread
notifications (the bell)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import Case, Handoff, Notification, SupervisionNotice
from portal import access, lifecycle
from portal.access import Actor
from portal.casework import queue
from portal.lifecycle import HandoffState
from portal.units import scope_clause
from portal.uow import UnitOfWork


@dataclass(frozen=True)
class Waiting:
    handoffs: int = 0  # pending hand-offs and parts sent to the unit(s)
    due_soon: int = 0  # my open cases overdue or due within the yellow threshold
    notices: int = 0  # supervision and report notices on open cases in my scope
    unread: int = 0  # my notifications not yet read


def counts(uow: UnitOfWork, actor: Actor) -> Waiting:
    if not access.may(actor.role, "case.view"):
        return Waiting()
    badges = queue.badge_counts(uow, actor, queue.QueueFilter(view="mine"))
    with uow:
        handoffs = uow.session.scalar(select(func.count()).select_from(Handoff).where(
            Handoff.state == HandoffState.PENDING, scope_clause(actor, Handoff.to_unit_id)))
        unread = uow.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == actor.id, Notification.read_at.is_(None)))
        notices = 0
        if access.may(actor.role, "supervision.view"):
            notices = uow.session.scalar(
                select(func.count()).select_from(SupervisionNotice)
                .join(Case, Case.id == SupervisionNotice.case_id)
                .where(SupervisionNotice.level.in_(("supervision", "report")),
                       Case.status.in_(lifecycle.OPEN),
                       scope_clause(actor, SupervisionNotice.unit_id)))
    return Waiting(handoffs, badges["red"] + badges["yellow"], notices, unread)
