"""Queue bulk actions, the team page and the supervision page, through AppTest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from db.models import Case, Unit, User
from portal.casework import extensions, queue, supervision
from portal.messages import t
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import new_case
from tests.test_pages import app, button, page_text


def queue_page(username: str = "agent"):
    return app(username).run().switch_page("pages/queue.py").run()


def choose_cases(at, receipts: list[str]):
    at.toggle(key="bulk_open").set_value(True).run()
    picker = next(m for m in at.multiselect if m.label == t("bulk.cases", "zh"))
    return picker.set_value(receipts).run()


def held(receipts: list[str]) -> dict[str, tuple[int | None, str]]:
    with UnitOfWork() as uow:
        rows = uow.session.execute(select(Case.receipt_no, Case.assignee_id, Case.priority)
                                   .where(Case.receipt_no.in_(receipts))).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_chosen_cases_are_assigned_to_a_colleague_at_once(committed):
    agent = actor_for("agent")
    colleague = actor_for("staff-jiangshan-v01")
    receipts = [new_case(UnitOfWork(), agent).receipt_no for _ in range(3)]
    at = choose_cases(queue_page(), receipts[:2])
    next(s for s in at.selectbox if s.label == t("bulk.assign_to", "zh")).set_value(colleague.id)
    button(at, "bulk.assign").click().run()
    assert t("bulk.done", "zh", count=2, receipts="、".join(receipts[:2])) in page_text(at)
    assert held(receipts) == {receipts[0]: (colleague.id, "normal"),
                              receipts[1]: (colleague.id, "normal"),
                              receipts[2]: (None, "normal")}


def test_a_priority_change_for_several_cases_needs_a_reason(committed):
    agent = actor_for("agent")
    receipts = [new_case(UnitOfWork(), agent).receipt_no for _ in range(2)]
    at = choose_cases(queue_page(), receipts)
    button(at, "bulk.set_priority").click().run()
    assert t("casework.error.text_required", "zh") in page_text(at) or at.error
    assert {p for _, p in held(receipts).values()} == {"normal"}
    at = choose_cases(queue_page(), receipts)
    next(i for i in at.text_input if i.label == t("bulk.reason", "zh")).input("群众催办")
    button(at, "bulk.set_priority").click().run()
    assert {p for _, p in held(receipts).values()} == {"urgent"}


def test_a_case_claimed_meanwhile_is_named_and_the_others_still_go_through(committed):
    agent = actor_for("agent")
    colleague = actor_for("staff-jiangshan-v01")
    receipts = [new_case(UnitOfWork(), agent) for _ in range(2)]
    at = choose_cases(queue_page(), [r.receipt_no for r in receipts])
    queue.claim(UnitOfWork(), colleague, receipts[0].case_id)  # after the page was drawn
    next(s for s in at.selectbox if s.label == t("bulk.assign_to", "zh")).set_value(agent.id)
    button(at, "bulk.assign").click().run()
    text = page_text(at)
    assert t("bulk.done", "zh", count=1, receipts=receipts[1].receipt_no) in text
    assert t("error.stale_case", "zh", receipt_no=receipts[0].receipt_no,
             by=colleague.display_name) in text
    assert held([receipts[0].receipt_no])[receipts[0].receipt_no][0] == colleague.id


def test_a_manager_switches_on_fewest_open_and_marks_a_person_on_leave(committed):
    manager = actor_for("mgr-jiangshan")
    agent = actor_for("agent")
    try:
        at = app("mgr-jiangshan").run().switch_page("pages/team.py").run()
        at.selectbox(key="team_unit").set_value(agent.unit_id).run()
        at.radio[0].set_value("fewest_open")
        button(at, "team.save").click().run()
        assert t("team.saved", "zh") in page_text(at)
        at.selectbox(key=f"team_member_{agent.unit_id}").set_value(agent.id).run()
        next(c for c in at.checkbox if c.label == t("team.on_leave", "zh")).check()
        next(b for b in at.button if b.label == t("team.save", "zh")
             and b.form_id == f"member_{agent.id}").click().run()
        with UnitOfWork() as uow:
            mode = uow.session.scalar(select(Unit.auto_assign).where(Unit.id == agent.unit_id))
            on_leave = uow.session.scalar(select(User.on_leave).where(User.id == agent.id))
        assert (mode, on_leave) == ("fewest_open", True)
        assert manager.unit_id != agent.unit_id  # the town's manager, over a village point
    finally:
        with UnitOfWork() as uow:
            uow.session.execute(update(Unit).where(Unit.id == agent.unit_id)
                                .values(auto_assign="off", auto_assign_last=None))
            uow.session.execute(update(User).where(User.id == agent.id).values(on_leave=False))
            uow.commit()


def test_the_manager_sees_overdue_cases_and_decides_an_extension_from_the_list(committed):
    agent = actor_for("agent")
    late = new_case(UnitOfWork(), agent)
    asking = new_case(UnitOfWork(), agent)
    for receipt in (late, asking):
        queue.claim(UnitOfWork(), agent, receipt.case_id)
    with UnitOfWork() as uow:
        uow.session.execute(update(Case).where(Case.id == late.case_id)
                            .values(due_date=dt.date.today() - dt.timedelta(days=20)))
        uow.commit()
    supervision.sweep(UnitOfWork())
    new_due = asking.due_date + dt.timedelta(days=10)
    extensions.request(UnitOfWork(), agent, asking.case_id, new_due, "等待不动产登记")

    at = app("mgr-jiangshan").run().switch_page("pages/supervision.py").run()
    receipts = [set(d.value[t("col.receipt_no", "zh")]) for d in at.dataframe]
    assert f"case?receipt={late.receipt_no}" in receipts[0]  # supervision notices
    assert f"case?receipt={asking.receipt_no}" in receipts[-1]  # extensions to decide
    button(at, "extension.decide").click().run()
    assert t("extension.decided", "zh", receipt_no=asking.receipt_no) in page_text(at)
    with UnitOfWork() as uow:
        due = uow.session.scalar(select(Case.due_date).where(Case.id == asking.case_id))
    assert due == new_due
