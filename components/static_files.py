"""Streamlit's scripts and styles, compressed once per process and kept.

A new browser's first load is 2.9 MB as Streamlit serves it: uncompressed, on purpose,
because compressing on every request would spend the server's CPU (and the one GIL every
session shares) again and again. The files never change while the process runs (their names
carry a hash and browsers keep them a year), so each is compressed the first time it is
asked for and served from memory afterwards: a village point's slow line carries 1.2 MB and
the server compresses each file once.
"""

from __future__ import annotations

import gzip

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/static/"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MINIMUM = 1024  # smaller files gain less than the header costs
LEVEL = 6  # 9 costs 40% more time for 0.3% fewer bytes


class CompressedStatic:
    """An ASGI middleware: gzip-compressed static files from a per-process cache."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.kept: dict[str, tuple[list[tuple[bytes, bytes]], bytes]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path not in self.kept:
            start, body = await _whole_response(self.app, scope, receive)
            kept = _compressed(start, body)
            if kept is None:  # not a file worth compressing: as Streamlit sent it
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            self.kept[path] = kept
        headers, body = self.kept[path]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _applies(scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        if not scope["path"].startswith(PREFIX):
            return False
        headers = Headers(scope=scope)
        # A partial or conditional request is Streamlit's to answer.
        return "gzip" in headers.get("accept-encoding", "") and not any(
            name in headers for name in ("range", "if-none-match", "if-modified-since"))


async def _whole_response(app: ASGIApp, scope: Scope, receive: Receive
                          ) -> tuple[Message, bytes]:
    messages: list[Message] = []

    async def keep(message: Message) -> None:
        messages.append(message)
    await app(scope, receive, keep)
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return messages[0], body


def _compressed(start: Message, body: bytes) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
    headers = MutableHeaders(raw=list(start["headers"]))
    if (start["status"] != 200 or len(body) < MINIMUM or "content-encoding" in headers
            or not headers.get("content-type", "").startswith(COMPRESSIBLE)):
        return None
    packed = gzip.compress(body, LEVEL, mtime=0)
    headers["content-encoding"] = "gzip"
    headers["content-length"] = str(len(packed))
    headers["vary"] = "Accept-Encoding"
    if "etag" in headers:  # the compressed bytes are another representation
        del headers["etag"]
    return headers.raw, packed
