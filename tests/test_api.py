"""The API as the systems around the portal use it: a hotline takes a work order in and
follows it, a province platform reads events and pushes a rating back; keys, scopes, rate
limits and the log of calls."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from sqlalchemy import func, select

from db.models import ApiCall, Case, CaseEvent
from portal.api import keys
from portal.casework import casework, queue
from portal.handoffs import handoff
from portal.uow import UnitOfWork
from tests.factories import new_case

OPEN311, NATIVE = "/open311/v2", "/api/v1"
ALL = list(keys.SCOPES)


def api_key(actors, unit: str = "city", scopes=ALL, name: str = "12345热线") -> str:
    with UnitOfWork() as uow:
        from db.models import Unit
        unit_id = uow.session.scalar(select(Unit.id).where(Unit.code == unit))
    return keys.create(UnitOfWork(), actors["admin"], name, unit_id, scopes)[1]


WORK_ORDER = {"service_code": "MEDICAL-CLAIM", "last_name": "刘", "first_name": "桂兰",
              "phone": "13705321234", "email": "liu@example.cn",
              "description": "来电反映：住院费用报销，请代办", "unit_code": "jiangshan-v01",
              "attribute[hospital]": "莱西市人民医院", "attribute[admitted]": "2026-11-20",
              "attribute[amount]": "3200", "token": "WO-20261201-0042"}


def test_a_hotline_takes_a_work_order_in_and_follows_it(api, committed, actors):
    key = api_key(actors)
    services = api.call("GET", f"{OPEN311}/services.json", key).body
    claim = next(s for s in services if s["service_code"] == "MEDICAL-CLAIM")
    assert (claim["service_name"], claim["metadata"]) == ("医疗费用报销", True)
    definition = api.call("GET", f"{OPEN311}/services/MEDICAL-CLAIM.json", key).body
    assert [(a["code"], a["datatype"], a["required"]) for a in definition["attributes"]] == [
        ("hospital", "string", True), ("admitted", "datetime", True), ("amount", "number", True)]

    created = api.call("POST", f"{OPEN311}/requests.json", key, form=WORK_ORDER)
    assert created.status == 201
    receipt_no = created.body[0]["service_request_id"]
    again = api.call("POST", f"{OPEN311}/requests.json", key, form=WORK_ORDER)
    assert again.body[0]["service_request_id"] == receipt_no  # a resent work order: one case

    [request] = api.call("GET", f"{OPEN311}/requests/{receipt_no}.json", key).body
    # Nothing on paper has come in yet: the case waits for the citizen's documents.
    assert (request["status"], request["detailed_status"], request["service_code"]) == (
        "open", "waiting_citizen", "MEDICAL-CLAIM")
    assert request["agency_responsible"] == "姜山镇姜山村代理点"
    assert [s["step"] for s in request["steps"]] == ["已受理"]
    assert request["media_url"] is None and "刘桂兰" not in str(request)
    with UnitOfWork() as uow:
        case = uow.session.scalar(select(Case).where(Case.receipt_no == receipt_no))
        assert (case.contact_email, case.answers["amount"], case.channel) == (
            "liu@example.cn", 3200, "phone")
        created_event = uow.session.scalar(select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "created"))
        assert created_event.actor_id is None and created_event.data["via"] == "12345热线"
        case_id = case.id
    # The citizen brings them to the village point, whose agent takes the case up.
    casework.documents_received(UnitOfWork(), actors["agent"], case_id)
    queue.claim(UnitOfWork(), actors["agent"], case_id)
    listed = api.call("GET", f"{OPEN311}/requests.json", key,
                      query={"service_request_id": receipt_no}).body
    assert [r["detailed_status"] for r in listed] == ["in_progress"]


def test_a_work_order_is_checked_as_intake_checks_it(api, committed, actors):
    key = api_key(actors)
    bad = {**WORK_ORDER, "phone": "123", "attribute[amount]": "很多", "token": ""}
    reply = api.call("POST", f"{OPEN311}/requests.json", key, form=bad)
    assert reply.status == 400
    said = {e["description"].split(":")[0] for e in reply.body}
    assert said == {"phone", "field.amount"} and {e["code"] for e in reply.body} == {400}
    elsewhere = api.call("POST", f"{OPEN311}/requests.json", api_key(actors, "shuiji", name="水集"),
                         form={**WORK_ORDER, "token": ""})
    assert elsewhere.status == 400 and elsewhere.body[0]["description"].startswith("unit_code")
    with UnitOfWork() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_key_sees_only_the_cases_of_its_units(api, committed, actors):
    receipt = new_case(UnitOfWork(), actors["agent"])  # Jiangshan
    shuiji = api_key(actors, "shuiji", name="水集镇便民服务平台")
    assert api.call("GET", f"{OPEN311}/requests/{receipt.receipt_no}.json", shuiji).status == 404
    assert api.call("GET", f"{OPEN311}/requests.json", shuiji).body == []
    jiangshan = api_key(actors, "jiangshan", name="姜山镇便民服务平台")
    assert api.call("GET", f"{OPEN311}/requests/{receipt.receipt_no}.json", jiangshan).status == 200


def test_a_province_platform_reads_events_and_hand_offs_and_pushes_the_rating(
        api, committed, actors):
    uow, agent = UnitOfWork(), actors["agent"]
    receipt = new_case(uow, agent)
    queue.claim(uow, agent, receipt.case_id)
    handoff.send(uow, agent, receipt.case_id, actors["officer"].unit_id, "需人社窗口办理")
    key = api_key(actors, scopes=["events.read", "ratings.write", "handoffs.read"])
    path = f"{NATIVE}/requests/{receipt.receipt_no}"
    first = api.call("GET", f"{path}/events", key, query={"limit": 2}).body
    assert [e["kind"] for e in first["events"]] == ["created", "claimed"]
    rest = api.call("GET", f"{path}/events", key, query={"after": first["next"]}).body
    assert [e["kind"] for e in rest["events"]] == ["handoff_requested"]
    assert api.call("GET", f"{path}/events", key, query={"after": rest["next"]}).body[
        "events"] == []
    [sent] = api.call("GET", f"{path}/handoffs", key).body["handoffs"]
    assert (sent["kind"], sent["state"], sent["to_unit_code"]) == ("transfer", "pending",
                                                                   "jiangshan-hrss")

    early = api.call("POST", f"{path}/rating", key, json_body={"rating": 2})
    assert early.status == 409  # not resolved yet
    handoff.withdraw(UnitOfWork(), agent, sent["id"])
    casework.resolve(UnitOfWork(), agent, receipt.case_id, "approved", "已认证")
    rated = api.call("POST", f"{path}/rating", key, json_body={"rating": 2, "comment": "太慢"})
    assert rated.status == 200 and rated.body["rectification"] is True
    assert api.call("POST", f"{path}/rating", key, json_body={"rating": 5}).status == 409
    assert api.call("POST", f"{path}/rating", key, json_body={"rating": 9}).status == 400


def test_no_key_a_wrong_one_or_a_revoked_one_is_refused_and_every_call_is_logged(
        api, committed, actors):
    assert api.call("GET", f"{OPEN311}/services.json").status == 401
    assert api.call("GET", f"{OPEN311}/services.json", "lxk_guessed").status == 401
    key = api_key(actors)
    assert api.call("GET", f"{OPEN311}/services.json", key).status == 200
    with UnitOfWork() as uow:
        from db.models import ApiClient
        client_id = uow.session.scalar(select(ApiClient.id))
    keys.revoke(UnitOfWork(), actors["admin"], client_id)
    assert api.call("GET", f"{OPEN311}/services.json", key).status == 401
    with UnitOfWork() as uow:
        logged = uow.session.execute(select(ApiCall.client_id, ApiCall.status)
                                     .order_by(ApiCall.id)).all()
    assert logged == [(None, 401), (None, 401), (client_id, keys.ADMITTED), (client_id, 200),
                      (None, 401)]
    [row] = keys.listing(UnitOfWork(), actors["admin"])
    assert row.revoked_at is not None and row.calls_today == 1 and row.key_prefix == key[:10]


def test_a_key_past_its_rate_waits(api, committed, actors, tuned):
    tuned(api_calls_per_minute=10)
    key = api_key(actors)
    statuses = [api.call("GET", f"{OPEN311}/services.json", key).status for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    refused = api.call("GET", f"{OPEN311}/services.json", key)
    assert refused.status == 429 and 1 <= int(refused.headers["Retry-After"]) <= 61
    other = api_key(actors, name="省好差评平台")
    assert api.call("GET", f"{OPEN311}/services.json", other).status == 200  # per key


def test_only_a_hash_of_the_key_is_kept(committed, actors):
    key = api_key(actors)
    with UnitOfWork() as uow:
        from db.models import ApiClient
        stored = uow.session.scalar(select(ApiClient))
        assert stored.key_hash == keys.digest(key) and key.encode() not in stored.key_hash


def test_a_nul_in_a_key_a_path_or_a_field_is_a_bad_request_not_an_outage(api, committed, actors):
    assert api.call("GET", f"{OPEN311}/services.json", query={"api_key": "lxk_\x00"}).status == 401
    key = api_key(actors)
    assert api.call("GET", f"{OPEN311}/requests/LX-%00.json", key).status == 400
    reply = api.call("POST", f"{OPEN311}/requests.json", key, form={**WORK_ORDER, "unit_code": "a\x00"})
    assert reply.status == 400 and reply.body[0]["description"].startswith("unit_code")


def test_the_list_of_requests_filters_by_status_service_and_window(api, committed, actors):
    uow, agent = UnitOfWork(), actors["agent"]
    done = new_case(uow, agent, handle=True)
    casework.resolve(uow, agent, done.case_id, "approved", "认证已通过")
    waiting = new_case(uow, agent, service="LABOUR-REG")
    key = api_key(actors)

    def listed(**query) -> list[str]:
        return [r["service_request_id"] for r in api.call(
            "GET", f"{OPEN311}/requests.json", key, query=query).body]

    assert set(listed()) == {done.receipt_no, waiting.receipt_no}
    assert listed(status="closed") == [done.receipt_no]
    assert listed(service_code="LABOUR-REG") == [waiting.receipt_no]
    assert listed(start_date="2000-01-01T00:00:00+08:00", end_date="2000-02-01") == []
    bad = api.call("GET", f"{OPEN311}/requests.json", key, query={"start_date": "昨天"})
    assert bad.status == 400 and bad.body[0]["description"].startswith("start_date")
    [resolved] = api.call("GET", f"{OPEN311}/requests.json", key,
                          query={"service_request_id": done.receipt_no}).body
    assert (resolved["status"], resolved["outcome"], resolved["status_notes"]) == (
        "closed", "approved", "认证已通过")


def test_a_body_too_big_of_another_kind_or_unreadable_is_refused_in_the_callers_language(
        api, committed, actors):
    key = api_key(actors)
    path = f"{OPEN311}/requests.json"
    big = api.call("POST", path, key, form={"description": "长" * 30_000})
    assert big.status == 413
    unreadable = api.call("POST", path, key, json_body=["not", "an", "object"],
                          query={"lang": "en"})
    assert unreadable.status == 400 and unreadable.body[0]["description"].startswith(
        "The body does not read")
    request = urllib.request.Request(f"{api.base}{path}", data=b"<xml/>", method="POST",
                                     headers={"X-API-Key": key, "Content-Type": "text/xml"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 415
