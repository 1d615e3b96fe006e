"""The hand-off cycle through AppTest: the case file sends, the inbox answers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from db.models import Case, Handoff, Unit
from portal.casework import queue
from portal.handoffs import handoff, joint
from portal.messages import t
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import new_case
from tests.test_pages import app, page_text


def unit_id(code: str) -> int:
    with UnitOfWork() as uow:
        return uow.session.scalar(select(Unit.id).where(Unit.code == code))


def case_page(username: str, receipt_no: str):
    at = app(username).run().switch_page("pages/case.py").run()
    return at.text_input[0].input(receipt_no).run()


def inbox_page(username: str):
    return app(username).run().switch_page("pages/handoffs.py").run()


def submit(at, label_key: str, form_id: str):
    next(b for b in at.button if b.label == t(label_key, "zh") and b.form_id == form_id
         ).click().run()
    return at


def in_form(widgets, label_key: str, form_id: str):
    return next(w for w in widgets if w.label == t(label_key, "zh") and w.form_id == form_id)


def claimed_case(service: str = "EMPLOY-CERT"):
    agent = actor_for("agent")
    receipt = new_case(UnitOfWork(), agent, service=service)
    queue.claim(UnitOfWork(), agent, receipt.case_id)
    return receipt


def status_of(case_id: int) -> tuple[int, str]:
    with UnitOfWork() as uow:
        return tuple(uow.session.execute(select(Case.unit_id, Case.status).where(
            Case.id == case_id)).one())


def test_sent_from_the_case_file_returned_from_the_inbox_resent_and_accepted(committed):
    receipt = claimed_case()
    officer = actor_for("officer")

    # The case file suggests the town's social security window for this service.
    at = case_page("agent", receipt.receipt_no)
    target = in_form(at.selectbox, "handoff.to_unit", "case_handoff_send")
    assert target.value == officer.unit_id
    in_form(at.text_input, "handoff.reason", "case_handoff_send").input("需镇人社窗口办理")
    submit(at, "handoff.send", "case_handoff_send")
    assert t("handoff.sent", "zh", receipt_no=receipt.receipt_no) in page_text(at)

    # The window returns it with a reason from the list.
    at = inbox_page("officer")
    in_form(at.selectbox, "handoff.return_category", "answer").set_value("wrong_tier")
    in_form(at.text_input, "handoff.return_reason", "answer").input("应由市人社窗口办理")
    submit(at, "handoff.return", "answer")
    assert t("handoff.returned", "zh", receipt_no=receipt.receipt_no) in page_text(at)

    # Back on the agent's case file, the reason is on top; the agent resends it.
    at = case_page("agent", receipt.receipt_no)
    assert at.warning[0].value == t("handoff.returned_banner", "zh", unit=officer.unit_name("zh"),
                                    category=t("return.wrong_tier", "zh"),
                                    reason="应由市人社窗口办理")
    city_hrss = unit_id("city-hrss")
    in_form(at.selectbox, "handoff.to_unit", "case_handoff_send").set_value(city_hrss)
    in_form(at.text_input, "handoff.reason", "case_handoff_send").input("按退回意见转市人社")
    submit(at, "handoff.send", "case_handoff_send")

    at = inbox_page("staff-city-hrss")
    submit(at, "handoff.accept", "answer")
    assert status_of(receipt.case_id) == (city_hrss, "received")
    timeline = page_text(case_page("staff-city-hrss", receipt.receipt_no))
    for kind in ("handoff_requested", "handoff_returned", "handoff_accepted"):
        assert t(f"event.{kind}", "zh") in timeline


def test_the_sender_withdraws_a_pending_hand_off_from_the_inbox(committed):
    receipt = claimed_case()
    handoff.send(UnitOfWork(), actor_for("agent"), receipt.case_id, actor_for("officer").unit_id,
                 "转办")
    at = inbox_page("agent")
    submit(at, "handoff.withdraw", "withdraw")
    assert t("handoff.withdrawn", "zh", receipt_no=receipt.receipt_no) in page_text(at)
    assert status_of(receipt.case_id)[1] == "in_progress"


def test_escalate_from_the_case_file(committed):
    receipt = claimed_case()
    at = case_page("agent", receipt.receipt_no)
    in_form(at.text_input, "handoff.reason", "case_handoff_escalate").input("村级无法办理")
    submit(at, "handoff.escalate", "case_handoff_escalate")
    at = inbox_page("mgr-jiangshan")
    assert f"case?receipt={receipt.receipt_no}" in set(
        at.dataframe[0].value[t("col.receipt_no", "zh")])


def test_joint_parts_are_sent_from_the_case_file_and_completed_from_the_inboxes(committed):
    receipt = claimed_case()
    windows = ["jiangshan-hrss", "jiangshan-civil", "city-land"]
    for i, window in enumerate(windows):
        at = case_page("agent", receipt.receipt_no)
        in_form(at.selectbox, "handoff.to_unit", "case_joint_send").set_value(unit_id(window))
        in_form(at.text_input, "joint.part", "case_joint_send").input(f"第{i + 1}部分")
        submit(at, "joint.send", "case_joint_send")
        assert t("joint.sent", "zh", receipt_no=receipt.receipt_no) in page_text(at)
    with UnitOfWork() as uow:
        assert joint.open_parts(uow, receipt.case_id) == 3
    resolve = t("casework.resolve", "zh")
    at = case_page("agent", receipt.receipt_no)
    assert resolve not in [e.label for e in at.expander]  # it would be refused: parts are open
    for window in windows:
        submit(inbox_page(f"staff-{window}"), "handoff.accept", "answer")
        at = inbox_page(f"staff-{window}")
        in_form(at.text_area, "joint.result", "complete_part").input("已完成")
        submit(at, "joint.complete", "complete_part")
        assert t("joint.completed", "zh", receipt_no=receipt.receipt_no) in page_text(at)
    at = case_page("agent", receipt.receipt_no)
    parts = at.dataframe[0].value[t("col.progress", "zh")]
    assert list(parts) == [t("joint.progress.done", "zh")] * 3
    next(a for a in at.text_area if a.label == t("casework.result_text", "zh")).input("已办结")
    next(b for b in at.button if b.label == t("casework.resolve", "zh")).click().run()
    assert status_of(receipt.case_id)[1] == "resolved"


def test_a_disputed_return_is_decided_by_the_town_manager(committed):
    receipt = claimed_case()
    agent, officer = actor_for("agent"), actor_for("officer")
    sent = handoff.send(UnitOfWork(), agent, receipt.case_id, officer.unit_id, "转办")
    handoff.return_to_sender(UnitOfWork(), officer, sent, "not_our_department", "不属本窗口")
    at = inbox_page("agent")
    in_form(at.text_area, "dispute.reason", "dispute").input("清单明确由人社窗口办理")
    submit(at, "dispute.refer", "dispute")
    assert t("dispute.referred", "zh", receipt_no=receipt.receipt_no) in page_text(at)
    at = inbox_page("mgr-jiangshan")
    in_form(at.radio, "dispute.side", "decide").set_value(officer.unit_id)
    submit(at, "dispute.decide", "decide")
    assert status_of(receipt.case_id) == (officer.unit_id, "received")
    at = case_page("officer", receipt.receipt_no)
    assert t("handoff.responsible_banner", "zh", unit=officer.unit_name("zh")) in page_text(at)
    # Only escalation is offered to the first-responsible window.
    forms = {b.form_id for b in at.button}
    assert "case_handoff_escalate" in forms and "case_handoff_send" not in forms


def test_a_hand_off_past_the_limit_is_flagged_in_both_inboxes(committed):
    receipt = claimed_case()
    sent = handoff.send(UnitOfWork(), actor_for("agent"), receipt.case_id,
                        actor_for("officer").unit_id, "转办")
    with UnitOfWork() as uow:
        uow.session.execute(update(Handoff).where(Handoff.id == sent).values(
            requested_at=Handoff.requested_at - dt.timedelta(days=7)))
        uow.commit()
    for username in ("officer", "agent"):
        assert t("handoff.late_warning", "zh", count=1) in page_text(inbox_page(username))
    at = app("mgr-jiangshan").run().switch_page("pages/supervision.py").run()
    late = [d.value for d in at.dataframe]
    assert any(f"case?receipt={receipt.receipt_no}" in set(d[t("col.receipt_no", "zh")])
               for d in late)
