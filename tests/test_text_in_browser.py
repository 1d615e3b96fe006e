"""Text is text, as people see it: Markdown and HTML typed into every field a user or an admin
can fill is shown literally in Chromium, on every page that shows it, and no browser ever
fetches the image or follows the link it names (a local listener counts every request)."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pypdf
import pytest
from PIL import Image
from sqlalchemy import select, update

from components.text import ZERO_WIDTH
from db.engine import owner_engine
from db.models import ServiceType, Unit, User
from portal import attachments
from portal.accounts import accounts, sessions
from portal.admin import holidays, service_types, unit_admin, users
from portal.api import keys, open311
from portal.attachments import Upload
from portal.casework import casework, extensions, queue
from portal.handoffs import handoff, joint
from portal.intake import receipts
from portal.intake.citizens import CitizenInput
from portal.intake.intake import IntakeForm, take_in
from portal.messaging import adapters, templates, worker
from portal.uow import UnitOfWork
from tests.browser import ARTIFACTS, free_port, portal_server
from tests.factories import GOOD_PASSWORD, citizen_rates, session_token
from tests.test_e2e import WAIT, choose, settle, zh

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local web server standing for an address of an attacker's choice: what was asked."""
    asked: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            asked.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()


TAGS = re.compile(r"^(svc|doc|lbl|opt|unit|user|name|mat|hol|note|ans|why|ret|part|done|ext|"
                  r"res|cmt|file|api|tpl)$")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


def short(url: str, tag: str) -> str:
    """A payload that fits a name (60 characters): bold, a tag and an image."""
    return f"**{tag}**<b>x</b>![i]({url}/{tag})"


def long(url: str, tag: str) -> str:
    return f"**{tag}** <b>{tag}</b> ![{tag}]({url}/{tag}.png) [{tag}]({url}/{tag}) `{tag}` $x$"


@pytest.fixture
def cleanup(committed):
    yield
    with owner_engine().begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for statement in ("DELETE FROM user_sessions WHERE user_id IN (SELECT id FROM users "
                          "WHERE username = 'payload')",
                          "DELETE FROM account_events WHERE user_id IN (SELECT id FROM users "
                          "WHERE username = 'payload')",
                          "DELETE FROM users WHERE username = 'payload'",
                          "DELETE FROM units WHERE code = 'jiangshan-v99'",
                          "DELETE FROM service_types WHERE code = 'PAYLOAD'",
                          "DELETE FROM holidays WHERE day = '2030-01-02'"):
            conn.exec_driver_sql(statement)


