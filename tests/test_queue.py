"""The unit queue and claiming: each unit sees its own open cases; a case is claimed once."""

import threading

import pytest
from sqlalchemy import select

from db.models import Case, CaseEvent
from portal import queue
from portal.errors import InvalidTransition, NotPermitted, StaleCase
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import new_case


def test_queue_lists_own_unit_cases_soonest_due_first(uow, actors):
    slow = new_case(uow, actors["agent"], service="INFO-REQUEST")  # 20 working days
    fast = new_case(uow, actors["agent"], service="PENSION-CERT")  # 1 working day
    frame = queue.unit_queue(uow, actors["agent"], "zh")
    assert list(frame["receipt_no"]) == [fast.receipt_no, slow.receipt_no]
    assert frame.loc[0, "service"] == "养老金领取资格认证"


def test_queue_speaks_english_when_asked(uow, actors):
    new_case(uow, actors["agent"])
    assert queue.unit_queue(uow, actors["agent"], "en").loc[0, "service"] == (
        "Pension eligibility certification")


def test_other_units_do_not_see_the_case(uow, actors):
    new_case(uow, actors["agent"])
    assert queue.unit_queue(uow, actors["officer"], "zh").empty
    assert queue.open_count(uow, actors["officer"]) == 0


def test_city_manager_sees_every_unit(uow, actors):
    new_case(uow, actors["agent"])
    assert queue.open_count(uow, actors["manager"]) == 1


def test_claim_assigns_the_case_and_writes_the_event(uow, actors):
    receipt = new_case(uow, actors["agent"])
    queue.claim(uow, actors["agent"], receipt.case_id, version=1)
    frame = queue.unit_queue(uow, actors["agent"], "zh")
    assert frame.loc[0, "status"] == "in_progress"
    assert frame.loc[0, "assignee"] == actors["agent"].display_name
    with uow:
        kinds = uow.session.scalars(select(CaseEvent.kind).where(
            CaseEvent.case_id == receipt.case_id).order_by(CaseEvent.id)).all()
    assert kinds == ["created", "claimed"]


def test_claiming_a_case_of_another_unit_is_refused(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with pytest.raises(NotPermitted):
        queue.claim(uow, actors["officer"], receipt.case_id)


def test_claim_with_an_old_version_is_refused(uow, actors):
    receipt = new_case(uow, actors["agent"])
    queue.claim(uow, actors["agent"], receipt.case_id, version=1)
    colleague = actor_for("staff-jiangshan-v01")
    with pytest.raises(StaleCase):
        queue.claim(uow, colleague, receipt.case_id, version=1)


def test_claimed_case_cannot_be_claimed_again(uow, actors):
    receipt = new_case(uow, actors["agent"])
    queue.claim(uow, actors["agent"], receipt.case_id)
    with pytest.raises(InvalidTransition) as refused:
        queue.claim(uow, actor_for("staff-jiangshan-v01"), receipt.case_id)
    assert refused.value.key == "error.already_claimed"


def test_two_agents_claiming_at_once_exactly_one_wins(committed, actors):
    receipt = new_case(UnitOfWork(), actors["agent"])
    agents = [actors["agent"], actor_for("staff-jiangshan-v01")] * 3
    barrier = threading.Barrier(len(agents))
    won, refused = [], []

    def claim(actor):
        barrier.wait()
        try:
            queue.claim(UnitOfWork(), actor, receipt.case_id, version=1)
            won.append(actor.username)
        except (StaleCase, InvalidTransition) as error:
            refused.append(error)

    threads = [threading.Thread(target=claim, args=(a,)) for a in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1 and len(refused) == len(agents) - 1
    with UnitOfWork() as uow:
        case = uow.session.get(Case, receipt.case_id)
        claims = uow.session.scalars(select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "claimed")).all()
        assert case.assignee_id is not None and case.version == 2
        assert len(claims) == 1


def test_a_manager_above_the_unit_sees_but_does_not_claim_its_cases(uow, actors):
    receipt = new_case(uow, actors["agent"])
    assert list(queue.unit_queue(uow, actors["manager"], "zh")["receipt_no"]) == [
        receipt.receipt_no]
    with pytest.raises(NotPermitted):
        queue.claim(uow, actors["manager"], receipt.case_id)


def test_queue_shows_times_on_the_programmes_clock(uow, actors, frozen_clock):
    import datetime as dt

    from portal import clock
    frozen_clock(dt.datetime(2026, 11, 26, 9, 30, tzinfo=clock.TZ))
    new_case(uow, actors["agent"])
    assert queue.unit_queue(uow, actors["agent"], "zh").loc[0, "received_at"] == (
        dt.datetime(2026, 11, 26, 9, 30))
