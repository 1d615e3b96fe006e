"""The whole hand-off cycle: return and resend, withdraw, escalate, joint parts, disputes,
bouncing and the acceptance limit."""

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import Case, CaseEvent, Handoff, Unit
from portal import clock
from portal.casework import casework, queue
from portal.errors import InvalidInput, InvalidTransition, NotPermitted
from portal.handoffs import disputes, handoff, inbox, joint
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import at_once, new_case


def unit_of(uow, code: str) -> int:
    with uow:
        return uow.session.scalar(select(Unit.id).where(Unit.code == code))


def state(uow, case_id: int) -> tuple:
    with uow:
        return tuple(uow.session.execute(
            select(Case.unit_id, Case.status, Case.assignee_id, Case.bounced,
                   Case.first_responsible_unit_id).where(Case.id == case_id)).one())


def kinds(uow, case_id: int) -> list[str]:
    with uow:
        return list(uow.session.scalars(select(CaseEvent.kind).where(
            CaseEvent.case_id == case_id).order_by(CaseEvent.id)))


@pytest.fixture
def claimed(uow, actors) -> int:
    """A case the village agent took in and is working."""
    case_id = new_case(uow, actors["agent"], service="EMPLOY-CERT").case_id
    queue.claim(uow, actors["agent"], case_id)
    return case_id


def test_returned_with_a_reason_the_case_is_back_as_it_was_and_can_be_resent(
        uow, actors, claimed):
    agent, officer = actors["agent"], actors["officer"]
    first = handoff.send(uow, agent, claimed, officer.unit_id, "需乡镇人社窗口办理")
    handoff.return_to_sender(uow, officer, first, "wrong_tier", "应由市级窗口办理")
    assert state(uow, claimed)[:3] == (agent.unit_id, "in_progress", agent.id)
    back = inbox.returned(uow, agent, "zh")
    assert (back.loc[0, "return_category"], back.loc[0, "return_reason"]) == (
        "wrong_tier", "应由市级窗口办理")
    city_hrss = unit_of(uow, "city-hrss")
    second = handoff.send(uow, agent, claimed, city_hrss, "按退回意见转市人社")
    handoff.accept(uow, actor_for("staff-city-hrss"), second)
    assert state(uow, claimed)[:3] == (city_hrss, "received", None)
    assert kinds(uow, claimed) == ["created", "claimed", "handoff_requested", "handoff_returned",
                                   "handoff_requested", "handoff_accepted"]


def test_a_return_needs_a_listed_category_and_a_reason(uow, actors, claimed):
    sent = handoff.send(uow, actors["agent"], claimed, actors["officer"].unit_id, "转办")
    with pytest.raises(InvalidInput):
        handoff.return_to_sender(uow, actors["officer"], sent, "not_in_the_list", "理由")
    with pytest.raises(InvalidInput):
        handoff.return_to_sender(uow, actors["officer"], sent, "other", "  ")
    assert state(uow, claimed)[1] == "handoff_pending"


def test_only_the_receiving_unit_or_a_manager_above_it_returns_a_hand_off(uow, actors, claimed):
    sent = handoff.send(uow, actors["agent"], claimed, actors["officer"].unit_id, "转办")
    for outsider in (actors["agent"], actor_for("staff-jiangshan-civil"), actor_for("mgr-shuiji")):
        with pytest.raises(NotPermitted):
            handoff.return_to_sender(uow, outsider, sent, "other", "退回")
    handoff.return_to_sender(uow, actor_for("mgr-jiangshan"), sent, "other", "退回")
    assert state(uow, claimed)[1] == "in_progress"


def test_a_pending_hand_off_is_withdrawn_by_the_sender_and_then_cannot_be_accepted(
        uow, actors, claimed):
    sent = handoff.send(uow, actors["agent"], claimed, actors["officer"].unit_id, "转办")
    with pytest.raises(NotPermitted):
        handoff.withdraw(uow, actors["officer"], sent)  # the receiver may not withdraw
    handoff.withdraw(uow, actors["agent"], sent)
    assert state(uow, claimed)[1] == "in_progress"
    with pytest.raises(InvalidTransition):
        handoff.accept(uow, actors["officer"], sent)
    assert kinds(uow, claimed)[-1] == "handoff_withdrawn"


def test_accepting_can_claim_the_case_in_the_same_step(uow, actors, claimed):
    sent = handoff.send(uow, actors["agent"], claimed, actors["officer"].unit_id, "转办")
    handoff.accept(uow, actors["officer"], sent, claim=True)
    assert state(uow, claimed)[:3] == (actors["officer"].unit_id, "in_progress",
                                       actors["officer"].id)