def typed_everywhere(url: str, actors) -> dict[str, str]:
    """Payloads in every kind of field, written through the services the pages call."""
    admin, officer, manager = actors["admin"], actors["officer"], actors["manager"]
    p = {tag: (short if tag in ("svc", "doc", "lbl", "opt", "unit", "user", "name", "mat")
               else long)(url, tag)
         for tag in ("svc", "doc", "lbl", "opt", "unit", "user", "name", "mat", "hol", "note",
                     "ans", "why", "ret", "part", "done", "ext", "res", "cmt")}
    service_types.save(UnitOfWork(), admin, service_types.Draft(
        "PAYLOAD", p["svc"], "Payload", "civil_affairs", None, "village", 5,
        [{"name_zh": p["doc"], "name_en": "doc", "required": True}],
        [{"key": "topic", "type": "text", "label_zh": p["lbl"], "label_en": "topic"},
         {"key": "kind", "type": "choice", "label_zh": "种类", "label_en": "kind",
          "options": [{"value": "a", "label_zh": p["opt"], "label_en": "a"}]}]))
    with UnitOfWork() as uow:
        centre = uow.session.scalar(select(Unit.id).where(Unit.code == "jiangshan"))
    unit_admin.add(UnitOfWork(), admin, unit_admin.NewUnit(
        "jiangshan-v99", p["unit"], "Payload point", "village", centre))
    users.create(UnitOfWork(), admin, users.Profile("payload", p["user"], "agent", "jiangshan-v99"))
    with UnitOfWork() as uow:
        uow.session.execute(update(User).where(User.username == "payload").values(
            password_hash=accounts.hash_password(GOOD_PASSWORD), must_change_password=False))
        uow.commit()
    p["hol"] = f"**hol**![i]({url}/h)"  # a holiday's name has 40 characters at most
    holidays.save(UnitOfWork(), admin, [*holidays.listing(UnitOfWork(), admin), holidays.Day(
        dt.date(2030, 1, 2), "holiday", p["hol"], "hol")])
    agent = accounts.actor(UnitOfWork(), "payload")
    receipt = take_in(UnitOfWork(), agent, IntakeForm(
        "PAYLOAD", CitizenInput(name=p["name"], phone="13953212345"), note=p["note"],
        brought=(True,), answers={"topic": p["ans"], "kind": "a"}, on_behalf=True,
        poa_signed=True, poa_date=dt.date(2026, 11, 30), materials=((p["mat"], 1),)))
    case_id = receipt.case_id
    queue.claim(UnitOfWork(), agent, case_id)
    sent = handoff.send(UnitOfWork(), agent, case_id, officer.unit_id, p["why"])
    handoff.return_to_sender(UnitOfWork(), officer, sent, "other", p["ret"])
    part = joint.send_part(UnitOfWork(), agent, case_id, officer.unit_id, p["part"])
    handoff.accept(UnitOfWork(), officer, part)
    joint.complete_part(UnitOfWork(), officer, part, p["done"])
    extensions.request(UnitOfWork(), agent, case_id, receipt.due_date + dt.timedelta(days=7),
                       p["ext"])
    rated = take_in(UnitOfWork(), agent, IntakeForm(
        "PAYLOAD", CitizenInput(name=p["name"], phone="13953212345"), brought=(True,),
        answers={"topic": "x", "kind": "a"})).case_id
    queue.claim(UnitOfWork(), agent, rated)
    casework.resolve(UnitOfWork(), agent, rated, "answered", p["res"])
    casework.deliver(UnitOfWork(), agent, rated)
    citizen_rates(UnitOfWork(), rated, 1, p["cmt"])
    # A scan whose file name is markup; an API client's name; an admin's wording of the
    # hand-off notice with an image in it, sent for real to the officer's bell.
    host = url.removeprefix("http://")
    p["file"] = f"**file**![f](http:{host})"
    attachments.attach(UnitOfWork(), agent, case_id, Upload("document", p["file"] + ".png",
                                                                 _png()))
    p["file"] += ".jpg"  # kept as what it now is: a photo is saved again as JPEG
    with UnitOfWork() as uow:
        city = uow.session.scalar(select(Unit.id).where(Unit.code == "city"))
    p["api"] = short(url, "api")
    key = keys.create(UnitOfWork(), admin, p["api"], city, ["requests.write"])[1]
    client = keys.admit(UnitOfWork(), key, "requests.write", "POST", "/", "127.0.0.1")
    p["ordered"] = open311.post(UnitOfWork(), client, {
        "service_code": "PAYLOAD", "last_name": "刘", "first_name": "桂兰",
        "phone": "13953212345"}, {"topic": "x", "kind": "a"})["service_request_id"]
    p["tpl"] = f"**tpl**![t]({url}/tpl)"
    templates.save(UnitOfWork(), admin, "handoff_received", "zh", f"{p['tpl']} {{receipt_no}}",
                   f"{p['tpl']} {{service}}（{{receipt_no}}）")
    told = take_in(UnitOfWork(), agent, IntakeForm(
        "PAYLOAD", CitizenInput(name=p["name"], phone="13953212345"), brought=(True,),
        answers={"topic": "x", "kind": "a"}, handle=True)).case_id
    handoff.send(UnitOfWork(), agent, told, officer.unit_id, p["why"])
    worker.send_due({"app": adapters.InApp(), "sms": adapters.Recording(),
                     "email": adapters.Recording()})
    with UnitOfWork() as uow:
        code = uow.session.scalar(select(ServiceType.id).where(ServiceType.code == "PAYLOAD"))
    assert code and manager
    return {**p, "receipt": receipt.receipt_no, "code": receipt.lookup_code,
            "rated": str(rated)}


def shown(tab) -> str:
    settle(tab)
    return tab.get_by_test_id("stApp").inner_text().replace(ZERO_WIDTH, "")


