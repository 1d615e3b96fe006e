"""Assignment: automatic (even spread, turns, leave, qualifications), team settings, bulk."""

from collections import Counter

import pytest
from sqlalchemy import select, update

from db.models import AdminChange, Case, CaseEvent, ServiceType, Unit, User, UserQualification
from portal import assignment
from portal.assignment import Person
from portal.casework import bulk, queue, team
from portal.errors import InvalidInput, NotPermitted, StaleCase
from portal.handoffs import handoff
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import at_once, new_case


def add_people(uow, unit_id: int, count: int, *, on_leave: bool = False) -> list[int]:
    with uow:
        people = [User(username=f"t-{unit_id}-{on_leave}-{i}", display_name=f"测试{i}",
                       role="agent", unit_id=unit_id, password_hash="x", on_leave=on_leave)
                  for i in range(count)]
        uow.session.add_all(people)
        uow.commit()
        return [p.id for p in people]


def only_these_people(uow, actors, count: int, mode: str, **unit) -> list[int]:
    """The agent's unit in `mode`, everyone already there on leave, and `count` new people."""
    agent = actors["agent"]
    with uow:
        uow.session.execute(update(User).where(User.unit_id == agent.unit_id)
                            .values(on_leave=True))
        uow.session.execute(update(Unit).where(Unit.id == agent.unit_id)
                            .values(auto_assign=mode, **unit))
        uow.commit()
    return add_people(uow, agent.unit_id, count)


def state(uow, case_id: int) -> tuple[str, int | None]:
    with uow:
        return tuple(uow.session.execute(select(Case.status, Case.assignee_id).where(
            Case.id == case_id)).one())


def assignees(uow, receipts) -> list[int | None]:
    with uow:
        by_id = dict(uow.session.execute(select(Case.id, Case.assignee_id).where(
            Case.id.in_([r.case_id for r in receipts]))).all())
    return [by_id[r.case_id] for r in receipts]


def test_fewest_open_spreads_100_cases_over_5_people_within_one_and_skips_leave(uow, actors):
    people = only_these_people(uow, actors, 5, "fewest_open")
    away = add_people(uow, actors["agent"].unit_id, 1, on_leave=True)
    receipts = [new_case(uow, actors["agent"]) for _ in range(100)]
    counts = Counter(assignees(uow, receipts))
    assert set(counts) == set(people)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert away[0] not in counts


def test_fewest_open_gives_new_cases_to_the_least_loaded_until_even(uow, actors):
    people = only_these_people(uow, actors, 3, "fewest_open")
    first = [new_case(uow, actors["agent"]) for _ in range(3)]
    # Person 0 goes on leave with one case; the other two take the next four, two each.
    with uow:
        uow.session.execute(update(User).where(User.id == people[0]).values(on_leave=True))
        uow.commit()
    later = Counter(assignees(uow, [new_case(uow, actors["agent"]) for _ in range(4)]))
    assert later == {people[1]: 2, people[2]: 2}
    assert Counter(assignees(uow, first)) == dict.fromkeys(people, 1)


def test_round_robin_takes_turns_in_order(uow, actors):
    people = only_these_people(uow, actors, 3, "round_robin")
    receipts = [new_case(uow, actors["agent"]) for _ in range(7)]
    assert assignees(uow, receipts) == [*people, *people, people[0]]


def test_an_auto_assigned_case_is_in_progress_with_an_event_and_no_actor(uow, actors):
    people = only_these_people(uow, actors, 1, "round_robin")
    receipt = new_case(uow, actors["agent"])
    with uow:
        event = uow.session.execute(select(CaseEvent.kind, CaseEvent.actor_id, CaseEvent.data)
                                    .where(CaseEvent.case_id == receipt.case_id)
                                    .order_by(CaseEvent.id.desc()).limit(1)).one()
    assert state(uow, receipt.case_id) == ("in_progress", people[0])
    assert (event.kind, event.actor_id, event.data["to"]) == ("auto_assigned", None, people[0])


def test_a_case_waiting_for_documents_is_assigned_but_stays_waiting(uow, actors):
    people = only_these_people(uow, actors, 1, "fewest_open")
    receipt = new_case(uow, actors["agent"], brought=(False,) * 10)
    assert state(uow, receipt.case_id) == ("waiting_citizen", people[0])


def test_qualified_only_chooses_people_of_the_services_department(uow, actors):
    people = only_these_people(uow, actors, 3, "round_robin", auto_assign_qualified=True)
    with uow:
        department = uow.session.scalar(select(ServiceType.department_id).where(
            ServiceType.code == "PENSION-CERT"))
        uow.session.add(UserQualification(user_id=people[1], department_id=department))
        uow.commit()
    receipts = [new_case(uow, actors["agent"]) for _ in range(3)]
    assert assignees(uow, receipts) == [people[1]] * 3


def test_with_nobody_available_the_case_waits_unassigned_in_the_unit_queue(uow, actors):
    only_these_people(uow, actors, 0, "fewest_open")
    receipt = new_case(uow, actors["agent"])
    assert state(uow, receipt.case_id) == ("received", None)


