"""The case lifecycle: allowed moves, refused moves, and the event each move writes."""

import re

import pytest
from sqlalchemy import select, text

from db import models
from db.models import Case, CaseEvent
from portal import access, lifecycle
from portal.errors import InvalidTransition
from portal.lifecycle import TRANSITIONS, ExtensionState, HandoffState, Status
from tests.factories import new_case


def test_every_status_has_its_allowed_moves():
    assert set(TRANSITIONS) == set(Status)


@pytest.mark.parametrize(("current", "target"), [
    ("received", "in_progress"), ("in_progress", "resolved"), ("resolved", "closed"),
    ("closed", "reopened"), ("in_progress", "waiting_citizen"), ("waiting_citizen", "in_progress"),
    ("received", "handoff_pending"), ("handoff_pending", "received"), ("received", "withdrawn"),
])
def test_lifecycle_allows_the_designed_moves(current, target):
    assert lifecycle.can_move(current, target)


@pytest.mark.parametrize(("current", "target"), [
    ("received", "closed"), ("received", "resolved"), ("withdrawn", "in_progress"),
    ("closed", "in_progress"), ("resolved", "handoff_pending"), ("handoff_pending", "resolved"),
])
def test_lifecycle_refuses_skipping_steps(current, target):
    assert not lifecycle.can_move(current, target)


def test_withdrawn_is_final():
    assert not TRANSITIONS[Status.WITHDRAWN]


def test_move_changes_status_and_appends_its_event(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with uow:
        case = uow.session.get(Case, receipt.case_id)
        lifecycle.move(uow.session, case, Status.IN_PROGRESS, actor_id=actors["agent"].id,
                       kind="claimed")
        uow.commit()
        events = uow.session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()
        assert case.status == "in_progress"
        assert [(e.kind, e.from_status, e.to_status) for e in events] == [
            ("created", None, "received"), ("claimed", "received", "in_progress")]


def test_invalid_move_raises_and_leaves_the_case_as_it_was(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with uow:
        case = uow.session.get(Case, receipt.case_id)
        with pytest.raises(InvalidTransition) as refused:
            lifecycle.move(uow.session, case, Status.CLOSED, actor_id=None, kind="closed")
        assert case.status == "received"
        assert refused.value.params == {"current": "received", "target": "closed"}


def test_resolving_stamps_the_resolution_time(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with uow:
        case = uow.session.get(Case, receipt.case_id)
        lifecycle.move(uow.session, case, Status.IN_PROGRESS, actor_id=None, kind="claimed")
        event = lifecycle.move(uow.session, case, Status.RESOLVED, actor_id=None, kind="resolved")
        assert case.resolved_at == event.at


def _allowed(session, table: str, column: str) -> set[str]:
    """The values the database's CHECK constraint lets into table.column."""
    definition = session.scalar(text(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = CAST(:table AS regclass) AND conname = :name"),
        {"table": table, "name": f"{column}_valid"})
    return set(re.findall(r"'(\w+)'", definition))


def _predicate(session, index: str) -> set[str]:
    """The values a partial index's predicate names."""
    definition = session.scalar(text("SELECT pg_get_indexdef(CAST(:index AS regclass))"),
                                {"index": index})
    return set(re.findall(r"'(\w+)'", definition.split(" WHERE ", 1)[1]))


def test_the_database_allows_exactly_the_lifecycles_states(uow):
    with uow:
        assert _allowed(uow.session, "cases", "status") == set(Status) == set(models.STATUSES)
        assert _allowed(uow.session, "handoffs", "state") == set(HandoffState) == set(
            models.HANDOFF_STATES)
        assert _allowed(uow.session, "extensions", "state") == set(ExtensionState)
        # The open queue's indexes cover exactly the open states, or the planner skips them.
        for index in ("ix_cases_open_queue", "ix_cases_open_by_due"):
            assert _predicate(uow.session, index) == lifecycle.OPEN
        assert _predicate(uow.session, "ix_handoffs_pending") == {HandoffState.PENDING}


def test_the_step_table_answers_what_may_happen_in_each_state():
    steps = lifecycle.STEPS
    for action, step in steps.items():
        assert step.starts_from <= set(Status), action
        assert step.permission in access.ACTIONS, action
        assert not step.guard or step.guard in lifecycle.GUARDS, action
        for to in step.leads_to:  # every state a step leads to is a move the lifecycle allows
            assert any(lifecycle.can_move(start, to) for start in step.starts_from), (action, to)
    possible = {s: sorted(a for a, step in steps.items() if s in step.starts_from) for s in Status}
    # Once withdrawn: a note, and a decision on an extension asked for before.
    assert possible[Status.WITHDRAWN] == ["decide_extension", "note"]
    assert possible[Status.HANDOFF_PENDING] == ["decide_extension", "note", "priority"]
    assert "resolve" in possible[Status.REOPENED] and "claim" in possible[Status.REOPENED]


def test_a_hand_off_is_answered_once():
    assert lifecycle.HANDOFF_MOVES[HandoffState.PENDING] == {
        HandoffState.ACCEPTED, HandoffState.RETURNED, HandoffState.WITHDRAWN}
    assert not any(lifecycle.HANDOFF_MOVES[s] for s in HandoffState if s != HandoffState.PENDING)


def test_what_the_case_file_offers_the_services_allow(actors):
    unit = actors["agent"].unit_id
    for status in Status:
        for actor in actors.values():
            for assignee in (None, actor.id, -1):
                for action in lifecycle.offered(actor, lifecycle.CaseState(status, assignee, unit)):
                    lifecycle.permit(actor, action)  # raises what a service would
                    lifecycle.check(actor, action,
                                    Case(status=status, assignee_id=assignee, unit_id=unit))
