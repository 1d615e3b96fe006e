"""The API's door against a caller who means harm: a body with no end, brackets nested
thousands deep, values of the wrong kind, a flood of refused calls, numbers past the
database's, two work orders whose tokens differ only at the end, an e-mail that is a list."""

from __future__ import annotations

import json
import select
import socket

from sqlalchemy import func
from sqlalchemy import select as query

from db.models import ApiCall, Case
from portal.uow import UnitOfWork
from tests.factories import new_case
from tests.test_api import NATIVE, OPEN311, WORK_ORDER, api_key

MB = 1024 * 1024


def streamed(api, path: str, headers: str, total: int = 300 * MB) -> tuple[int | None, int]:
    """POST a chunked body (no Content-Length) of up to `total` bytes, stopping as soon as the
    server answers: its status, and how much had been sent by then."""
    chunk = 64 * 1024
    piece = f"{chunk:x}\r\n".encode() + b"[" * chunk + b"\r\n"
    with socket.create_connection(("127.0.0.1", api.port), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: portal\r\nTransfer-Encoding: chunked\r\n"
                     f"{headers}\r\n".encode())
        sent = 0
        try:
            while sent < total and not select.select([sock], [], [], 0.002)[0]:
                sock.sendall(piece)
                sent += chunk
            answer = sock.recv(4096)
        except (BrokenPipeError, ConnectionResetError):
            return None, sent
    return int(answer.split(b" ")[1]), sent


def logged(**where) -> list[tuple[int | None, int]]:
    with UnitOfWork() as uow:
        return uow.session.execute(query(ApiCall.client_id, ApiCall.status).filter_by(**where)
                                   .order_by(ApiCall.id)).all()


def test_a_keyless_body_with_no_length_is_refused_before_it_is_read(api, committed, actors):
    status, sent = streamed(api, f"{OPEN311}/requests.json", "Content-Type: application/json\r\n")
    assert status in (401, None) and sent < 30 * MB  # not 300 MB read into memory
    assert logged() == [(None, 401)]
    key = api_key(actors)
    status, sent = streamed(api, f"{OPEN311}/requests.json",
                            f"Content-Type: application/json\r\nX-API-Key: {key}\r\n")
    assert status in (413, None) and sent < 30 * MB  # given up once past 64 KB
    assert [s for _, s in logged()][-1] == 413


def test_brackets_nested_thousands_deep_are_a_logged_bad_request(api, committed, actors):
    deep = b"[" * 5000 + b"]" * 5000
    keyless = api.call("POST", f"{OPEN311}/requests.json", raw=deep,
                       headers={"Content-Type": "application/json"})
    assert keyless.status == 401  # the key first: the body was never parsed
    key = api_key(actors)
    refused = api.call("POST", f"{OPEN311}/requests.json", key, raw=deep,
                       headers={"Content-Type": "application/json"})
    assert refused.status == 400
    order = as_json(WORK_ORDER)
    nested = json.dumps({**order, "attribute": {**order["attribute"],
                                                "hospital": json.loads("[" * 900 + "]" * 900)}})
    inside = api.call("POST", f"{OPEN311}/requests.json", key, raw=nested.encode(),
                      headers={"Content-Type": "application/json"}, query={"lang": "en"})
    assert inside.status == 400 and "nests too deep" in inside.body[0]["description"]
    assert [s for _, s in logged()] == [401, 0, 400, 0, 400]


def as_json(order: dict) -> dict:
    """A work order as JSON: its attributes as an object."""
    attributes = {k[len("attribute["):-1]: v for k, v in order.items() if k.startswith("attribute[")}
    return {**{k: v for k, v in order.items() if "[" not in k}, "attribute": attributes}