def test_with_assignment_off_cases_wait_in_the_unit_queue(uow, actors):
    receipt = new_case(uow, actors["agent"])
    assert assignees(uow, [receipt]) == [None]


def test_a_case_accepted_from_a_hand_off_is_assigned_in_the_receiving_unit(uow, actors):
    officer = actors["officer"]
    with uow:
        uow.session.execute(update(Unit).where(Unit.id == officer.unit_id)
                            .values(auto_assign="round_robin"))
        uow.commit()
    receipt = new_case(uow, actors["agent"])
    handoff_id = handoff.send(uow, actors["agent"], receipt.case_id, officer.unit_id, "转办")
    handoff.accept(uow, officer, handoff_id)
    with uow:
        service = uow.session.scalar(select(Case.service_type_id).where(
            Case.id == receipt.case_id))
        rota = [p.id for p in assignment.rota(uow.session, uow.session.get(Unit, officer.unit_id),
                                              service)]
    status, assignee = state(uow, receipt.case_id)
    assert status == "in_progress" and assignee in rota


def test_choose_goes_on_after_the_last_person_and_prefers_the_least_loaded():
    people = [Person(1, 3), Person(2, 1), Person(3, 1)]
    assert assignment.choose("round_robin", people, last=1) == 2
    assert assignment.choose("round_robin", people, last=3) == 1
    assert assignment.choose("fewest_open", people, last=None) == 2
    assert assignment.choose("fewest_open", people, last=2) == 3  # a tie goes on in turn


def test_cases_taken_in_at_once_are_still_spread_evenly(committed, actors):
    agent = actors["agent"]
    with UnitOfWork() as uow:
        people = [u.id for u in uow.session.scalars(select(User).where(
            User.unit_id == agent.unit_id, User.role.in_(assignment.ROTA_ROLES)))]
        uow.session.execute(update(Unit).where(Unit.id == agent.unit_id)
                            .values(auto_assign="fewest_open"))
        uow.commit()
    try:
        receipts = []
        at_once(lambda: receipts.extend(new_case(UnitOfWork(), agent) for _ in range(5)),
                [()] * 8)
        counts = Counter(assignees(UnitOfWork(), receipts))
        assert sum(counts.values()) == 40 and set(counts) == set(people)
        assert max(counts.values()) - min(counts.values()) <= 1
    finally:
        with UnitOfWork() as uow:
            uow.session.execute(update(Unit).where(Unit.id == agent.unit_id)
                                .values(auto_assign="off", auto_assign_last=None))
            uow.commit()


def test_a_manager_sets_leave_and_the_change_is_recorded(uow, actors):
    manager = actor_for("mgr-jiangshan")
    person = add_people(uow, actors["agent"].unit_id, 1)[0]
    team.set_leave(uow, manager, person, True)
    members = {m.id: m for m in team.members(uow, manager, actors["agent"].unit_id)}
    assert members[person].on_leave
    with uow:
        change = uow.session.execute(select(AdminChange.before, AdminChange.after).where(
            AdminChange.entity == "user.on_leave").order_by(AdminChange.id.desc())).first()
    assert tuple(change) == ({"on_leave": False}, {"on_leave": True})


def test_team_settings_are_for_managers_over_the_unit_only(uow, actors):
    unit_id = actors["agent"].unit_id
    with pytest.raises(NotPermitted):
        team.set_assignment(uow, actors["agent"], unit_id, "fewest_open", False)
    with pytest.raises(NotPermitted):
        team.set_assignment(uow, actor_for("mgr-shuiji"), unit_id, "fewest_open", False)
    team.set_assignment(uow, actor_for("mgr-jiangshan"), unit_id, "fewest_open", True)
    assert team.assignment_of(uow, actors["manager"], unit_id) == team.Assignment(
        "fewest_open", True)


def test_bulk_assign_refuses_a_case_changed_since_it_was_chosen_and_does_the_rest(uow, actors):
    agent, colleague = actors["agent"], actor_for("staff-jiangshan-v01")
    receipts = [new_case(uow, agent) for _ in range(3)]
    picked = [bulk.Picked(r.case_id, r.receipt_no, 1) for r in receipts]
    queue.claim(uow, colleague, receipts[1].case_id)
    outcome = bulk.assign(uow, agent, picked, agent.id)
    assert outcome.done == [receipts[0].receipt_no, receipts[2].receipt_no]
    [(receipt_no, error)] = outcome.refused
    assert receipt_no == receipts[1].receipt_no
    assert isinstance(error, StaleCase) and error.params["by"] == colleague.display_name
    assert assignees(uow, receipts) == [agent.id, colleague.id, agent.id]


def test_bulk_priority_without_a_reason_or_without_cases_changes_nothing(uow, actors):
    receipt = new_case(uow, actors["agent"])
    picked = [bulk.Picked(receipt.case_id, receipt.receipt_no, 1)]
    with pytest.raises(InvalidInput):
        bulk.change_priority(uow, actors["agent"], picked, "urgent", "  ")
    with pytest.raises(InvalidInput):
        bulk.change_priority(uow, actors["agent"], [], "urgent", "催办")
    outcome = bulk.change_priority(uow, actors["agent"], picked, "urgent", "催办")
    assert outcome.done == [receipt.receipt_no] and not outcome.refused
