"""The API's HTTP side, served by the Streamlit process beside the app (server.py).

Each route names its scope; the key (X-API-Key, or Open311's api_key) is checked, the call
counted against the key's rate and recorded, then answered by the services in portal/api,
in a worker thread so the server's event loop never waits on the database. Errors take
Open311's shape: a list of {code, description}.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from components import web
from portal.api import keys, native, open311, spec
from portal.errors import DomainError, InvalidInput, NotFound, NotPermitted
from portal.messages import t
from portal.storable import storable
from portal.uow import UnitOfWork

BODY_MAX = 64 * 1024
# A body is an object; Open311's attributes an object in it, a multi-valued one a list there.
NESTING_MAX = 3
FORM = "application/x-www-form-urlencoded"
INT_MAX = 2**31 - 1  # the database's integer: a cursor past it is a bad request
Handler = Callable[[keys.Client, "Call"], Any]


class Call:
    """What a handler reads of the request: path and query parameters, the body, the language."""

    def __init__(self, request: Request) -> None:
        self.path = dict(request.path_params)
        self.query = request.query_params
        self.body: dict[str, Any] = {}
        asked = self.query.get("lang") or request.headers.get("Accept-Language", "zh")
        self.lang = "en" if asked.lower().startswith("en") else "zh"


def _errors(status: int, descriptions: list[str], headers: dict[str, str] | None = None
            ) -> JSONResponse:
    return JSONResponse([{"code": status, "description": d} for d in descriptions],
                        status_code=status, headers=headers)


def _refusal(error: Exception, lang: str) -> JSONResponse:
    """The answer to a call a rule refused."""
    if isinstance(error, InvalidInput):
        return _errors(400, [f"{field}: {t(key, lang)}" for field, key in error.errors.items()])
    if isinstance(error, NotFound):
        return _errors(404, [t("api.error.not_found", lang)])
    if isinstance(error, NotPermitted):
        return _errors(403, [t(error.key, lang)])
    if isinstance(error, DomainError):
        return _errors(409, [t(error.key, lang, **error.params)])
    return _errors(400, [t("api.error.invalid", lang)])


class BadBody(Exception):
    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status, self.key = status, key


async def _read(request: Request) -> bytes:
    """The body, read in chunks and given up as soon as it passes BODY_MAX, whatever its
    headers claim: a chunked body declares no length at all."""
    declared = request.headers.get("Content-Length")
    if declared is not None and (not declared.isdigit() or int(declared) > BODY_MAX):
        raise BadBody(413, "api.error.body_too_big")
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > BODY_MAX:
            raise BadBody(413, "api.error.body_too_big")
    return bytes(raw)


def _kind(request: Request) -> str:
    return request.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _parsed(raw: bytes, kind: str) -> dict[str, Any]:
    """A POST's fields, form-encoded or JSON; BadBody when it is neither or unreadable."""
    try:
        if kind == "application/json":
            body = json.loads(raw or b"{}")
        elif kind == "application/x-www-form-urlencoded":
            body = _form(raw.decode())
        else:
            raise BadBody(415, "api.error.body_type")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadBody(400, "api.error.body_unreadable") from None
    if not isinstance(body, dict):
        raise BadBody(400, "api.error.body_unreadable")
    if _depth(body) > NESTING_MAX:
        raise BadBody(400, "api.error.body_nested")
    return body


def _depth(value: Any) -> int:
    """How deep lists and objects nest in `value`, counted without recursion."""
    deepest, waiting = 0, [(value, 1)]
    while waiting:
        item, depth = waiting.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(
            item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if depth <= NESTING_MAX:  # deeper is refused however deep it goes
            waiting.extend((child, depth + 1) for child in children)
    return deepest


def _form(text: str) -> dict[str, Any]:
    """Open311's form fields, `attribute[code]` (and `attribute[code][]`) gathered."""
    body: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for name, value in parse_qsl(text, keep_blank_values=True, strict_parsing=False):
        if name.startswith("attribute[") and "]" in name:
            code = name[len("attribute["):name.index("]")]
            if name.endswith("[]"):
                attributes.setdefault(code, []).append(value)
            else:
                attributes[code] = value
        else:
            body[name] = value
    if attributes:
        body["attribute"] = attributes
    return body


def endpoint(scope: str, handler: Handler, ok: int = 200):
    """The route's answer: who calls and with which key first, the body only after the key
    and its scope are admitted (or, for an Open311 form that carries its key inside, the
    body read within its cap to find it)."""
    async def answer(request: Request) -> JSONResponse:
        call = Call(request)
        address = web.origin(request).address
        key = request.headers.get("X-API-Key") or request.query_params.get("api_key")
        raw, bad, kind = None, None, _kind(request)
        if request.method == "POST" and not key and kind == FORM:
            try:
                raw = await _read(request)
                key = _form(raw.decode(errors="replace")).get("api_key")
            except BadBody as error:
                bad = _errors(error.status, [t(error.key, call.lang)])
        method, path = request.method, request.url.path
        try:
            client = await run_in_threadpool(keys.admit, UnitOfWork(), key, scope, method,
                                             path, address)
        except keys.Refused as refused:
            headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
            return _errors(refused.status, [t(refused.description, call.lang)], headers)
        except DBAPIError:
            return _errors(503, [t("api.error.unavailable", call.lang)])
        if bad is None and request.method == "POST":
            try:
                call.body = _parsed(raw if raw is not None else await _read(request), kind)
            except BadBody as error:
                bad = _errors(error.status, [t(error.key, call.lang)])
        response = bad or await _answered(handler, client, call, ok)
        # The call was admitted and recorded; if its outcome cannot be, the answer still goes.
        with contextlib.suppress(DBAPIError):
            await run_in_threadpool(keys.answered, UnitOfWork(), client.id, method, path,
                                    response.status_code, address)
        return response
    return answer


def _unstorable(call: Call) -> dict[str, str]:
    """Parameters with characters the database cannot take (NUL): named, never sent on."""
    given = {**call.path, **dict(call.query), **call.body}
    return {name: "form.error.characters" for name, value in given.items()
            if not storable(name) or not all(storable(v) for v in _texts(value))}


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value.keys(), *(t for v in value.values() for t in _texts(v))]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [value] if isinstance(value, str) else []


