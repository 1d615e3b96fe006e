"""Hand-off: the sender owns the case until the receiving unit accepts it."""

import pytest
from sqlalchemy import select

from db.models import Case, CaseEvent, Handoff
from portal.casework import queue
from portal.errors import InvalidInput, InvalidTransition, NotPermitted
from portal.handoffs import handoff, inbox
from tests.factories import new_case


def window(actors) -> int:
    return actors["officer"].unit_id


def test_sent_case_waits_at_the_sender_until_accepted(uow, actors):
    receipt = new_case(uow, actors["agent"], service="EMPLOY-CERT")
    handoff.send(uow, actors["agent"], receipt.case_id, window(actors), "需乡镇窗口办理")
    mine = queue.unit_queue(uow, actors["agent"], "zh")
    assert mine.loc[0, "status"] == "handoff_pending"
    assert list(inbox.sent(uow, actors["agent"], "zh")["receipt_no"]) == [receipt.receipt_no]
    incoming = inbox.incoming(uow, actors["officer"], "zh")
    assert list(incoming["receipt_no"]) == [receipt.receipt_no]
    assert incoming.loc[0, "reason"] == "需乡镇窗口办理"


def test_accepted_case_moves_to_the_receiving_unit(uow, actors):
    receipt = new_case(uow, actors["agent"])
    queue.claim(uow, actors["agent"], receipt.case_id)
    handoff_id = handoff.send(uow, actors["agent"], receipt.case_id, window(actors), "转人社窗口")
    handoff.accept(uow, actors["officer"], handoff_id)
    with uow:
        case = uow.session.get(Case, receipt.case_id)
        record = uow.session.get(Handoff, handoff_id)
        events = uow.session.scalars(select(CaseEvent).where(
            CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()
        assert (case.unit_id, case.status, case.assignee_id) == (window(actors), "received", None)
        assert (record.state, record.answered_by) == ("accepted", actors["officer"].id)
        assert [e.kind for e in events] == [
            "created", "claimed", "handoff_requested", "handoff_accepted"]
        assert events[-1].unit_id == window(actors)
    assert queue.unit_queue(uow, actors["agent"], "zh").empty
    assert list(queue.unit_queue(uow, actors["officer"], "zh")["receipt_no"]) == [
        receipt.receipt_no]
    assert inbox.incoming(uow, actors["officer"], "zh").empty


def test_hand_off_records_both_departments_for_the_flow_charts(uow, actors):
    receipt = new_case(uow, actors["agent"])
    handoff_id = handoff.send(uow, actors["agent"], receipt.case_id, window(actors), "转办")
    with uow:
        record = uow.session.get(Handoff, handoff_id)
        assert record.from_department_id is None  # a village point has no department
        assert record.to_department_id is not None


def test_a_reason_is_required(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with pytest.raises(InvalidInput) as invalid:
        handoff.send(uow, actors["agent"], receipt.case_id, window(actors), "   ")
    assert invalid.value.errors == {"reason": "handoff.error.reason_required"}


def test_a_case_cannot_be_handed_to_its_own_unit(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with pytest.raises(InvalidInput):
        handoff.send(uow, actors["agent"], receipt.case_id, actors["agent"].unit_id, "同单位")


def test_only_the_owning_unit_can_send(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with pytest.raises(NotPermitted):
        handoff.send(uow, actors["officer"], receipt.case_id, window(actors), "抢件")


def test_only_the_receiving_unit_can_accept(uow, actors):
    receipt = new_case(uow, actors["agent"])
    handoff_id = handoff.send(uow, actors["agent"], receipt.case_id, window(actors), "转办")
    with pytest.raises(NotPermitted):
        handoff.accept(uow, actors["agent"], handoff_id)


def test_manager_above_the_receiver_can_accept(uow, actors):
    receipt = new_case(uow, actors["agent"])
    handoff_id = handoff.send(uow, actors["agent"], receipt.case_id, window(actors), "转办")
    handoff.accept(uow, actors["manager"], handoff_id)
    assert queue.unit_queue(uow, actors["officer"], "zh").loc[0, "status"] == "received"


def test_a_hand_off_is_answered_once(uow, actors):
    receipt = new_case(uow, actors["agent"])
    handoff_id = handoff.send(uow, actors["agent"], receipt.case_id, window(actors), "转办")
    handoff.accept(uow, actors["officer"], handoff_id)
    with pytest.raises(InvalidTransition):
        handoff.accept(uow, actors["officer"], handoff_id)


def test_a_pending_case_cannot_be_sent_again(uow, actors):
    receipt = new_case(uow, actors["agent"])
    handoff.send(uow, actors["agent"], receipt.case_id, window(actors), "转办")
    with pytest.raises(InvalidTransition):
        handoff.send(uow, actors["agent"], receipt.case_id, actors["manager"].unit_id, "再转")


def test_a_manager_above_the_unit_cannot_send_its_cases(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with pytest.raises(NotPermitted):
        handoff.send(uow, actors["manager"], receipt.case_id, window(actors), "越级转办")


def test_every_sendable_case_of_the_own_unit_is_offered_beyond_one_queue_page(uow, actors):
    for i in range(queue.PAGE_SIZE + 5):
        new_case(uow, actors["agent"], phone=f"1381234{i:04d}")
    assert len(queue.sendable(uow, actors["agent"], "zh")) == queue.PAGE_SIZE + 5
    assert queue.sendable(uow, actors["manager"], "zh").empty  # none at the city hall itself
