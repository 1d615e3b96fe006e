"""Behind the city's reverse proxy, on a server listening on both IPv4 and IPv6 as a proxy
on the same host reaches it: the proxy is trusted when named, and only then; the web server
underneath believes no header by itself; every answer says nosniff."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from db.config import ROOT
from db.models import ApiCall, UserSession
from portal.accounts import accounts, sessions
from portal.uow import UnitOfWork
from tests.browser import free_port, portal_server
from tests.test_api import OPEN311
from tests.test_e2e import log_in
from tests.test_server_sessions import handover

pytestmark = [pytest.mark.server]
CLIENT = "203.0.113.9"


def called(base: str, host: str, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(host, urlsplit(base).port, timeout=30)
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    answer.read()
    return answer


def logged_addresses() -> list[str]:
    with UnitOfWork() as uow:
        return list(uow.session.scalars(select(ApiCall.address).order_by(ApiCall.id)))


@pytest.mark.browser
def test_a_named_proxy_on_the_same_host_is_trusted_through_a_dual_stack_socket(
        committed, database_url, browser, tmp_path):
    with portal_server(database_url, tmp_path / "server.log", address="::",
                       PORTAL_TRUSTED_PROXIES="127.0.0.1") as base:
        # The session cookie behind the proxy's HTTPS is Secure.
        user = accounts.actor(UnitOfWork(), "agent")
        started = sessions.start(UnitOfWork(), user.id, "127.0.0.1", "test")
        answer = handover(base, started.handover, **{"X-Forwarded-Proto": "https"})
        assert "Secure" in answer.getheader("set-cookie")
        # The API's log names the client the proxy named.
        called(base, "127.0.0.1", f"{OPEN311}/services.json", **{"X-Forwarded-For": CLIENT})
        assert logged_addresses() == [CLIENT]
        # A log-in through the proxy is kept with the client's address.
        context = browser.new_context(locale="zh-CN",
                                      extra_http_headers={"X-Forwarded-For": CLIENT})
        tab = context.new_page()
        tab.goto(base)
        log_in(tab, "officer")
    officer = accounts.actor(UnitOfWork(), "officer")
    with UnitOfWork() as uow:
        kept = uow.session.scalars(select(UserSession.client).where(
            UserSession.user_id == officer.id).order_by(UserSession.id.desc()).limit(1)).all()
    assert kept == [CLIENT]


def test_without_a_named_proxy_no_header_is_believed_and_every_answer_says_nosniff(
        committed, database_url, tmp_path):
    with portal_server(database_url, tmp_path / "server.log", address="::") as base:
        for host in ("127.0.0.1", "::1"):  # loopback in either family: no proxy by itself
            answer = called(base, host, f"{OPEN311}/services.json",
                            **{"X-Forwarded-For": CLIENT, "X-Forwarded-Proto": "https"})
            assert answer.status == 401
        assert logged_addresses() == ["127.0.0.1", "::1"]
        user = accounts.actor(UnitOfWork(), "agent")
        started = sessions.start(UnitOfWork(), user.id, "127.0.0.1", "test")
        answer = handover(base, started.handover, **{"X-Forwarded-Proto": "https"})
        assert "Secure" not in answer.getheader("set-cookie")
        for path in ("/media/0123456789abcdef.jpg", "/_stcore/health", "/",
                     f"{OPEN311}/services.json"):
            assert called(base, "127.0.0.1", path).getheader(
                "X-Content-Type-Options") == "nosniff", path


def test_the_web_server_refuses_to_start_where_it_would_believe_local_headers(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "FORWARDED_ALLOW_IPS"}
    started = subprocess.run(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"), "--server.port",
         str(free_port()), "--server.headless", "true"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120)
    assert started.returncode != 0
    assert "python -m portal run" in started.stdout + started.stderr
