"""The access table as a whole, through the services: every role × every action, and nobody
of one town sees or acts on another town's cases (nor their attachments); and for the systems
around the portal, every API key's scope × every operation of the API.

Each action has one probe: the service call the pages make for it. A role the table allows
is never refused for permission (the call may still fail for another reason, such as a case
in the wrong status); any other role is refused. Adding an action without a probe fails.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from portal import attachments, clock, settings
from portal.access import ACTIONS, ROLES, Actor
from portal.admin import changes, holidays, ledger, service_types, unit_admin, users
from portal.api import keys
from portal.attachments import Upload
from portal.casework import casefile, casework, extensions, queue, rectification, supervision, team
from portal.casework.queue import QueueFilter
from portal.dashboard import metrics
from portal.errors import DomainError, NotFound, NotPermitted
from portal.handoffs import disputes, handoff
from portal.messaging import templates
from tests.conftest import actor_for
from tests.factories import new_case
from tests.test_api import api_key

ID_NUMBER = "370285199003071234"
SCAN = Upload("document", "户口簿.pdf", b"%PDF-1.4\n%%EOF\n")
PEOPLE = {"agent": "agent", "officer": "officer", "manager": "mgr-jiangshan", "admin": "admin"}
# The same roles in another town (the city's admin oversees every town, so has no such twin).
OTHER_TOWN = {"agent": "staff-shuiji-v01", "officer": "staff-shuiji-hrss",
              "manager": "mgr-shuiji"}


class Context:
    """A case of the actor's own unit that the actor holds, where the role can hold one."""

    def __init__(self, uow, actor: Actor, agent: Actor):
        self.uow, self.actor = uow, actor
        taker = actor if actor.role != "admin" else agent
        receipt = new_case(uow, taker, id_number=ID_NUMBER)
        self.case_id, self.receipt_no = receipt.case_id, receipt.receipt_no
        self.fresh_id = new_case(uow, taker, phone="13900000001").case_id
        if actor.role != "admin":
            queue.claim(uow, actor, self.case_id)


PROBES = {
    "case.create": lambda c: new_case(c.uow, c.actor),
    "case.view": lambda c: casefile.open_case(c.uow, c.actor, c.receipt_no),
    "case.claim": lambda c: queue.claim(c.uow, c.actor, c.fresh_id),
    "case.work": lambda c: casework.change_priority(c.uow, c.actor, c.case_id, "urgent", "急"),
    "case.note": lambda c: casework.add_note(c.uow, c.actor, c.case_id, "已电话联系"),
    "case.assign": lambda c: casework.assign(c.uow, c.actor, c.case_id, c.actor.id),
    "citizen.full_id": lambda c: casefile.full_id_number(c.uow, c.actor, c.case_id),
    "case.reopen": lambda c: casework.reopen(c.uow, c.actor, c.case_id, "群众投诉"),
    "extension.decide": lambda c: extensions.decide(c.uow, c.actor, 0, True),
    "rectification.close": lambda c: rectification.close(
        c.uow, c.actor, 0, "已整改", rectification.CallBack(clock.now(), "已回访", 4)),
    "handoff.send": lambda c: handoff.escalate(c.uow, c.actor, c.case_id, "需上级办理"),
    "handoff.answer": lambda c: handoff.accept(c.uow, c.actor, 0),
    "handoff.decide": lambda c: disputes.decide(c.uow, c.actor, 0, c.actor.unit_id),
    "metrics.view": lambda c: metrics.scope_for(c.actor),
    "team.manage": lambda c: team.staffed_units(c.uow, c.actor, "zh"),
    "supervision.view": lambda c: supervision.notices(c.uow, c.actor, "zh", ("supervision",)),
    "calendar.edit": lambda c: holidays.listing(c.uow, c.actor),
    "settings.edit": lambda c: settings.save(c.uow, c.actor, {}),
    "units.manage": lambda c: unit_admin.tree(c.uow, c.actor, "zh"),
    "users.manage": lambda c: users.listing(c.uow, c.actor, "zh"),
    "catalogue.edit": lambda c: service_types.listing(c.uow, c.actor),
    "ledger.import": lambda c: ledger.load(c.uow, c.actor, pd.DataFrame(columns=ledger.REQUIRED),
                                           dry_run=True),
    "changes.view": lambda c: changes.entities(c.uow, c.actor),
    "messages.manage": lambda c: templates.counts(c.uow, c.actor),
    "api.manage": lambda c: keys.listing(c.uow, c.actor),
    "case.attach": lambda c: attachments.attach(c.uow, c.actor, c.case_id, SCAN),
}


def test_every_action_has_a_probe():
    assert set(PROBES) == set(ACTIONS)


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", sorted(ROLES))
def test_role_by_action(uow, actors, frozen_clock, role, action):
    frozen_clock(dt.datetime(2026, 11, 24, 10, 0, tzinfo=clock.TZ))
    actor = actor_for(PEOPLE[role])
    context = Context(uow, actor, actors["agent"])
    allowed, _ = ACTIONS[action]
    if role in allowed:
        try:
            PROBES[action](context)
        except NotPermitted as refused:
            pytest.fail(f"{role} refused {action}: {refused}")
        except DomainError:
            pass  # refused for another reason (a probe's placeholder id, a status)
    else:
        with pytest.raises(NotPermitted):
            PROBES[action](context)


