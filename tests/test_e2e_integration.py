"""The systems around the portal meet it in one real server process: the hotline posts a
work order to the API that `streamlit run server.py` serves beside the app; the village
agent finds it, attaches the scan the citizen brought in Chromium, and the officer's bell
rings once a hand-off is sent."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlencode

import pytest

from portal import attachments
from portal.api import keys
from portal.messaging import adapters, worker
from portal.uow import UnitOfWork
from tests.browser import ARTIFACTS, portal_server
from tests.test_attachments import photo
from tests.test_e2e import WAIT, case_form, menu_title, open_as, send_from_case, settle, zh

pytestmark = [pytest.mark.browser, pytest.mark.server]


def post_work_order(base: str, key: str) -> str:
    body = urlencode({"service_code": "PENSION-CERT", "last_name": "刘", "first_name": "桂兰",
                      "phone": "13705321234", "unit_code": "jiangshan-v01",
                      "description": "12345 来电：老人行动不便，请代办养老认证"}).encode()
    request = urllib.request.Request(f"{base}/open311/v2/requests.json", data=body, headers={
        "X-API-Key": key, "Content-Type": "application/x-www-form-urlencoded"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 201
        return json.loads(answer.read())[0]["service_request_id"]


def test_a_work_order_from_the_hotline_is_worked_with_its_scan_and_rings_the_bell(
        committed, database_url, browser, actors, tmp_path):
    key = keys.create(UnitOfWork(), actors["admin"], "12345热线", actors["admin"].unit_id,
                      ["requests.write", "requests.read"])[1]
    scan = tmp_path / "户口簿.jpg"
    scan.write_bytes(photo(2400, 1800, orientation=None))
    with portal_server(database_url, tmp_path / "server.log") as base:
        receipt_no = post_work_order(base, key)

        tab = open_as(browser, base, "agent")
        tab.set_viewport_size({"width": 1366, "height": 768})
        tab.goto(f"{base}/case?receipt={receipt_no}")
        settle(tab)
        tab.get_by_test_id("stCheckbox").filter(has_text=zh("attachment.add")).click()
        form = tab.get_by_test_id("stForm").filter(
            has=tab.get_by_role("button", name=zh("attachment.save"), exact=True)).first
        form.locator("input[type=file]").set_input_files(str(scan))
        form.get_by_text("户口簿.jpg").wait_for(timeout=WAIT)  # uploaded to the server
        settle(tab)
        form.get_by_role("button", name=zh("attachment.save"), exact=True).click()
        tab.get_by_text(zh("attachment.saved")).wait_for(timeout=WAIT)
        thumbnail = tab.get_by_test_id("stImage").locator("img").first
        thumbnail.wait_for(timeout=WAIT)
        # The thumbnail was sent, not the 2400-pixel scan.
        assert thumbnail.evaluate("img => img.naturalWidth") <= attachments.THUMB_SIDE
        tab.get_by_text(zh("attachment.kind.document")).first.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "case-attachment-zh-1366.png"))

        # The citizen brought the documents; the agent hands the case to the township window.
        tab.goto(f"{base}/case?receipt={receipt_no}")
        received = case_form(tab, "casework.documents_received", "casework.documents_received")
        settle(tab)
        received.get_by_role("button", name=zh("casework.documents_received")).click()
        tab.get_by_text(zh("casework.done", action=zh("casework.documents_received"))).wait_for(
            timeout=WAIT)
        send_from_case(tab, receipt_no, "姜山镇人社窗口", "养老认证需镇人社窗口办理")
        worker.send_due(adapters.configured())  # the background job's turn

        officer = open_as(browser, base, "officer")
        officer.set_viewport_size({"width": 1366, "height": 768})
        bell = officer.get_by_test_id("stSidebarNav").get_by_text(menu_title("page.notifications"))
        bell.wait_for(timeout=WAIT)
        assert bell.inner_text() == zh("menu.count", title=zh("page.notifications"), n=1)
        bell.click()
        officer.get_by_text(receipt_no).first.wait_for(timeout=WAIT)
        officer.screenshot(path=str(ARTIFACTS / "notifications-zh-1366.png"))
