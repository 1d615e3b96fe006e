"""No browser can empty the caches every user shares: Streamlit would clear every st.cache_data
and st.cache_resource of the process on any client's clear-cache message; the server's
websocket guard drops that message (and nothing else)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import text
from streamlit.proto.BackMsg_pb2 import BackMsg

from components.web import KeepSharedCaches
from db.engine import owner_engine
from tests.browser import portal_server
from tests.test_e2e import WAIT, log_in, settle, zh

CLEAR = BackMsg(clear_cache=True).SerializeToString()
RERUN = BackMsg(rerun_script={"query_string": ""}).SerializeToString()


def test_the_guard_drops_clear_cache_and_passes_everything_else():
    incoming = [{"type": "websocket.connect"},
                {"type": "websocket.receive", "bytes": CLEAR},
                {"type": "websocket.receive", "bytes": RERUN},
                {"type": "websocket.receive", "bytes": b"\xff not a message"},
                {"type": "websocket.receive", "text": "hello"},
                {"type": "websocket.disconnect"}]
    seen = []

    async def app(scope, receive, send):
        while (message := await receive())["type"] != "websocket.disconnect":
            seen.append(message)

    async def receive():
        return incoming.pop(0)

    # In a thread of its own: the browser tests' Playwright keeps a loop in the main thread.
    worker = threading.Thread(target=asyncio.run,
                              args=(KeepSharedCaches(app)({"type": "websocket"}, receive, None),))
    worker.start()
    worker.join()
    assert [m.get("bytes") or m.get("text") or m["type"] for m in seen] == [
        "websocket.connect", RERUN, b"\xff not a message", "hello"]


SERVICE = "缓存测试事项"


@pytest.fixture
def extra_service(committed):
    yield
    with owner_engine().begin() as conn:
        conn.execute(text("DELETE FROM service_types WHERE code = 'CACHE-TEST'"))


@pytest.mark.browser
@pytest.mark.server
def test_a_browsers_clear_cache_message_leaves_the_shared_caches(extra_service, database_url,
                                                                 browser, tmp_path):
    with portal_server(database_url, tmp_path / "server.log") as base:
        sockets = []

        def pass_through(route) -> None:
            sockets.append(route.connect_to_server())
        tab = browser.new_context(locale="zh-CN").new_page()
        tab.route_web_socket("**/_stcore/stream", pass_through)  # the page's own socket
        tab.goto(base)
        log_in(tab, "agent")
        tab.get_by_role("heading", name=zh("page.new_case")).wait_for(timeout=WAIT)
        # The service list is cached for every session for a minute; a new service now...
        with owner_engine().begin() as conn:
            conn.execute(text(
                "INSERT INTO service_types (code, name_zh, name_en, category, min_tier, "
                "time_limit_days, documents, form_fields, active) VALUES ('CACHE-TEST', :zh, "
                "'Cache test', 'civil_affairs', 'village', 5, '[]', '[]', true)"), {"zh": SERVICE})
        # ...and this browser asks the server to drop every cache, as a developer's menu would.
        sockets[-1].send(CLEAR)
        tab.reload()
        settle(tab)
        box = tab.get_by_role("combobox", name=zh("intake.service") + " *", exact=True)
        box.click()
        tab.keyboard.type("缓存测试")
        tab.wait_for_timeout(1_000)
        # Still the list from before: the caches were kept (the new service shows within the
        # minute the cache lives, as for everyone).
        assert tab.get_by_role("option").filter(has_text=SERVICE).count() == 0
