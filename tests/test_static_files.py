"""Streamlit's scripts are compressed once per process and served from memory afterwards;
what is not a whole, plain script is passed on as Streamlit sends it."""

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from components.static_files import CompressedStatic

SCRIPT = "console.log('服务');\n" * 500


def portal() -> tuple[CompressedStatic, list[str]]:
    """The middleware in front of a stand-in for Streamlit's static files."""
    asked = []

    def script(request):
        asked.append(request.url.path)
        return Response(SCRIPT, media_type="application/javascript",
                        headers={"cache-control": "public, immutable, max-age=31536000",
                                 "etag": '"abc"'})

    def font(request):
        asked.append(request.url.path)
        return Response(b"\x00" * 5000, media_type="font/woff2")

    app = Starlette(routes=[Route("/static/js/index.js", script),
                            Route("/static/media/font.woff2", font),
                            Route("/_stcore/health", lambda r: PlainTextResponse("ok"))])
    return CompressedStatic(app), asked


def get(app, path: str, **headers: str) -> tuple[Headers, bytes]:
    """One GET through the ASGI interface, as the web server makes it."""
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
             "root_path": "", "scheme": "http", "query_string": b"", "http_version": "1.1",
             "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 5000),
             "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)
    # In a thread of its own: the browser tests leave an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Headers(raw=sent[0]["headers"]), body


def test_a_script_is_compressed_once_and_then_served_from_memory():
    app, asked = portal()
    for _ in range(3):
        headers, body = get(app, "/static/js/index.js", accept_encoding="gzip, deflate, br")
        assert headers["content-encoding"] == "gzip"
        assert gzip.decompress(body).decode() == SCRIPT
        assert int(headers["content-length"]) == len(body) < len(SCRIPT.encode()) / 10
        assert headers["cache-control"].startswith("public, immutable")
        assert "etag" not in headers and headers["vary"] == "Accept-Encoding"
    assert asked == ["/static/js/index.js"]  # Streamlit was asked once


def test_what_is_not_a_plain_whole_script_passes_as_it_was():
    app, asked = portal()
    headers, body = get(app, "/static/js/index.js", accept_encoding="identity")
    assert "content-encoding" not in headers and body.decode() == SCRIPT
    headers, _ = get(app, "/static/js/index.js", accept_encoding="gzip", range="bytes=0-9")
    assert "content-encoding" not in headers
    headers, body = get(app, "/static/media/font.woff2", accept_encoding="gzip")
    assert "content-encoding" not in headers and len(body) == 5000  # compressed already
    assert get(app, "/_stcore/health", accept_encoding="gzip")[1] == b"ok"
    assert asked.count("/static/js/index.js") == 2 and asked.count("/static/media/font.woff2") == 1
