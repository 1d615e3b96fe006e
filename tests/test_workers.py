"""Several processes behind HAProxy: what one process writes, a page served by the other
shows; a process that dies is started again and its browsers come back signed in."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys

import psutil
import pytest
from sqlalchemy import text

from db.config import ROOT
from db.engine import owner_engine
from portal.accounts import sessions
from portal.handoffs import handoff
from portal.uow import UnitOfWork
from tests.browser import _wait_healthy, free_port
from tests.factories import new_case, session_token
from tests.test_e2e import WAIT, metric, settle, zh

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.once]


@pytest.fixture
def two_workers(committed, database_url, tmp_path):
    if not os.path.exists("/usr/sbin/haproxy"):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's haproxy for the multi-process test")
        pytest.skip("no HAProxy on this machine")
    port = free_port()
    log = (tmp_path / "launcher.log").open("w")
    launcher = subprocess.Popen(
        [sys.executable, "-m", "portal", "run", "--workers", "2", "--port", str(port)],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url,
                       "PORTAL_VAR_DIR": str(tmp_path)},
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, launcher, timeout=120)
        config = (tmp_path / "haproxy.cfg").read_text()
        workers = dict(re.findall(r"server (w\d) 127\.0\.0\.1:(\d+)", config))
        yield base, workers, launcher
    finally:
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=60)
        log.close()


def on_worker(browser, base: str, worker: str, username: str):
    """A browser signed in as `username`, kept on `worker` by HAProxy's cookie."""
    context = browser.new_context(locale="zh-CN")
    context.add_cookies([{"name": "PORTAL_WORKER", "value": worker, "url": base},
                         {"name": sessions.COOKIE, "value": session_token(username),
                          "url": base}])
    return context.new_page()


def test_a_handoff_accepted_through_one_process_shows_on_a_dashboard_of_the_other(
        two_workers, actors, browser):
    base, _, _ = two_workers
    case = new_case(UnitOfWork(), actors["agent"])
    sent = handoff.send(UnitOfWork(), actors["agent"], case.case_id, actors["officer"].unit_id,
                        "需窗口办理")
    with owner_engine().begin() as conn:  # waiting since the day before yesterday: late
        conn.execute(text("UPDATE handoffs SET requested_at = :at WHERE id = :id"),
                     {"at": dt.datetime.now(dt.UTC) - dt.timedelta(days=3), "id": sent})
    dashboard = on_worker(browser, base, "w2", "manager")
    dashboard.goto(f"{base}/dashboard")
    dashboard.get_by_test_id("stMetric").first.wait_for(timeout=WAIT)
    assert _tile_becomes(dashboard, "kpi.late_handoffs", "1")
    inbox = on_worker(browser, base, "w1", "officer")
    inbox.goto(f"{base}/handoffs")
    settle(inbox)
    inbox.get_by_role("button", name=zh("handoff.accept"), exact=True).click()
    inbox.get_by_text(zh("handoff.accepted", receipt_no=case.receipt_no)).wait_for(timeout=WAIT)
    assert _tile_becomes(dashboard, "kpi.late_handoffs", "0")  # the other process's page


def _tile_becomes(tab, key: str, value: str, seconds: float = 60) -> bool:
    for _ in range(int(seconds)):
        if metric(tab, key) == value:
            return True
        tab.wait_for_timeout(1_000)
    return False


def test_a_process_that_dies_is_started_again_and_its_browser_is_still_signed_in(
        two_workers, browser):
    base, workers, launcher = two_workers
    tab = on_worker(browser, base, "w1", "agent")
    tab.goto(f"{base}/queue")
    heading = tab.get_by_role("heading", name=zh("page.queue"), exact=True)
    heading.wait_for(timeout=WAIT)
    [worker] = [p for p in psutil.Process(launcher.pid).children()
                if f"--server.port {workers['w1']}" in " ".join(p.cmdline())]
    worker.kill()  # the process is gone, with every session it held
    worker.wait(timeout=30)
    # The launcher starts it again on its port.
    _wait_healthy(f"http://127.0.0.1:{workers['w1']}", launcher, timeout=120)
    assert [p for p in psutil.Process(launcher.pid).children()
            if f"--server.port {workers['w1']}" in " ".join(p.cmdline())]
    # The browser comes back to it, and its session cookie signs it in again.
    tab.reload()
    heading.wait_for(timeout=WAIT)
    tab.get_by_role("button", name=zh("app.logout")).wait_for(timeout=WAIT)
    assert tab.get_by_label(zh("login.password"), exact=True).count() == 0


def _non_loopback_address() -> str | None:
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family.name == "AF_INET" and not address.address.startswith("127."):
                return address.address
    return None


def test_one_web_server_listens_on_loopback_only_and_is_started_again_when_it_dies(
        committed, database_url, tmp_path):
    port = free_port()
    with (tmp_path / "launcher.log").open("w") as log:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "portal", "run", "--port", str(port)], cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url, "PORTAL_VAR_DIR": str(tmp_path)},
            stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, launcher, timeout=120)
            if (outside := _non_loopback_address()) is not None:
                with pytest.raises(OSError):  # nobody but a proxy on this host reaches it
                    socket.create_connection((outside, port), timeout=3).close()
            [server] = [p for p in psutil.Process(launcher.pid).children()
                        if "server.py" in " ".join(p.cmdline())]
            server.kill()
            server.wait(timeout=30)
            _wait_healthy(base, launcher, timeout=120)
            [again] = [p for p in psutil.Process(launcher.pid).children()
                       if "server.py" in " ".join(p.cmdline())]
            assert again.pid != server.pid
        finally:
            launcher.send_signal(signal.SIGTERM)
            launcher.wait(timeout=60)
