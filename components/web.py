"""What the web server does beside the Streamlit app (server.py): the two routes that set and
clear the HttpOnly session cookie, which a Streamlit script cannot, and a guard on the
websocket that keeps any browser from dropping the caches every user shares."""

from __future__ import annotations

from urllib.parse import urlsplit

from google.protobuf.message import DecodeError
from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit.proto.BackMsg_pb2 import BackMsg

from portal import clients, registry
from portal.accounts import sessions
from portal.uow import UnitOfWork

PAGE_PATHS = {"/"} | {f"/{page.key}" for page in registry.PAGES}


def start_session(request: Request) -> RedirectResponse:
    """GET /session/start?h=<one-time token>&next=<page>: the cookie, then the page."""
    try:
        token = sessions.hand_over(UnitOfWork(), request.query_params.get("h", ""))
    except DBAPIError:  # the database is away: the log-in page says so
        token = None
    asked = urlsplit(request.query_params.get("next", "/"))
    target = asked.path if asked.path in PAGE_PATHS and not asked.netloc else "/"
    response = RedirectResponse(target if token else "/", status_code=303)
    if token:
        response.set_cookie(sessions.COOKIE, token, path="/", httponly=True, samesite="lax",
                            secure=_https(request),
                            max_age=int(sessions.LIFETIME.total_seconds()))
    return response


def end_session(request: Request) -> RedirectResponse:
    """GET /session/end: the browser forgets its cookie (the session ended on the server)."""
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax",
                           secure=_https(request))
    return response


def origin(request: Request) -> clients.Origin:
    """Where an HTTP request came from (the API's calls too), as portal.clients decides."""
    return clients.origin(request.client.host if request.client else None, request.headers,
                          request.url.scheme)


def _https(request: Request) -> bool:
    return origin(request).https


class NoSniff:
    """Every answer says its content type is the whole truth (`X-Content-Type-Options:
    nosniff`): an attachment served under /media as an image is never run as a page or a
    script, whatever bytes it holds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_nosniff(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"x-content-type-options"]
                message = {**message, "headers": [*headers, (b"x-content-type-options",
                                                             b"nosniff")]}
            await send(message)

        await self.app(scope, receive, send_nosniff)


class KeepSharedCaches:
    """Drops the websocket's clear-cache message before Streamlit sees it.

    Streamlit empties every st.cache_data and st.cache_resource of the process when any
    browser sends it (a developer's menu item; its toolbar is hidden, the message is not),
    so one visitor could make every dashboard on the server query the database anew on each
    refresh, as often as they liked.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return

        async def without_cache_clearing() -> Message:
            while True:
                message = await receive()
                if not _clears_caches(message):
                    return message

        await self.app(scope, without_cache_clearing, send)


# The clear-cache field's tag (field 5, a varint): a frame without this byte cannot hold it,
# so most frames (every rerun) are let through without being parsed.
_CLEAR_CACHE_TAG = bytes([BackMsg.DESCRIPTOR.fields_by_name["clear_cache"].number << 3])


def _clears_caches(message: Message) -> bool:
    data = message.get("bytes") if message["type"] == "websocket.receive" else None
    if not data or _CLEAR_CACHE_TAG not in data:
        return False
    try:
        return BackMsg.FromString(data).WhichOneof("type") == "clear_cache"
    except DecodeError:
        return False
