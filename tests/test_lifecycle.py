"""The case lifecycle: allowed moves, refused moves, and the event each move writes."""

import pytest
from sqlalchemy import select

from db.models import Case, CaseEvent
from portal import lifecycle
from portal.errors import InvalidTransition
from portal.lifecycle import TRANSITIONS, Status
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
