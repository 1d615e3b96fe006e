"""Reads that every session of a unit (or a person's every tab) shares for a minute instead
of repeating them on every run: a unit's people, its hand-off targets, one's reminders.

They change by the day (who is on leave, a new unit, a deadline coming), so a minute old
at most is current enough; they are not copied on reading (components.shared_cache).
"""

from __future__ import annotations

from components.shared_cache import SharedCache
from portal import units
from portal.access import Actor
from portal.casework import casework, supervision, waiting
from portal.uow import UnitOfWork

MINUTE = SharedCache(ttl=60)
HALF_MINUTE = SharedCache(ttl=30)


def colleagues(unit_id: int) -> dict[int, str]:
    """The people a case of the unit may be assigned to, by id."""
    return MINUTE.get(("colleagues", unit_id),
                      lambda: dict(casework.colleagues(UnitOfWork(), unit_id)))


def handoff_targets(unit_id: int, lang: str) -> dict[int, str]:
    """The units a case of the unit may be handed to, by id (0: every unit)."""
    return MINUTE.get(("targets", unit_id, lang),
                      lambda: dict(units.handoff_targets(UnitOfWork(), unit_id, lang)))


def reminders(actor: Actor, lang: str) -> list[str]:
    """Receipt numbers of my cases whose deadline comes within a working day."""
    return MINUTE.get(("reminders", actor.id, lang), lambda: list(supervision.notices(
        UnitOfWork(), actor, lang, ("reminder",), mine=True)["receipt_no"]))


def waiting_for(actor: Actor) -> waiting.Waiting:
    """The counts the menu shows beside its pages, at most half a minute old."""
    return HALF_MINUTE.get(("waiting", actor.id, actor.role, actor.unit_id),
                           lambda: waiting.counts(UnitOfWork(), actor))
