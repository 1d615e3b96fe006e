"""Sessions in a real browser against a real server: the cookie is HttpOnly and dies with its
session, a deep link opened first after a restart opens its page, and a new session's first
page is one script run."""

from __future__ import annotations

import datetime as dt
import http.client
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import update
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from db.models import UserSession
from portal import clock
from portal.accounts import accounts, sessions
from portal.messages import t
from portal.uow import UnitOfWork
from tests.browser import portal_server
from tests.factories import new_case
from tests.test_e2e import WAIT, log_in, log_out, open_as, settle, zh

pytestmark = [pytest.mark.browser, pytest.mark.server]


def cookie_for(username: str) -> str:
    """A session as a log-in and its handover leave it: the cookie's token."""
    user = accounts.actor(UnitOfWork(), username)
    started = sessions.start(UnitOfWork(), user.id, "127.0.0.1", "test")
    return sessions.hand_over(UnitOfWork(), started.handover)


def browser_with(browser, base: str, token: str):
    context = browser.new_context(locale="zh-CN")
    context.add_cookies([{"name": sessions.COOKIE, "value": token, "url": base}])
    return context.new_page()


def test_the_cookie_is_httponly_and_a_copy_dies_at_log_out(committed, database_url, browser,
                                                          tmp_path):
    with portal_server(database_url, tmp_path / "server.log") as base:
        tab = open_as(browser, base, "agent")
        [cookie] = [c for c in tab.context.cookies() if c["name"] == sessions.COOKIE]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
        assert sessions.COOKIE not in tab.evaluate("document.cookie")  # no script can read it
        # Someone copies the cookie into another browser: it works, until the log-out.
        thief = browser_with(browser, base, cookie["value"])
        thief.goto(f"{base}/queue")
        thief.get_by_role("heading", name=zh("page.queue"), exact=True).wait_for(timeout=WAIT)
        log_out(tab)
        assert sessions.COOKIE not in {c["name"] for c in tab.context.cookies()}  # dropped too
        thief.reload()
        thief.get_by_text(zh("login.logged_out")).wait_for(timeout=WAIT)
        assert thief.get_by_role("button", name=zh("app.logout")).count() == 0


def test_a_cookie_past_its_expiry_or_idle_is_refused(committed, database_url, browser, tmp_path):
    token = cookie_for("agent")
    with UnitOfWork() as uow:  # a day later, by the session's clock
        uow.session.execute(update(UserSession).where(
            UserSession.token_hash == sessions._digest(token)).values(
            expires_at=clock.now() - dt.timedelta(minutes=1)))
        uow.commit()
    with portal_server(database_url, tmp_path / "server.log") as base:
        tab = browser_with(browser, base, token)
        tab.goto(f"{base}/queue")
        tab.get_by_text(zh("login.session_expired")).wait_for(timeout=WAIT)
        tab.get_by_label(zh("login.password"), exact=True).wait_for(timeout=WAIT)


class ScriptRuns:
    """The script runs a page costs, as its websocket carries them: reruns the browser asks
    for and runs the server finishes."""

    def __init__(self, page) -> None:
        self.asked, self.finished = 0, 0
        page.on("websocket", self._watch)

    def _watch(self, socket) -> None:
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if isinstance(payload, bytes) and BackMsg.FromString(payload).WhichOneof("type") == \
                "rerun_script":
            self.asked += 1

    def _received(self, payload) -> None:
        if isinstance(payload, bytes) and ForwardMsg.FromString(payload).WhichOneof("type") == \
                "script_finished":
            self.finished += 1


@pytest.mark.parametrize("path", ["queue", "case?receipt={receipt}"])
def test_a_deep_link_first_after_a_restart_opens_its_page_in_one_run(
        committed, actors, database_url, browser, tmp_path, path):
    receipt = new_case(UnitOfWork(), actors["agent"]).receipt_no
    token = cookie_for("agent")
    with portal_server(database_url, tmp_path / "server.log") as base:  # a fresh server
        tab = browser_with(browser, base, token)
        runs = ScriptRuns(tab)
        tab.goto(f"{base}/{path.format(receipt=receipt)}")
        heading = "page.queue" if path == "queue" else "page.case"
        tab.get_by_role("heading", name=zh(heading), exact=True).wait_for(timeout=WAIT)
        if path != "queue":
            tab.get_by_text(receipt).first.wait_for(timeout=WAIT)
        settle(tab)
        tab.wait_for_timeout(2_000)  # a component that reruns the page would have by now
        assert (runs.asked, runs.finished) == (1, 1)


def test_a_log_in_comes_back_to_the_page_asked_for(committed, database_url, browser, tmp_path):
    with portal_server(database_url, tmp_path / "server.log") as base:
        tab = browser.new_context(locale="zh-CN").new_page()
        tab.goto(f"{base}/queue")
        log_in(tab, "agent")
        tab.get_by_role("heading", name=zh("page.queue"), exact=True).wait_for(timeout=WAIT)
        assert urlsplit(tab.url).path == "/queue"


def handover(base: str, token: str, **headers: str) -> http.client.HTTPResponse:
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", "/session/start?" + urlencode({"h": token, "next": "//evil.example/"}),
                       headers=headers)
    return connection.getresponse()


def test_the_cookie_is_secure_behind_a_trusted_https_proxy_only(committed, database_url,
                                                                tmp_path):
    user = accounts.actor(UnitOfWork(), "agent")
    with portal_server(database_url, tmp_path / "server.log",
                       PORTAL_TRUSTED_PROXIES="127.0.0.1") as base:
        answers = {}
        for via in ("http", "https"):
            started = sessions.start(UnitOfWork(), user.id, "127.0.0.1", "test")
            answers[via] = handover(base, started.handover, **{"X-Forwarded-Proto": via})
        replayed = handover(base, started.handover, **{"X-Forwarded-Proto": "https"})
    assert "Secure" not in answers["http"].getheader("set-cookie")
    assert "Secure" in answers["https"].getheader("set-cookie")
    assert "HttpOnly" in answers["https"].getheader("set-cookie")
    assert answers["https"].getheader("location") == "/"  # never to another site
    assert replayed.status == 303 and replayed.getheader("set-cookie") is None


def test_the_log_in_page_explains_an_ended_session(committed, database_url, browser, tmp_path):
    token = cookie_for("agent")
    sessions.end(UnitOfWork(), token, "ended_by_admin")
    with portal_server(database_url, tmp_path / "server.log") as base:
        tab = browser_with(browser, base, token)
        tab.goto(base)
        tab.get_by_text(t("login.session_ended", "zh")).wait_for(timeout=WAIT)
