"""Messages to citizens and staff: written in the event's transaction, sent by the worker
through its adapters, retried, given up, resent; an SMTP server of the test's own receives
exactly the mails expected; a worker killed mid-batch and started again sends every message,
none accepted twice by the gateway's idempotency check."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, text

from db import engine as db_engine
from db.config import ROOT
from db.models import Case, Notification, OutboxMessage
from portal import clock, outbox
from portal.casework import casework, queue, waiting
from portal.errors import InvalidInput
from portal.handoffs import handoff
from portal.messaging import adapters, bell, templates, worker
from portal.uow import UnitOfWork
from tests.factories import new_case


def _messages(uow, case_id: int) -> list:
    with uow:
        return list(uow.session.execute(select(*OutboxMessage.__table__.c).where(
            OutboxMessage.case_id == case_id).order_by(OutboxMessage.id)))


def _worked(uow, actors, **form) -> int:
    receipt = new_case(uow, actors["agent"], **form)
    queue.claim(uow, actors["agent"], receipt.case_id)
    return receipt.case_id


def test_asking_for_documents_writes_the_citizens_text_message_with_the_action(uow, actors,
                                                                               tuned):
    tuned(public_base_url="https://zwfw.laixi.gov.cn")
    case_id = _worked(uow, actors, phone="13912345678")
    casework.request_documents(uow, actors["agent"], case_id, "户口簿原件")
    [sms] = _messages(uow, case_id)
    assert (sms.channel, sms.recipient, sms.state) == ("sms", "13912345678", "pending")
    assert "户口簿原件" in sms.body and "https://zwfw.laixi.gov.cn/status?r=LX-" in sms.body


def test_a_refused_action_writes_no_message(uow, actors):
    case_id = _worked(uow, actors)
    with pytest.raises(InvalidInput):
        casework.request_documents(uow, actors["agent"], case_id, "")
    assert _messages(uow, case_id) == []


def test_the_result_goes_by_text_and_by_e_mail_when_the_citizen_gave_one(uow, actors):
    case_id = _worked(uow, actors, contact_email="wang@example.cn")
    casework.resolve(uow, actors["agent"], case_id, "approved", "证明已开具，请到窗口领取")
    sms, mail = _messages(uow, case_id)
    assert (sms.channel, mail.channel, mail.recipient) == ("sms", "email", "wang@example.cn")
    assert "证明已开具" in mail.body and mail.subject.startswith("办理结果")


def test_a_hand_off_tells_the_receiving_units_staff_in_their_language(uow, actors):
    officer = actors["officer"]
    with uow:
        uow.session.execute(text("UPDATE users SET language = 'en' WHERE id = :u"),
                            {"u": officer.id})
        uow.commit()
    case_id = _worked(uow, actors)
    handoff.send(uow, actors["agent"], case_id, officer.unit_id, "需人社窗口办理")
    told = {m.recipient: m for m in _messages(uow, case_id) if m.event == "handoff_received"}
    assert str(officer.id) in told and told[str(officer.id)].channel == "app"
    assert told[str(officer.id)].subject.startswith("New hand-off")


def test_nobody_is_told_of_what_they_did_themself(uow, actors):
    case_id = new_case(uow, actors["agent"]).case_id
    casework.assign(uow, actors["agent"], case_id, actors["agent"].id)
    assert [m for m in _messages(uow, case_id) if m.event == "case_assigned"] == []


def test_the_worker_rings_the_bell_once_and_the_user_reads_it(uow, actors):
    officer = actors["officer"]
    case_id = _worked(uow, actors)
    handoff.send(uow, actors["agent"], case_id, officer.unit_id, "需人社窗口办理")
    factory = lambda: UnitOfWork(uow._factory)  # noqa: E731 - the test's own transaction
    before = _unread(uow, officer)
    done = worker.send_due({"app": adapters.InApp(), "sms": adapters.Recording()},
                           uow_factory=factory)
    assert done.sent >= 1 and _unread(uow, officer) == before + 1
    assert worker.send_due({"app": adapters.InApp()}, uow_factory=factory).tried == 0
    [note, *_] = bell.listing(uow, officer)
    assert not note.read and note.subject.startswith("新移交")
    assert bell.mark_read(uow, officer) >= 1 and _unread(uow, officer) == 0
    assert waiting.counts(uow, officer).unread == 0  # the bell in the menu


def _unread(uow, actor) -> int:
    return sum(not note.read for note in bell.listing(uow, actor))


class Failing:
    def send(self, session, message):
        raise OSError("gateway down")


def test_a_failing_gateway_is_tried_again_later_then_given_up_and_resent_by_an_admin(
        uow, actors, frozen_clock):
    case_id = _worked(uow, actors)
    casework.request_documents(uow, actors["agent"], case_id, "身份证复印件")
    factory = lambda: UnitOfWork(uow._factory)  # noqa: E731
    moment = clock.now()
    for _ in range(worker.MAX_ATTEMPTS):
        moment += dt.timedelta(hours=2)  # past every wait
        frozen_clock(moment)
        assert worker.send_due({"sms": Failing()}, uow_factory=factory).tried == 1
    [sms] = _messages(uow, case_id)
    assert (sms.state, sms.attempts) == ("dead", worker.MAX_ATTEMPTS)
    assert "gateway down" in sms.last_error
    admin = actors["admin"]
    assert [d.id for d in templates.dead_letters(uow, admin)] == [sms.id]
    assert templates.resend(uow, admin, [sms.id]) == 1
    recording = adapters.Recording()
    assert worker.send_due({"sms": recording}, uow_factory=factory).sent == 1
    assert [r[0] for r in recording.sent] == [sms.idempotency_key]


def test_the_backoff_doubles_from_thirty_seconds_to_at_most_an_hour(frozen_clock):
    frozen_clock(clock.now())
    waits = [(outbox.due_at(n) - clock.now()).total_seconds() for n in (1, 2, 3, 9)]
    assert waits == [30, 60, 120, 3600]


def test_an_admin_rewords_a_template_and_the_next_message_says_it(uow, actors):
    admin = actors["admin"]
    with pytest.raises(InvalidInput) as refused:
        templates.save(uow, admin, "documents_requested", "zh", "补材料", "请带 {password}")
    assert refused.value.errors == {"body": "template.error.placeholder"}
    templates.save(uow, admin, "documents_requested", "zh", "补材料 {receipt_no}",
                   "请补交{documents}，回执 {receipt_no}")
    case_id = _worked(uow, actors)
    casework.request_documents(uow, actors["agent"], case_id, "户口簿")
    [sms] = _messages(uow, case_id)
    assert sms.body.startswith("请补交户口簿，回执 LX-")
    edited = [w for w in templates.listing(uow, admin) if w.edited]
    assert [(w.event, w.language) for w in edited] == [("documents_requested", "zh")]


@pytest.fixture
def smtp_server():
    received: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
            return "250 OK"

    with socket.socket() as probe:  # a free port: the controller checks it by connecting
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", received
    controller.stop()


def test_an_smtp_server_receives_exactly_the_mails_expected(committed, actors, smtp_server):
    url, received = smtp_server
    uow = UnitOfWork()
    with_mail = _worked(uow, actors, contact_email="li@example.cn")
    _worked(uow, actors)  # no e-mail given: a text message only
    casework.request_documents(uow, actors["agent"], with_mail, "房产证复印件")
    casework.documents_received(uow, actors["agent"], with_mail)
    casework.resolve(uow, actors["agent"], with_mail, "approved", "已办结")
    chosen = {"email": adapters.Smtp(url, "noreply@laixi.gov.cn"), "sms": adapters.Recording(),
              "app": adapters.InApp()}
    worker.send_due(chosen)
    assert sorted(m["Subject"].split("：")[0] for _, m in received) == ["办理结果", "请补交材料"]
    assert all(to == ["li@example.cn"] for to, _ in received)
    keys = {m["Message-ID"].strip() for _, m in received}
    with UnitOfWork() as check:
        sent = set(check.session.scalars(select(OutboxMessage.idempotency_key).where(
            OutboxMessage.channel == "email", OutboxMessage.state == "sent")))
    assert keys == {f"<{k}@laixi.gov.cn>" for k in sent}
    assert "房产证复印件" in received[0][1].get_content()


class Gateway(BaseHTTPRequestHandler):
    """An SMS gateway that takes a while per message and drops a key it has seen."""

    accepted: dict[str, int] = {}
    repeated: list[str] = []
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(0.02)
        with self.lock:
            key = self.headers["Idempotency-Key"]
            assert key == body["idempotency_key"]
            if key in self.accepted:
                self.repeated.append(key)
            else:
                self.accepted[key] = 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def _worker(gateway_port: int, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PORTAL_SMS_URL": f"http://127.0.0.1:{gateway_port}/send"}
    return subprocess.Popen([sys.executable, "-m", "portal", "send-messages", *args], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_worker_killed_mid_batch_and_started_again_sends_every_message_once(committed):
    Gateway.accepted, Gateway.repeated = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    now = clock.now()
    with db_engine.engine().begin() as conn:
        conn.execute(OutboxMessage.__table__.insert(), [
            {"event": "documents_requested", "channel": "sms", "recipient": f"1391234{n:04d}",
             "subject": "", "body": f"message {n}", "idempotency_key": f"kill-test-{n}",
             "created_at": now, "next_attempt_at": now} for n in range(120)])
    try:
        first = _worker(server.server_port, "--watch")
        deadline = time.monotonic() + 60
        while len(Gateway.accepted) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = len(Gateway.accepted)
        assert 30 <= killed_at < 120, "the worker was killed mid-batch"
        assert _worker(server.server_port).wait(timeout=120) == 0
    finally:
        server.shutdown()
    assert set(Gateway.accepted) == {f"kill-test-{n}" for n in range(120)}
    assert len(Gateway.repeated) <= 1  # at most the one in flight when it died
    with UnitOfWork() as check:
        states = dict(check.session.execute(select(OutboxMessage.state, func.count())
                                            .group_by(OutboxMessage.state)).tuples().all())
        assert states == {"sent": 120}
        assert check.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_case_taken_in_without_its_documents_tells_the_citizen_what_to_bring(uow, actors):
    brought_all = new_case(uow, actors["agent"])
    assert _messages(uow, brought_all.case_id) == []
    missing = new_case(uow, actors["agent"], brought=(False,) * 10, phone="13912340001")
    [sms] = _messages(uow, missing.case_id)
    assert sms.recipient == "13912340001" and "还需补交：居民身份证" in sms.body


@pytest.mark.parametrize("body", [
    "{result:d}", "{result:>5000}", "{result!r}", "{result!a}", "{result.__class__}",
    "{result[0]}", "{0}", "{}", "{result:{link}}", "{result", "result}"])
def test_a_template_may_hold_only_bare_placeholders(uow, actors, body):
    with pytest.raises(InvalidInput) as refused:
        templates.save(uow, actors["admin"], "result_ready", "zh", "结果 {receipt_no}", body)
    assert refused.value.errors == {"body": "template.error.placeholder"}


def test_a_template_that_could_render_past_the_limit_is_refused_with_its_worst_case(
        uow, actors):
    body = "{result}" * 4  # four results at their longest: 1,200 characters
    with pytest.raises(InvalidInput) as refused:
        templates.save(uow, actors["admin"], "result_ready", "zh", "结果", body)
    assert refused.value.errors == {"body": "template.error.rendered_too_long"}
    assert refused.value.field_params["body"] == {"n": 4 * outbox.VALUE_MAX["result"],
                                                  "limit": outbox.RENDERED_MAX["body"]}


def test_a_template_saved_before_the_rules_does_not_stop_a_resolution(uow, actors):
    # Stored as it could be before templates were checked: str.format would raise on it.
    with uow:
        uow.session.execute(text("INSERT INTO message_templates VALUES "
                                 "('result_ready', 'zh', '结果', '{result:d}')"))
        uow.commit()
    case_id = _worked(uow, actors)
    casework.resolve(uow, actors["agent"], case_id, "approved", "已认证")
    with uow:  # resolved, and the citizen told in the default's words
        assert uow.session.get(Case, case_id).status == "resolved"
    [sms] = _messages(uow, case_id)
    assert sms.body.startswith("【莱西市为民代办】") and "已办结：已认证。" in sms.body


def test_every_template_renders_within_its_limits_with_the_longest_values(uow, actors):
    longest = {name: "长" * (limit + 500) for name, limit in outbox.VALUE_MAX.items()}
    for (event, language), (subject, body) in outbox.DEFAULTS.items():
        rendered = outbox.fill(subject, longest), outbox.fill(body, longest)
        assert len(rendered[0]) <= outbox.RENDERED_MAX["subject"], (event, language)
        assert len(rendered[1]) <= outbox.RENDERED_MAX["body"], (event, language)
        assert len(rendered[1]) == outbox.longest(body)
    # An admin's wording at its worst case allowed, too.
    filler = "字" * (outbox.RENDERED_MAX["body"] - outbox.VALUE_MAX["result"])
    templates.save(uow, actors["admin"], "result_ready", "zh", "结果", filler + "{result}")
    with uow:
        subject, body = outbox.render(uow.session, "result_ready", "zh", longest)
    assert len(body) == outbox.RENDERED_MAX["body"] and body.endswith("…")
    # A value that looks like a template is said as it is.
    assert outbox.fill("{result}", {"result": "{link}{0}{result:d}"}) == "{link}{0}{result:d}"


def test_the_smtp_adapter_sends_to_exactly_one_recipient(committed, actors, smtp_server):
    url, received = smtp_server
    mail = adapters.Smtp(url, "noreply@laixi.gov.cn")
    with UnitOfWork() as uow:
        for recipient in ("me@example.cn,postmaster", "a@example.cn, b@example.cn"):
            with pytest.raises(ValueError):
                mail.send(uow.session, OutboxMessage(recipient=recipient, subject="s", body="b",
                                                     idempotency_key="k"))
        mail.send(uow.session, OutboxMessage(recipient="me@example.cn", subject="s", body="b",
                                             idempotency_key="k"))
    assert [to for to, _ in received] == [["me@example.cn"]]


@pytest.mark.parametrize("email", ["me@example.cn,postmaster", "me@example.cn;x@example.cn",
                                   "Li <li@example.cn>", "grp: li@example.cn;", "<li@example.cn>",
                                   "li@example.cn (home)", "li@[127.0.0.1]"])
def test_intake_takes_one_email_address_only(uow, actors, email):
    with pytest.raises(InvalidInput) as refused:
        new_case(uow, actors["agent"], contact_email=email)
    assert refused.value.errors == {"email": "intake.error.email"}


def test_a_stored_wording_that_could_overflow_its_column_is_not_used(uow, actors):
    with uow:  # saved before the worst case was checked: three service names in a subject
        uow.session.execute(text("INSERT INTO message_templates VALUES ('result_ready', 'zh', "
                                 "'{service}{service}{service}', '{result}')"))
        uow.session.execute(text("UPDATE service_types SET name_zh = :n WHERE code = 'PENSION-CERT'"),
                            {"n": "长" * 80})
        uow.commit()
    case_id = _worked(uow, actors, service="PENSION-CERT")
    casework.resolve(uow, actors["agent"], case_id, "approved", "已认证")
    [sms] = _messages(uow, case_id)
    assert sms.subject == outbox.DEFAULTS["result_ready", "zh"][0].format(
        receipt_no=sms.subject.split("：")[1])
