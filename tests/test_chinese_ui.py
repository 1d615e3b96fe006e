"""Chinese everywhere in the Chinese UI: every page, for every role that may open it, with cases
in several states on it, is rendered in zh-CN, and everything the browser is sent to show
(titles, text, labels, help, placeholders, options, table headers and cells, metrics) is
read. It fails on English words that are not codes, names or numbers, on "None", "nan" and
"NaT", and on Streamlit's own English defaults ("Choose options", "Select a date").
"""

from __future__ import annotations

import json
import re

import pytest
from google.protobuf.message import Message

from db.demo import DEMO_USERS
from portal import registry
from portal.casework import casework, queue
from portal.handoffs import handoff, joint
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import citizen_rates, new_case
from tests.test_pages import app

ROLES = {role: username for username, _, role, _ in DEMO_USERS}
# English prose: a word of letters, lower case or capitalised. Codes (PENSION-CERT, land_area,
# 7KQ2-MXPA, secrets.toml, https://…) are not words of it.
TOKEN = re.compile(r"[A-Za-z0-9_.:/\\-]+")
PROSE = re.compile(r"[A-Z]?[a-z]+")
# Words that are fine in Chinese text: codes and names of things, not English prose.
ALLOWED = {
    "CSV", "Excel", "PDF", "QR", "ID", "OIDC", "URL", "https", "http", "LX", "English",
    # Column names of the users' CSV import and a configuration section: read by IT staff.
    "username", "role", "language", "auth", "zh", "en", "sub",
}
# Proto fields that carry no text for people: ids, keys, icons, formats, data.
SILENT = {"id", "form_id", "key", "icon", "format", "type", "data", "arrow_data", "spec",
          "url", "page_script_hash", "page_name", "unsafe_allow_html", "element_hash",
          "vega_lite_chart", "styler", "column_order", "editing_mode", "selection_mode",
          "column_config", "default", "value", "set_value", "raw_value", "theme",
          "delta_color", "delta_arrow", "width_config", "height_config", "label_visibility",
          "border", "initial_value", "step", "min", "max", "columns", "autocomplete"}
HASH = re.compile(r"^[0-9a-f]{16,}$")
ENGLISH_DEFAULTS = ("Choose options", "Choose an option", "Select a date", "Press Enter",
                    "No results", "Select...", "Add options")
# Markdown directives the browser turns into colour and icons, not words.
DIRECTIVE = re.compile(r":(red|orange|yellow|green|blue|violet|gray|grey|rainbow|primary)"
                       r"(-background)?\[|:material/[a-z_]+:")
EMPTY = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NaT)(?![A-Za-z])")


def proto_texts(message: Message) -> list[str]:
    """Every string a proto message carries for people to read, its children's too."""
    found = []
    for field, value in message.ListFields():
        if field.name in SILENT:
            continue
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, Message):
                found.extend(proto_texts(item))
    return found


def shown(at) -> list[str]:
    """What the browser would show of this run: every element's text and every table's
    headers and cells."""
    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.extend(proto_texts(proto))
        if type(node).__name__ == "Dataframe":
            found.extend(table_texts(node))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def streamlit_defaults(at) -> list[str]:
    """Pickers left with no placeholder of ours: the browser fills in Streamlit's English
    ("Choose an option", "Choose options") while nothing is chosen."""
    found = []

    def walk(node) -> None:
        kind = type(node).__name__
        proto = getattr(node, "proto", None)
        if kind == "Multiselect" and not proto.placeholder:
            found.append(proto.label)
        if kind == "Selectbox" and not proto.placeholder and not proto.HasField("default"):
            found.append(proto.label)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def table_texts(node) -> list[str]:
    """A table's headers and its cells as drawn: a missing value is drawn as "None", a
    link or badge column shows its configured text, not its raw value."""
    frame = node.value
    configured = json.loads(node.proto.columns or "{}")
    headers = [configured.get(str(c), {}).get("label", str(c)) for c in frame.columns]
    # Ticks for true and false, a link's or a badge's configured text: not their raw values.
    drawn_as_is = [c for c in frame.columns if "type_config" not in configured.get(str(c), {})
                   and frame[c].dtype != bool]
    cells = frame[drawn_as_is].astype(object).where(frame[drawn_as_is].notna(), "None")
    return headers + [str(v) for v in cells.to_numpy().ravel()]