def test_escalate_sends_the_case_to_the_parent_unit(uow, actors, claimed):
    sent = handoff.escalate(uow, actors["agent"], claimed, "村级无法办理")
    with uow:
        target = uow.session.get(Handoff, sent).to_unit_id
    assert target == actor_for("mgr-jiangshan").unit_id  # the township centre above


def test_the_suggestion_is_the_services_department_at_its_lowest_tier(uow, actors, claimed):
    assert handoff.suggest(uow, claimed) == actors["officer"].unit_id  # the town's window
    farm_machine = new_case(uow, actors["agent"], service="FARM-MACHINE").case_id
    assert handoff.suggest(uow, farm_machine) == unit_of(uow, "city-agri")  # a city service


def test_joint_handling_in_three_parts_resolves_only_when_every_part_is_done(uow, actors,
                                                                            claimed):
    agent = actors["agent"]
    windows = ["jiangshan-hrss", "jiangshan-civil", "city-land"]
    parts = [joint.send_part(uow, agent, claimed, unit_of(uow, w), f"第{i}部分")
             for i, w in enumerate(windows, 1)]
    assert state(uow, claimed)[:2] == (agent.unit_id, "in_progress")  # stays with its owner
    for part, window in zip(parts, windows, strict=True):
        with pytest.raises(InvalidTransition) as refused:
            casework.resolve(uow, agent, claimed, "approved", "已办结")
        assert refused.value.key == "joint.error.parts_open"
        staff = actor_for(f"staff-{window}")
        assert part in set(inbox.incoming(uow, staff, "zh")["id"])
        handoff.accept(uow, staff, part)
        joint.complete_part(uow, staff, part, "已完成")
    assert list(joint.parts(uow, claimed, "zh")["progress"]) == ["done"] * 3
    casework.resolve(uow, agent, claimed, "approved", "三部门均已办结")
    events = kinds(uow, claimed)
    assert [events.count(k) for k in ("part_requested", "part_accepted", "part_completed")] == [
        3, 3, 3]
    assert events[-1] == "resolved"


def test_a_returned_part_no_longer_holds_the_case_back(uow, actors, claimed):
    part = joint.send_part(uow, actors["agent"], claimed, actors["officer"].unit_id, "核实")
    handoff.return_to_sender(uow, actors["officer"], part, "not_our_department", "非本部门职责")
    assert state(uow, claimed)[1] == "in_progress"
    assert list(joint.parts(uow, claimed, "zh")["progress"]) == ["returned"]
    casework.resolve(uow, actors["agent"], claimed, "answered", "已答复")


def test_only_the_receiving_unit_or_a_manager_above_it_completes_a_part(uow, actors, claimed):
    part = joint.send_part(uow, actors["agent"], claimed, actors["officer"].unit_id, "核实")
    handoff.accept(uow, actors["officer"], part)
    with pytest.raises(NotPermitted):
        joint.complete_part(uow, actors["agent"], part, "已完成")
    joint.complete_part(uow, actor_for("mgr-jiangshan"), part, "已完成")


def test_three_hand_offs_mark_the_case_bounced_once(uow, actors, claimed):
    agent, officer = actors["agent"], actors["officer"]
    for _ in range(3):
        sent = handoff.send(uow, agent, claimed, officer.unit_id, "转办")
        assert not state(uow, claimed)[3] or _ == 2
        handoff.withdraw(uow, agent, sent)
    assert state(uow, claimed)[3]
    handoff.send(uow, agent, claimed, officer.unit_id, "第四次")
    assert kinds(uow, claimed).count("bounced") == 1


def test_two_returns_mark_the_case_bounced(uow, actors, claimed):
    agent, officer = actors["agent"], actors["officer"]
    for i in range(2):
        assert not state(uow, claimed)[3]
        sent = handoff.send(uow, agent, claimed, officer.unit_id, "转办")
        handoff.return_to_sender(uow, officer, sent, "other", f"退回{i}")
    assert state(uow, claimed)[3]


def test_a_disputed_return_is_decided_above_both_and_cannot_be_bounced_again(uow, actors,
                                                                            claimed):
    agent, officer, town = actors["agent"], actors["officer"], actor_for("mgr-jiangshan")
    sent = handoff.send(uow, agent, claimed, officer.unit_id, "就业创业证由乡镇人社窗口办理")
    handoff.return_to_sender(uow, officer, sent, "not_our_department", "不属本窗口")
    assert disputes.refer(uow, agent, sent, "该事项清单明确由人社窗口办理") == town.unit_id
    with pytest.raises(NotPermitted):
        disputes.decide(uow, actor_for("mgr-shuiji"), sent, officer.unit_id)
    assert list(inbox.disputes(uow, town, "zh")["id"]) == [sent]
    disputes.decide(uow, town, sent, officer.unit_id)
    assert state(uow, claimed) == (officer.unit_id, "received", None, False, officer.unit_id)
    with pytest.raises(InvalidTransition):
        handoff.return_to_sender(uow, officer, sent, "other", "再退")
    # The first-responsible window may hand the case on only upwards.
    with pytest.raises(NotPermitted):
        handoff.send(uow, officer, claimed, unit_of(uow, "city-hrss"), "转市级")
    handoff.escalate(uow, officer, claimed, "需上级协调")
    assert kinds(uow, claimed)[-3:] == ["dispute_referred", "responsible_named",
                                        "handoff_requested"]


