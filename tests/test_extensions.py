"""Extensions: asked before the deadline with a reason; the due date moves only on approval."""

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import Case, CaseEvent
from portal import clock, lifecycle
from portal.casework import extensions, queue
from portal.errors import InvalidInput, InvalidTransition, NotPermitted
from portal.intake import lookup
from tests.factories import new_case

D = dt.date


def claimed(uow, actors, frozen_clock) -> int:
    frozen_clock(dt.datetime(2026, 11, 23, 9, tzinfo=clock.TZ))  # Monday
    case_id = new_case(uow, actors["agent"], service="EMPLOY-CERT", phone="13953212345").case_id
    queue.claim(uow, actors["agent"], case_id)  # due Monday 30 November
    return case_id


def due(uow, case_id) -> D:
    with uow:
        return uow.session.get(Case, case_id).due_date


def test_an_approved_extension_moves_the_due_date_and_the_citizen_sees_it(
        uow, actors, frozen_clock):
    case_id = claimed(uow, actors, frozen_clock)
    ext = extensions.request(uow, actors["agent"], case_id, D(2026, 12, 7), "需市局复核")
    assert due(uow, case_id) == D(2026, 11, 30)  # not before the decision
    assert "decide_extension" in lifecycle.offered(actors["manager"], lifecycle.CaseState(
        "in_progress", actors["agent"].id, actors["agent"].unit_id, True))
    extensions.decide(uow, actors["manager"], ext, approve=True, note="同意")
    assert due(uow, case_id) == D(2026, 12, 7)
    with uow:
        receipt_no = uow.session.get(Case, case_id).receipt_no
    found = lookup.find(uow, receipt_no, "2345", "203.0.113.7").status
    assert found.due_date == D(2026, 12, 7)
    assert "public.step.extended" in [s.step for s in found.steps]


def test_a_refused_extension_leaves_the_due_date(uow, actors, frozen_clock):
    case_id = claimed(uow, actors, frozen_clock)
    ext = extensions.request(uow, actors["agent"], case_id, D(2026, 12, 7), "需复核")
    extensions.decide(uow, actors["manager"], ext, approve=False, note="请按期办结")
    assert due(uow, case_id) == D(2026, 11, 30)
    with uow:
        kinds = uow.session.scalars(select(CaseEvent.kind).where(
            CaseEvent.case_id == case_id).order_by(CaseEvent.id)).all()
    assert kinds[-2:] == ["extension_requested", "extension_refused"]
    with pytest.raises(InvalidTransition):
        extensions.decide(uow, actors["manager"], ext, approve=True)


def test_an_extension_is_asked_before_the_deadline_for_a_later_date(uow, actors, frozen_clock):
    case_id = claimed(uow, actors, frozen_clock)
    with pytest.raises(InvalidInput) as invalid:
        extensions.request(uow, actors["agent"], case_id, D(2026, 11, 27), " ")
    assert invalid.value.errors == {"reason": "casework.error.text_required",
                                    "new_due": "extension.error.new_due"}
    frozen_clock(dt.datetime(2026, 12, 1, 9, tzinfo=clock.TZ))  # past the due date
    with pytest.raises(InvalidTransition) as late:
        extensions.request(uow, actors["agent"], case_id, D(2026, 12, 7), "来不及了")
    assert late.value.key == "extension.error.too_late"


def test_one_pending_extension_at_a_time_decided_only_by_a_manager(uow, actors, frozen_clock):
    case_id = claimed(uow, actors, frozen_clock)
    ext = extensions.request(uow, actors["agent"], case_id, D(2026, 12, 7), "需复核")
    with pytest.raises(InvalidTransition):
        extensions.request(uow, actors["agent"], case_id, D(2026, 12, 8), "再申请")
    with pytest.raises(NotPermitted):
        extensions.decide(uow, actors["agent"], ext, approve=True)
