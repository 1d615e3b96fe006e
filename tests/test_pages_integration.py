"""The pages of the systems around the portal, through AppTest: an admin makes an API key
(shown once) and revokes it, rewords a message and resends an undelivered one; an officer
reads the bell; the case file shows a case's attachments to those who see it."""

from __future__ import annotations

from sqlalchemy import select

from components.text import ZERO_WIDTH
from db import engine as db_engine
from db.models import ApiClient, Case, OutboxMessage
from portal import attachments, clock
from portal.api import keys
from portal.attachments import Upload
from portal.handoffs import handoff
from portal.messages import t
from portal.messaging import adapters, worker
from portal.uow import UnitOfWork
from tests.factories import new_case
from tests.test_attachments import PDF, photo
from tests.test_pages import app, button, cases_in_db, new_case_page, texts
from tests.test_pages_admin import admin_page, labelled


def test_an_admin_makes_a_key_shown_once_then_revokes_it(committed):
    at = admin_page("pages/api_clients.py")
    labelled(at.text_input, "api.clients.name").input("12345热线")
    labelled(at.multiselect, "api.clients.scopes").set_value(["requests.read", "requests.write"])
    button(at, "api.clients.create").click().run()
    key = at.code[0].value
    assert key.startswith(keys.PREFIX) and t("api.clients.created", "zh") in texts(at)
    with UnitOfWork() as uow:
        stored = uow.session.scalar(select(ApiClient))
        assert stored.key_hash == keys.digest(key) and stored.scopes == ["requests.read",
                                                                           "requests.write"]
    at.run()
    assert not at.code and "12345热线" in at.dataframe[0].value.to_string()
    button(at, "api.clients.revoke").click().run()
    with UnitOfWork() as uow:
        assert uow.session.scalar(select(ApiClient.revoked_at)) is not None


def test_a_key_without_a_scope_is_refused_beside_its_field(committed):
    at = admin_page("pages/api_clients.py")
    labelled(at.text_input, "api.clients.name").input("省好差评平台")
    button(at, "api.clients.create").click().run()
    assert f"{t('api.clients.scopes', 'zh')}: {t('api.error.scopes', 'zh')}" in [
        e.value for e in at.error]
    assert not at.code


def test_an_admin_rewords_a_message_and_resends_an_undelivered_one(committed):
    now = clock.now()
    with db_engine.engine().begin() as conn:
        conn.execute(OutboxMessage.__table__.insert(), [{
            "event": "result_ready", "channel": "sms", "recipient": "13912340000",
            "subject": "", "body": "办结", "idempotency_key": "dead-1", "state": "dead",
            "attempts": 6, "last_error": "HTTPError 502", "created_at": now,
            "next_attempt_at": now}])
    at = admin_page("pages/messages.py")
    assert [m.value for m in at.metric] == ["0", "0", "1"]
    assert "HTTPError 502" in at.dataframe[0].value.to_string()
    body = labelled(at.text_area, "outbox.body")
    body.input("您的{service}（{receipt_no}）还需补交：{documents}。").run()
    button(at, "outbox.save").click().run()
    assert t("outbox.saved", "zh") in texts(at)
    button(at, "outbox.resend").click().run()
    assert t("outbox.resent", "zh", n=1) in texts(at)
    with UnitOfWork() as uow:
        assert uow.session.scalar(select(OutboxMessage.state)) == "pending"


def test_an_officer_reads_the_bell(committed, actors):
    receipt = new_case(UnitOfWork(), actors["agent"], handle=True)
    handoff.send(UnitOfWork(), actors["agent"], receipt.case_id, actors["officer"].unit_id,
                 "需人社窗口办理")
    worker.send_due({"app": adapters.InApp(), "sms": adapters.Recording()})
    at = app("officer").run().switch_page("pages/notifications.py").run()
    assert receipt.receipt_no in texts(at) and t("bell.unread", "zh", n=1) in texts(at)
    button(at, "bell.read_all").click().run()
    assert t("bell.unread", "zh", n=0) in texts(at)


def test_the_case_file_shows_its_attachments_with_their_thumbnails(committed, actors):
    receipt = new_case(UnitOfWork(), actors["agent"], handle=True)
    for upload in (Upload("document", "户口簿.pdf", PDF), Upload("photo", "门牌.jpg", photo())):
        attachments.attach(UnitOfWork(), actors["agent"], receipt.case_id, upload)
    at = app("agent").run().switch_page("pages/case.py")
    at.query_params["receipt"] = receipt.receipt_no
    at.run()
    shown = texts(at)
    assert "户口簿.pdf" in shown and "门牌.jpg" in shown and len(at.get("image")) == 1
    assert t("attachment.add", "zh") in [e.label for e in at.toggle]
    stranger = app("staff-shuiji-v01").run().switch_page("pages/case.py")
    stranger.query_params["receipt"] = receipt.receipt_no
    stranger.run()
    assert "户口簿.pdf" not in texts(stranger)


def test_the_citizens_e_mail_is_checked_at_intake_and_kept_with_the_case(committed):
    at = new_case_page()
    at.selectbox(key="intake_service").set_value("PENSION-CERT").run()
    at.text_input(key="intake_name").input("王秀英")
    at.text_input(key="intake_phone").input("13812345678")
    at.text_input(key="intake_email").input("wang@")
    button(at, "intake.submit").click().run()
    assert t("intake.error.email", "zh") in [e.value for e in at.error]
    assert cases_in_db() == 0
    at.text_input(key="intake_email").input("wang@example.cn")
    button(at, "intake.submit").click().run()
    with UnitOfWork() as uow:
        receipt_no, email = uow.session.execute(select(Case.receipt_no, Case.contact_email)).one()
    assert email == "wang@example.cn"
    case_page = app("agent").run().switch_page("pages/case.py")
    case_page.query_params["receipt"] = receipt_no
    case_page.run()
    # As typed: Markdown's escapes and the marks that keep it from becoming a link left out.
    shown = texts(case_page).replace("\\", "").replace(ZERO_WIDTH, "")
    assert "13812345678 · wang@example.cn" in shown