async def _answered(handler: Handler, client: keys.Client, call: Call, ok: int) -> JSONResponse:
    if errors := _unstorable(call):
        return _refusal(InvalidInput(errors), call.lang)
    try:
        return JSONResponse(await run_in_threadpool(handler, client, call), status_code=ok)
    except (DomainError, ValueError) as error:
        return _refusal(error, call.lang)
    except DBAPIError:
        return _errors(503, [t("api.error.unavailable", call.lang)])


def _moment(text: str | None, field: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput({field: "api.error.date"}) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _whole(text: str | None, field: str, default: int) -> int:
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > INT_MAX:
        raise InvalidInput({field: "api.error.cursor"})
    return int(text)


def _post(client: keys.Client, call: Call) -> list[dict[str, Any]]:
    attributes = call.body.get("attribute") or {}
    if not isinstance(attributes, dict):
        raise InvalidInput({"attribute": "form.error.kind"})
    fields = {k: v for k, v in call.body.items() if k != "attribute"}
    return [open311.post(UnitOfWork(), client, fields, attributes)]


def _list(client: keys.Client, call: Call) -> list[dict[str, Any]]:
    status = call.query.get("status")
    if status not in (None, "open", "closed"):
        raise InvalidInput({"status": "api.error.status"})
    ids = call.query.get("service_request_id")
    return open311.requests(
        UnitOfWork(), client, call.lang, ids=ids.split(",") if ids else None,
        service_code=call.query.get("service_code"), status=status,
        start=_moment(call.query.get("start_date"), "start_date"),
        end=_moment(call.query.get("end_date"), "end_date"))


def _events(client: keys.Client, call: Call) -> dict[str, Any]:
    return native.events(UnitOfWork(), client, call.path["service_request_id"],
                         _whole(call.query.get("after"), "after", 0),
                         _whole(call.query.get("limit"), "limit", native.EVENTS_MAX))


def _rate(client: keys.Client, call: Call) -> dict[str, Any]:
    return native.rate(UnitOfWork(), client, call.path["service_request_id"],
                       call.body.get("rating"), call.body.get("comment", ""))


DOCUMENT = spec.document()  # built once: it changes only with the code


def openapi(request: Request) -> JSONResponse:
    return JSONResponse(DOCUMENT)


OPEN311, NATIVE = spec.OPEN311, spec.NATIVE
ROUTES = [
    Route("/api/openapi.json", openapi),
    Route(f"{OPEN311}/services.json", endpoint(
        "services.read", lambda c, call: open311.services(UnitOfWork(), call.lang))),
    Route(f"{OPEN311}/services/{{service_code}}.json", endpoint(
        "services.read", lambda c, call: open311.definition(
            UnitOfWork(), call.path["service_code"], call.lang))),
    Route(f"{OPEN311}/requests.json", endpoint("requests.write", _post, ok=201), methods=["POST"]),
    Route(f"{OPEN311}/requests.json", endpoint("requests.read", _list), methods=["GET"]),
    Route(f"{OPEN311}/requests/{{service_request_id}}.json", endpoint(
        "requests.read", lambda c, call: [open311.request(
            UnitOfWork(), c, call.path["service_request_id"], call.lang)])),
    Route(f"{NATIVE}/requests/{{service_request_id}}/events", endpoint("events.read", _events)),
    Route(f"{NATIVE}/requests/{{service_request_id}}/rating", endpoint("ratings.write", _rate),
          methods=["POST"]),
    Route(f"{NATIVE}/requests/{{service_request_id}}/handoffs", endpoint(
        "handoffs.read", lambda c, call: native.handoffs(
            UnitOfWork(), c, call.path["service_request_id"]))),
]
