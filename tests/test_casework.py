"""Working a case: every action is allowed only in the right state, to the right people."""

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import Case, CaseEvent
from portal import clock, lifecycle
from portal.casework import casework, queue
from portal.errors import DomainError, InvalidInput, InvalidTransition, NotPermitted
from portal.handoffs import handoff
from tests.conftest import actor_for
from tests.factories import new_case


def make(uow, actors, state: str) -> int:
    """A case of the agent's unit in `state`, claimed by the agent where that applies."""
    agent = actors["agent"]
    case_id = new_case(uow, agent).case_id
    if state == "received":
        return case_id
    if state == "handoff_pending":
        handoff.send(uow, agent, case_id, actors["officer"].unit_id, "转办")
        return case_id
    queue.claim(uow, agent, case_id)
    if state == "waiting_citizen":
        casework.request_documents(uow, agent, case_id, "户口簿")
    elif state in ("resolved", "reopened"):
        casework.resolve(uow, agent, case_id, "approved", "已办结")
        if state == "reopened":
            casework.reopen(uow, actors["manager"], case_id, "群众投诉")
    elif state == "withdrawn":
        casework.withdraw(uow, agent, case_id, "群众撤回")
    return case_id


ACTIONS = {
    "release": lambda uow, a, c: casework.release(uow, a["agent"], c),
    "request_documents": lambda uow, a, c: casework.request_documents(uow, a["agent"], c, "照片"),
    "documents_received": lambda uow, a, c: casework.documents_received(uow, a["agent"], c),
    "resolve": lambda uow, a, c: casework.resolve(uow, a["agent"], c, "answered", "已答复"),
    "withdraw": lambda uow, a, c: casework.withdraw(uow, a["agent"], c, "群众撤回"),
    "reopen": lambda uow, a, c: casework.reopen(uow, a["manager"], c, "复查"),
    "deliver": lambda uow, a, c: casework.deliver(uow, a["agent"], c),
}
ALLOWED = {
    "release": {"in_progress"},
    "request_documents": {"in_progress", "reopened"},
    "documents_received": {"waiting_citizen"},
    "resolve": {"in_progress", "reopened"},
    "withdraw": {"received", "in_progress", "waiting_citizen"},
    "reopen": {"resolved"},
    "deliver": {"resolved"},
}
STATES = ("received", "in_progress", "waiting_citizen", "handoff_pending", "resolved",
          "reopened", "withdrawn")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_action_only_in_its_states(uow, actors, action, state):
    case_id = make(uow, actors, state)
    if state in ALLOWED[action]:
        ACTIONS[action](uow, actors, case_id)
    else:
        with pytest.raises(InvalidTransition):
            ACTIONS[action](uow, actors, case_id)


def test_only_the_assignee_or_a_manager_works_a_claimed_case(uow, actors):
    case_id = make(uow, actors, "in_progress")
    colleague = actor_for("staff-jiangshan-v01")
    with pytest.raises(NotPermitted):
        casework.resolve(uow, colleague, case_id, "approved", "越权办结")
    with pytest.raises(NotPermitted):
        casework.resolve(uow, actors["officer"], case_id, "approved", "他单位")
    casework.resolve(uow, actors["manager"], case_id, "approved", "管理人员办结")


def test_agents_cannot_reopen_and_admins_cannot_work_cases(uow, actors):
    case_id = make(uow, actors, "resolved")
    with pytest.raises(NotPermitted):
        casework.reopen(uow, actors["agent"], case_id, "想重开")
    with pytest.raises(NotPermitted):
        casework.withdraw(uow, actors["admin"], make(uow, actors, "received"), "撤回")


def test_waiting_for_documents_moves_the_due_date_by_the_working_days_it_stood(
        uow, actors, frozen_clock):
    frozen_clock(dt.datetime(2026, 9, 28, 9, tzinfo=clock.TZ))  # Monday
    case_id = new_case(uow, actors["agent"], service="EMPLOY-CERT").case_id  # due Fri 9 Oct
    queue.claim(uow, actors["agent"], case_id)
    casework.request_documents(uow, actors["agent"], case_id, "近期照片")
    # Back on Friday 9 October: 29, 30 September and 8, 9 October were working days.
    frozen_clock(dt.datetime(2026, 10, 9, 10, tzinfo=clock.TZ))
    due = casework.documents_received(uow, actors["agent"], case_id)
    assert due == dt.date(2026, 10, 15)  # 9 Oct + 4 working days (10 Oct is a make-up day)
    with uow:
        case = uow.session.get(Case, case_id)
        event = uow.session.scalar(select(CaseEvent).where(
            CaseEvent.case_id == case_id, CaseEvent.kind == "documents_received"))
        assert (case.status, case.due_date) == ("in_progress", due)
        assert event.data["paused_working_days"] == 4


def test_resolution_keeps_its_outcome_and_result(uow, actors):
    case_id = make(uow, actors, "in_progress")
    with pytest.raises(InvalidInput):
        casework.resolve(uow, actors["agent"], case_id, "maybe", "结果")
    with pytest.raises(InvalidInput):
        casework.resolve(uow, actors["agent"], case_id, "rejected", "   ")
    casework.resolve(uow, actors["agent"], case_id, "rejected", "不符合条件：户籍不在本市")
    with uow:
        case = uow.session.get(Case, case_id)
        assert (case.status, case.outcome, case.result) == (
            "resolved", "rejected", "不符合条件：户籍不在本市")