def test_a_manager_above_every_side_names_the_first_responsible_unit_of_a_bounced_case(
        uow, actors, claimed):
    agent, officer = actors["agent"], actors["officer"]
    for i in range(2):
        sent = handoff.send(uow, agent, claimed, officer.unit_id, "转办")
        handoff.return_to_sender(uow, officer, sent, "other", f"退回{i}")
    with pytest.raises(NotPermitted):
        disputes.name_responsible(uow, actors["agent"], claimed, officer.unit_id)
    with pytest.raises(NotPermitted):
        disputes.name_responsible(uow, actor_for("mgr-shuiji"), claimed, officer.unit_id)
    disputes.name_responsible(uow, actors["manager"], claimed, officer.unit_id)
    assert state(uow, claimed) == (officer.unit_id, "received", None, True, officer.unit_id)


def test_a_case_that_has_not_bounced_gets_no_first_responsible_unit(uow, actors, claimed):
    with pytest.raises(InvalidTransition):
        disputes.name_responsible(uow, actors["manager"], claimed, actors["officer"].unit_id)


def test_the_acceptance_limit_counts_office_hours_over_the_holiday(uow, actors, claimed,
                                                                  frozen_clock):
    def at(day, hour, minute=0):
        frozen_clock(dt.datetime(2026, *day, hour, minute, tzinfo=clock.TZ))

    at((9, 30), 16)  # the Wednesday before the National Day week, an hour before closing
    sent = handoff.send(uow, actors["agent"], claimed, actors["officer"].unit_id, "转办")
    for day, hour, minute, waited, late in [((10, 3), 10, 0, 1.0, False),
                                            ((10, 8), 12, 0, 4.0, False),
                                            ((10, 8), 13, 30, 4.5, True)]:
        at(day, hour, minute)
        row = inbox.incoming(uow, actors["officer"], "zh").set_index("id").loc[sent]
        assert (row["waiting_hours"], row["late"]) == (waited, late)
        assert inbox.sent(uow, actors["agent"], "zh").set_index("id").loc[sent, "late"] == late
        assert (sent in set(inbox.late(uow, actor_for("mgr-jiangshan"), "zh")["id"])) == late


def test_resolving_completes_the_transfer_that_brought_the_case(uow, actors, claimed):
    sent = handoff.send(uow, actors["agent"], claimed, actors["officer"].unit_id, "转办")
    handoff.accept(uow, actors["officer"], sent, claim=True)
    casework.resolve(uow, actors["officer"], claimed, "approved", "已办结")
    with uow:
        record = uow.session.get(Handoff, sent)
        assert record.requested_at <= record.answered_at <= record.completed_at


def race(agent, officer) -> tuple[int, int, dict[str, str]]:
    """A case handed off, then accepted and withdrawn at the same moment."""
    case_id = new_case(UnitOfWork(), agent).case_id
    sent = handoff.send(UnitOfWork(), agent, case_id, officer.unit_id, "转办")
    outcomes = {}

    def act(name, call):
        try:
            call()
            outcomes[name] = "won"
        except InvalidTransition as refused:
            outcomes[name] = refused.key

    at_once(act, [("accept", lambda: handoff.accept(UnitOfWork(), officer, sent)),
                  ("withdraw", lambda: handoff.withdraw(UnitOfWork(), agent, sent))])
    return case_id, sent, outcomes


def test_accept_and_withdraw_at_once_exactly_one_wins(committed, actors):
    agent, officer = actors["agent"], actors["officer"]
    for _ in range(5):
        case_id, sent, outcomes = race(agent, officer)
        assert sorted(outcomes.values()) == ["error.handoff_answered", "won"]
        unit, status, *_ = state(UnitOfWork(), case_id)
        with UnitOfWork() as uow:
            record = uow.session.get(Handoff, sent).state
        if outcomes["accept"] == "won":
            assert (record, unit, status) == ("accepted", officer.unit_id, "received")
        else:
            assert (record, unit, status) == ("withdrawn", agent.unit_id, "received")