def test_a_value_that_is_not_text_is_refused_not_stored_as_python(api, committed, actors):
    key = api_key(actors)
    order = as_json(WORK_ORDER)
    for field, value in (("last_name", {"a": 1}), ("phone", 13705321234), ("token", ["x"]),
                         ("description", None)):
        reply = api.call("POST", f"{OPEN311}/requests.json", key,
                         json_body={**order, field: value, "token": f"kind-{field}"}
                         if field != "token" else {**order, field: value})
        assert reply.status == 400 and reply.body[0]["description"].startswith(field), field
    reply = api.call("POST", f"{OPEN311}/requests.json", key, json_body={
        **order, "attribute": {**order["attribute"], "hospital": {"a": 1}}})
    assert reply.status == 400 and reply.body[0]["description"].startswith("attribute[hospital]")
    with UnitOfWork() as uow:
        assert uow.session.scalar(query(func.count()).select_from(Case)) == 0


def test_refused_calls_are_limited_per_address_whatever_key_they_bring(
        api, committed, actors, tuned):
    tuned(api_calls_per_minute=10)
    guesses = [api.call("GET", f"{OPEN311}/services.json", f"lxk_guess{n}").status
               for n in range(11)]
    assert guesses == [401] * 10 + [429]
    # A good key from that address waits too, until its minute has passed.
    refused = api.call("GET", f"{OPEN311}/services.json", api_key(actors))
    assert refused.status == 429 and 1 <= int(refused.headers["Retry-After"]) <= 61
    assert len(logged(status=429)) == 2  # every refusal is in the log


def test_out_of_scope_calls_count_as_refusals_of_their_address(api, committed, actors, tuned):
    tuned(api_calls_per_minute=10)
    reader = api_key(actors, scopes=["services.read"])
    statuses = [api.call("GET", f"{OPEN311}/requests.json", reader).status for _ in range(11)]
    assert statuses == [403] * 10 + [429]


def test_a_cursor_past_the_databases_numbers_is_a_bad_request(api, committed, actors):
    receipt = new_case(UnitOfWork(), actors["agent"]).receipt_no
    key = api_key(actors, unit="jiangshan")
    path = f"{NATIVE}/requests/{receipt}/events"
    for after in ("9999999999", "2147483648", "-1", "١٢"):
        reply = api.call("GET", path, key, query={"after": after})
        assert reply.status == 400 and reply.body[0]["description"].startswith("after"), after
    assert api.call("GET", path, key, query={"after": "2147483647"}).status == 200
    assert api.call("GET", path, key, query={"limit": "99999999999"}).status == 400


def test_two_work_orders_whose_long_tokens_share_their_start_are_two_cases(
        api, committed, actors):
    key = api_key(actors)
    shared = "WO-20261201-" + "0" * 22  # 34 characters alike
    first = api.call("POST", f"{OPEN311}/requests.json", key,
                     form={**WORK_ORDER, "token": shared + "-first-citizen"})
    second = api.call("POST", f"{OPEN311}/requests.json", key,
                      form={**WORK_ORDER, "token": shared + "-second-citizen"})
    assert first.status == second.status == 201
    assert first.body[0]["service_request_id"] != second.body[0]["service_request_id"]
    again = api.call("POST", f"{OPEN311}/requests.json", key,
                     form={**WORK_ORDER, "token": shared + "-second-citizen"})
    assert again.body[0]["service_request_id"] == second.body[0]["service_request_id"]
    # Another client's order with the same token is its own case.
    other = api.call("POST", f"{OPEN311}/requests.json", api_key(actors, name="另一条热线"),
                     form={**WORK_ORDER, "token": shared + "-first-citizen"})
    assert other.body[0]["service_request_id"] != first.body[0]["service_request_id"]
    too_long = api.call("POST", f"{OPEN311}/requests.json", key,
                        form={**WORK_ORDER, "token": "x" * 201})
    assert too_long.status == 400 and too_long.body[0]["description"].startswith("token")


def test_a_work_orders_email_must_be_one_address(api, committed, actors):
    key = api_key(actors)
    for n, email in enumerate(("me@example.cn,postmaster", "Liu <liu@example.cn>",
                               "grp: a@example.cn;", "a@example.cn\r\nBcc: b@example.cn")):
        reply = api.call("POST", f"{OPEN311}/requests.json", key,
                         form={**WORK_ORDER, "email": email, "token": f"mail-{n}"})
        assert reply.status == 400 and reply.body[0]["description"].startswith("email"), email