def test_notes_and_priority_changes_are_on_the_timeline(uow, actors):
    case_id = make(uow, actors, "received")
    casework.add_note(uow, actors["agent"], case_id, "群众下午再来")
    casework.change_priority(uow, actors["agent"], case_id, "urgent", "高龄老人")
    with uow:
        case = uow.session.get(Case, case_id)
        kinds = uow.session.scalars(select(CaseEvent.kind).where(
            CaseEvent.case_id == case_id).order_by(CaseEvent.id)).all()
        assert case.priority == "urgent" and case.status == "received"
        assert kinds == ["created", "note", "priority_changed"]


def test_a_second_person_on_a_changed_case_is_told(uow, actors):
    case_id = make(uow, actors, "in_progress")
    with uow:
        version = uow.session.get(Case, case_id).version
    casework.add_note(uow, actors["agent"], case_id, "备注")  # notes do not change the row
    casework.resolve(uow, actors["agent"], case_id, "approved", "已办结", version=version)
    with pytest.raises(DomainError) as stale:
        casework.withdraw(uow, actors["agent"], case_id, "撤回", version=version)
    assert stale.value.key == "error.stale_case"


def test_only_the_actions_allowed_here_are_offered(actors):
    agent, manager = actors["agent"], actors["manager"]
    unit = agent.unit_id

    def offered(actor, status, assignee, **more):
        return lifecycle.offered(actor, lifecycle.CaseState(status, assignee, unit, **more))
    assert offered(agent, "received", None) == [
        "claim", "withdraw", "priority", "note", "assign"]
    assert offered(agent, "in_progress", agent.id) == [
        "release", "request_documents", "resolve", "withdraw", "priority", "note",
        "request_extension", "assign"]
    assert "request_extension" not in offered(agent, "in_progress", agent.id,
                                              extension_pending=True)
    colleague = actor_for("staff-jiangshan-v01")
    assert offered(colleague, "in_progress", agent.id) == [
        "withdraw", "priority", "note", "assign"]
    assert offered(agent, "resolved", agent.id) == ["deliver", "note"]
    assert offered(manager, "resolved", agent.id) == ["deliver", "note", "reopen"]
    assert offered(actors["admin"], "in_progress", agent.id) == []


def test_delivery_closes_the_case_and_takes_back_materials_but_takes_no_rating(uow, actors):
    from db.models import CaseMaterial, Feedback
    case_id = new_case(uow, actors["agent"], on_behalf=True, poa_signed=False,
                       materials=(("户口簿", 1),)).case_id
    queue.claim(uow, actors["agent"], case_id)
    casework.resolve(uow, actors["agent"], case_id, "approved", "认证通过")
    casework.deliver(uow, actors["agent"], case_id)
    with uow:
        case = uow.session.get(Case, case_id)
        material = uow.session.scalar(select(CaseMaterial))
        assert case.status == "closed" and case.closed_at is not None
        assert material.returned_copies == 1 and material.returned_at is not None
        # The rating is the citizen's own, given on the status page (tests/test_ratings.py).
        assert uow.session.scalar(select(Feedback)) is None


def test_a_case_is_assigned_to_a_colleague_of_its_unit_only(uow, actors):
    case_id = make(uow, actors, "received")
    colleague = actor_for("staff-jiangshan-v01")
    with pytest.raises(InvalidInput):
        casework.assign(uow, actors["agent"], case_id, actors["officer"].id)  # another unit
    casework.assign(uow, actors["agent"], case_id, colleague.id)
    with uow:
        case = uow.session.get(Case, case_id)
        assert (case.status, case.assignee_id) == ("in_progress", colleague.id)
    casework.assign(uow, actors["manager"], case_id, actors["agent"].id)  # a manager reassigns
    with uow:
        assert uow.session.get(Case, case_id).assignee_id == actors["agent"].id
    with pytest.raises(NotPermitted):
        casework.assign(uow, actors["admin"], case_id, colleague.id)


def test_agents_assign_only_when_the_setting_allows(uow, actors, tuned):
    tuned(agents_may_assign=False)
    case_id = make(uow, actors, "received")
    with pytest.raises(NotPermitted):
        casework.assign(uow, actors["agent"], case_id, actors["agent"].id)
    casework.assign(uow, actors["manager"], case_id, actors["agent"].id)


def test_the_whole_id_number_is_for_allowed_roles_and_each_look_is_recorded(uow, actors):
    from portal.casework import casefile
    case_id = new_case(uow, actors["agent"], id_number="11010519491231002X").case_id
    with pytest.raises(NotPermitted):
        casefile.full_id_number(uow, actors["agent"], case_id)
    assert casefile.full_id_number(uow, actors["manager"], case_id) == "11010519491231002X"
    with uow:
        looks = uow.session.scalars(select(CaseEvent.actor_id).where(
            CaseEvent.case_id == case_id, CaseEvent.kind == "id_viewed")).all()
    assert looks == [actors["manager"].id]