# Service calls on one case, as someone of another town would make them.
CASE_CALLS = {
    "open the case file": lambda u, a, c: casefile.open_case(u, a, c.receipt_no),
    "see the full ID number": lambda u, a, c: casefile.full_id_number(u, a, c.case_id),
    "claim": lambda u, a, c: queue.claim(u, a, c.fresh_id),
    "change priority": lambda u, a, c: casework.change_priority(u, a, c.case_id, "urgent", "急"),
    "add a note": lambda u, a, c: casework.add_note(u, a, c.case_id, "备注"),
    "assign": lambda u, a, c: casework.assign(u, a, c.case_id, a.id),
    "release": lambda u, a, c: casework.release(u, a, c.case_id),
    "resolve": lambda u, a, c: casework.resolve(u, a, c.case_id, "approved", "已办结"),
    "withdraw": lambda u, a, c: casework.withdraw(u, a, c.case_id, "群众撤回"),
    "reopen": lambda u, a, c: casework.reopen(u, a, c.case_id, "投诉"),
    "ask for more time": lambda u, a, c: extensions.request(
        u, a, c.case_id, dt.date(2026, 12, 31), "材料待补"),
    "hand off": lambda u, a, c: handoff.escalate(u, a, c.case_id, "需上级办理"),
    "name the first-responsible unit": lambda u, a, c: disputes.name_responsible(
        u, a, c.case_id, a.unit_id),
    "attach a scan": lambda u, a, c: attachments.attach(u, a, c.case_id, SCAN),
    "see its attachments": lambda u, a, c: _attachment_seen(u, a, c),
}


def _attachment_seen(uow, stranger, case) -> None:
    owner = actor_for("agent")
    attachment_id = attachments.attach(uow, owner, case.case_id, SCAN)
    assert attachments.listing(uow, stranger, case.case_id) == []
    attachments.content(uow, stranger, attachment_id)


@pytest.mark.parametrize("call", sorted(CASE_CALLS))
@pytest.mark.parametrize("role", sorted(OTHER_TOWN))
def test_nobody_acts_on_another_towns_case(uow, actors, role, call):
    case = Context(uow, actor_for(PEOPLE[role]) if role != "manager" else actors["agent"],
                   actors["agent"])
    stranger = actor_for(OTHER_TOWN[role])
    with pytest.raises((NotPermitted, NotFound)):
        CASE_CALLS[call](uow, stranger, case)


@pytest.mark.parametrize("role", sorted(OTHER_TOWN))
def test_nobody_sees_another_towns_case_in_a_list(uow, actors, role):
    case = Context(uow, actors["agent"], actors["agent"])
    stranger = actor_for(OTHER_TOWN[role])
    views = ("unit", "mine", "subtree") if role == "manager" else ("unit", "mine")
    for view in views:
        for text in (case.receipt_no, "王秀英", ""):
            flt = QueueFilter(view=view, text=text, units=(actors["agent"].unit_id,)
                              if view == "subtree" else ())
            listed = queue.unit_queue(uow, stranger, "zh", flt)
            assert case.receipt_no not in set(listed["receipt_no"]), (view, text)
            assert queue.badge_counts(uow, stranger, flt)["total"] == 0, (view, text)
    if role == "manager":
        assert not metrics.scope_for(stranger).unit_path.startswith("/city/jiangshan/")
        assert supervision.notices(uow, stranger, "zh", ("reminder", "supervision")).empty


@pytest.mark.parametrize("role", sorted(OTHER_TOWN))
def test_another_towns_case_is_refused_on_the_pages(committed, actors, role):
    from streamlit.testing.v1 import AppTest

    from db.config import ROOT
    from portal.messages import t
    from portal.uow import UnitOfWork
    from tests.test_pages import app, texts

    receipt_no = new_case(UnitOfWork(), actors["agent"]).receipt_no
    stranger = OTHER_TOWN[role]
    page = AppTest.from_file(str(ROOT / "pages" / "case.py"), default_timeout=30)
    page.session_state["actor"] = actor_for(stranger)
    page.query_params["receipt"] = receipt_no
    page.run()
    assert not page.exception
    assert "王秀英" not in texts(page) and not page.dataframe
    assert [e.value for e in page.error] in ([t("error.not_permitted", "zh")],
                                              [t("error.not_found", "zh")])
    queue_page = app(stranger).run().switch_page("pages/queue.py").run()
    shown = [str(d.value) for d in queue_page.dataframe]
    assert not any(receipt_no in frame for frame in shown)


# The API keys' scopes: each route with the scope it needs, called with harmless arguments.
API_ROUTES = [
    ("services.read", "GET", "/open311/v2/services.json"),
    ("services.read", "GET", "/open311/v2/services/PENSION-CERT.json"),
    ("requests.read", "GET", "/open311/v2/requests.json"),
    ("requests.read", "GET", "/open311/v2/requests/LX-20260101-000001.json"),
    ("requests.write", "POST", "/open311/v2/requests.json"),
    ("events.read", "GET", "/api/v1/requests/LX-20260101-000001/events"),
    ("ratings.write", "POST", "/api/v1/requests/LX-20260101-000001/rating"),
    ("handoffs.read", "GET", "/api/v1/requests/LX-20260101-000001/handoffs"),
]


@pytest.mark.parametrize("scope", list(keys.SCOPES))
def test_a_key_may_call_exactly_the_operations_of_its_scopes(api, committed, actors, scope):
    key = api_key(actors, scopes=[scope], name=f"仅限 {scope}")
    for needs, method, path in API_ROUTES:
        body = {} if method == "POST" else None
        status = api.call(method, path, key, json_body=body).status
        assert (status == 403) == (needs != scope), (scope, method, path, status)