def test_markdown_and_html_typed_anywhere_show_as_typed_and_fetch_nothing(
        cleanup, actors, database_url, browser, tmp_path, listener):
    url, asked = listener
    p = typed_everywhere(url, actors)
    with portal_server(database_url, tmp_path / "server.log") as base:
        def as_user(username: str, path: str):
            context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
            context.add_cookies([{"name": sessions.COOKIE, "url": base,
                                  "value": session_token(username)}])
            tab = context.new_page()
            tab.goto(f"{base}/{path}")
            tab.get_by_test_id("stSidebarNav").wait_for(timeout=WAIT)
            return tab

        case = as_user("payload", f"case?receipt={p['receipt']}")
        case.get_by_text(p["receipt"]).first.wait_for(timeout=WAIT)
        text = shown(case)
        for tag in ("svc", "unit", "user", "name", "note", "ans", "ret", "doc", "lbl", "opt",
                    "file"):
            assert p[tag] in text, tag
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        case.screenshot(path=str(ARTIFACTS / "case-file-typed-markup-zh.png"), full_page=True)
        case.get_by_text(p["file"]).first.scroll_into_view_if_needed()
        case.screenshot(path=str(ARTIFACTS / "attachment-typed-markup-zh.png"))

        intake = as_user("payload", "")  # the agent's first page, at the root
        choose(intake, zh("intake.service") + " *", "**svc**")
        intake.get_by_text(zh("intake.department")).wait_for(timeout=WAIT)
        text = shown(intake)
        for tag in ("doc", "lbl", "user"):
            assert p[tag] in text, tag
        intake.get_by_label(zh("intake.citizen_name") + " *", exact=True).fill(p["name"])
        intake.get_by_label(zh("intake.phone") + " *", exact=True).fill("13953212345")
        intake.get_by_test_id("stForm").get_by_test_id("stCheckbox").first.click()
        settle(intake)
        intake.get_by_role("button", name=zh("intake.submit")).click()
        intake.get_by_role("heading", name=zh("receipt.title")).wait_for(timeout=WAIT)
        assert p["svc"] in shown(intake) and p["unit"] in shown(intake)
        intake.screenshot(path=str(ARTIFACTS / "receipt-typed-markup-zh.png"), full_page=True)

        visitor = browser.new_context(locale="zh-CN").new_page()
        visitor.goto(f"{base}/status?r={p['receipt']}&c={p['code']}")
        visitor.get_by_text(zh("public.step.received")).first.wait_for(timeout=WAIT)
        assert p["svc"] in shown(visitor) and p["unit"] in shown(visitor)

        for username, path, heading in (
                ("payload", "handoffs", "page.handoffs"), ("payload", "queue", "page.queue"),
                ("officer", "handoffs", "page.handoffs"),
                ("manager", "rectifications", "page.rectifications"),
                ("manager", "supervision", "page.supervision"),
                ("manager", "dashboard", "page.dashboard"), ("admin", "users", "page.users"),
                ("admin", "units", "page.units"), ("admin", "holidays", "page.holidays"),
                ("admin", "changes", "page.changes"), ("admin", "catalogue", "page.catalogue"),
                ("officer", "notifications", "page.notifications"),
                ("admin", "api_clients", "page.api_clients"), ("admin", "messages", "page.messages")):
            tab = as_user(username, path)
            tab.get_by_role("heading", name=zh(heading), exact=True).wait_for(timeout=WAIT)
            settle(tab)
            tab.wait_for_timeout(500)
            # Nothing typed was made bold, an image or a link.
            assert tab.locator("strong", has_text=TAGS).count() == 0, (path, heading)
            assert tab.locator(f"img[src^='{url}'], a[href^='{url}']").count() == 0
        ordered = as_user("manager", f"case?receipt={p['ordered']}")  # taken in by the API
        ordered.get_by_text(p["ordered"]).first.wait_for(timeout=WAIT)
        assert p["api"] in shown(ordered)
        assert ordered.locator("strong", has_text=TAGS).count() == 0
        bell = as_user("officer", "notifications")
        bell.get_by_role("heading", name=zh("page.notifications"), exact=True).wait_for(timeout=WAIT)
        assert p["tpl"] in shown(bell) and p["svc"] in shown(bell)
        bell.screenshot(path=str(ARTIFACTS / "bell-typed-markup-zh.png"), full_page=True)
        catalogue = as_user("admin", "catalogue")
        choose(catalogue, zh("catalogue.choose"), "PAYLOAD")
        catalogue.get_by_text("**lbl**", exact=False).first.wait_for(timeout=WAIT)
        assert p["lbl"] in shown(catalogue)
    assert asked == []  # no page of any of them fetched the image or anything else


def test_the_receipts_pdf_prints_markup_as_typed(cleanup, actors, listener):
    url, asked = listener
    p = typed_everywhere(url, actors)
    receipt = take_in(UnitOfWork(), accounts.actor(UnitOfWork(), "payload"), IntakeForm(
        "PAYLOAD", CitizenInput(name="张三", phone="13953212345"), brought=(True,),
        answers={"topic": "x", "kind": "a"}))
    pdf = pypdf.PdfReader(io.BytesIO(receipts.to_pdf(receipt, "zh", url)))
    text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert p["svc"] in text and p["unit"] in text
    assert asked == []
