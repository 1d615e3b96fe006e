"""Several cases at once, from the queue's selection.

Each case is its own action (own transaction, own event), so a case someone changed meanwhile
is refused alone and the others still go through; the outcome names each refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from portal.access import Actor
from portal.casework import casework
from portal.errors import DomainError, InvalidInput
from portal.uow import UnitOfWork


@dataclass(frozen=True)
class Picked:
    """A selected row as the user saw it."""

    case_id: int
    receipt_no: str
    version: int


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, DomainError]] = field(default_factory=list)


def assign(uow: UnitOfWork, actor: Actor, picked: list[Picked], user_id: int) -> Outcome:
    return _each(picked, lambda c: casework.assign(uow, actor, c.case_id, user_id, c.version))


def change_priority(uow: UnitOfWork, actor: Actor, picked: list[Picked], priority: str,
                    reason: str) -> Outcome:
    casework.priority_input(priority, reason)  # wrong for one, wrong for all: say it once
    return _each(picked, lambda c: casework.change_priority(uow, actor, c.case_id, priority,
                                                            reason, c.version))


def _each(picked: list[Picked], act: Callable[[Picked], None]) -> Outcome:
    if not picked:
        raise InvalidInput({"cases": "bulk.error.none"})
    outcome = Outcome()
    for case in picked:
        try:
            act(case)
        except DomainError as error:
            outcome.refused.append((case.receipt_no, error))
        else:
            outcome.done.append(case.receipt_no)
    return outcome