def codes_and_names() -> set[str]:
    """What may appear as typed: usernames, unit and service codes, the placeholders of the
    messages' templates, and every text value the change log keeps (English names admins
    typed, left there by other tests too: it is append-only)."""
    from sqlalchemy import select

    from db.models import AdminChange, ServiceType, Unit, User
    from portal import outbox
    with UnitOfWork() as uow:
        words = {field for fields in outbox.FIELDS.values() for field in fields}
        words |= set(uow.session.scalars(select(User.username)))
        words |= set(uow.session.scalars(select(Unit.code)))
        words |= set(uow.session.scalars(select(ServiceType.code)))
        for before, after in uow.session.execute(select(AdminChange.before, AdminChange.after)):
            words |= {str(v) for record in (before, after) for v in (record or {}).values()}
    return {w for text in words for w in TOKEN.findall(text)}


def english_in(texts: list[str], allowed: set[str]) -> list[str]:
    problems = []
    for text in texts:
        if HASH.match(text) or text.lstrip().startswith(("<style", "<script")):
            continue  # an id, or styles for the printer: nothing anyone reads
        if any(default in text for default in ENGLISH_DEFAULTS) or EMPTY.search(text):
            problems.append(text)
            continue
        words = [w for w in TOKEN.findall(DIRECTIVE.sub("", text).replace("\\", ""))
                 if PROSE.fullmatch(w) and w not in allowed]
        if words:
            problems.append(text)
    return problems


@pytest.fixture
def cases_in_every_state(committed):
    """A case waiting, one claimed, one handed off, one returned, one resolved, one with a
    joint part and one rated badly: so that queues, inboxes, case files and rectifications
    have rows and forms to show."""
    agent, officer = actor_for("agent"), actor_for("officer")
    waiting = new_case(UnitOfWork(), agent)
    claimed, sent, returned, resolved = (new_case(UnitOfWork(), agent).case_id for _ in range(4))
    for case_id in (claimed, sent, returned, resolved):
        queue.claim(UnitOfWork(), agent, case_id)
    handoff.send(UnitOfWork(), agent, sent, officer.unit_id, "请接收办理")
    back = handoff.send(UnitOfWork(), agent, returned, officer.unit_id, "请接收办理")
    handoff.return_to_sender(UnitOfWork(), officer, back, "wrong_tier", "应由市级办理")
    casework.resolve(UnitOfWork(), agent, resolved, "approved", "已办结")
    joint.send_part(UnitOfWork(), agent, claimed, officer.unit_id, "核实收入")
    rated = new_case(UnitOfWork(), agent).case_id  # a bad rating: the call-back form shows
    queue.claim(UnitOfWork(), agent, rated)
    casework.resolve(UnitOfWork(), agent, rated, "approved", "已办结")
    casework.deliver(UnitOfWork(), agent, rated)
    citizen_rates(UnitOfWork(), rated, 1, "等太久")
    return waiting.receipt_no


PAGES = [(role, page) for role in sorted(ROLES) for page in registry.PAGES if role in page.roles]


@pytest.mark.parametrize(("role", "page"), PAGES, ids=[f"{r}-{p.key}" for r, p in PAGES])
def test_every_page_speaks_chinese_to_every_role(cases_in_every_state, role, page):
    allowed = ALLOWED | codes_and_names()
    at = app(ROLES[role]).run()
    at.switch_page(page.file)
    if page.key == "case":
        at.query_params["receipt"] = cases_in_every_state
    at.run()
    assert not at.exception, at.exception
    problems = english_in(shown(at), allowed)
    assert not problems, "\n".join(sorted(set(problems)))
    assert streamlit_defaults(at) == []
