"""One action, one connection, one transaction: a second connection inside an action would
double what a hall full of people costs the pool, and could read what the action's own
transaction has not committed yet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from db import engine as db_engine
from db.models import Case
from portal import settings, workdays
from portal.casework import casework, queue
from portal.handoffs import handoff, inbox
from portal.uow import UnitOfWork
from tests.factories import new_case


@contextmanager
def counted() -> Iterator[list[object]]:
    """The connections checked out of the portal's pool meanwhile; the settings and the
    calendar are forgotten first, as after a change, so they are read inside the action."""
    settings.forget()
    workdays.forget()
    checked_out: list[object] = []

    def on_checkout(connection, record, proxy) -> None:
        checked_out.append(connection)
    event.listen(db_engine.engine(), "checkout", on_checkout)
    try:
        yield checked_out
    finally:
        event.remove(db_engine.engine(), "checkout", on_checkout)


def once(action: Callable[[], object]) -> int:
    with counted() as checked_out:
        action()
    return len(checked_out)


def test_each_step_of_a_hand_off_checks_out_one_connection(committed, actors):
    agent, officer = actors["agent"], actors["officer"]
    assert once(lambda: new_case(UnitOfWork(), agent, service="EMPLOY-CERT")) == 1
    with UnitOfWork() as uow:
        case_id = uow.session.scalar(select(Case.id))
    assert once(lambda: queue.claim(UnitOfWork(), agent, case_id)) == 1
    assert once(lambda: casework.assign(UnitOfWork(), agent, case_id, agent.id)) == 1
    sent = []
    assert once(lambda: sent.append(handoff.send(UnitOfWork(), agent, case_id,
                                                 officer.unit_id, "需人社窗口办理"))) == 1
    assert once(lambda: inbox.for_case(UnitOfWork(), agent, case_id, "zh")) == 1
    assert once(lambda: handoff.return_to_sender(UnitOfWork(), officer, sent[0], "other",
                                                 "退回")) == 1
    assert once(lambda: handoff.escalate(UnitOfWork(), agent, case_id, "请镇中心办理")) == 1
    assert once(lambda: queue.unit_queue(UnitOfWork(), agent, "zh", queue.QueueFilter())) == 1


def test_a_unit_of_work_refuses_to_be_entered_inside_itself(uow):
    with uow:
        with pytest.raises(RuntimeError):
            uow.__enter__()
        assert uow.session.is_active  # the outer transaction keeps its session
    with uow:  # and after it ends the unit of work serves the next action
        pass


def test_the_rules_are_read_through_the_callers_session(committed):
    settings.forget()
    with UnitOfWork() as uow:
        uow.session.execute(select(1))  # the action's own connection
        with counted() as checked_out:
            settings.current(uow.session)
            workdays.load(uow.session)
    assert checked_out == []
