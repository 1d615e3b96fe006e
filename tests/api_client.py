"""The API served as in production, by uvicorn on a port of 127.0.0.1, and a small client
that calls it as another system would (urllib: what a hotline's integration script has)."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import uvicorn
from starlette.applications import Starlette

from components import api


@dataclass
class Reply:
    status: int
    headers: Any  # case-insensitive, as http.client gives them
    body: Any


class ApiServer:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        # As server.py has it: the web server believes no proxy's headers; portal.clients decides.
        config = uvicorn.Config(Starlette(routes=api.ROUTES), host="127.0.0.1", port=self.port,
                                log_level="warning", proxy_headers=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def call(self, method: str, path: str, key: str | None = None, *,
             form: dict[str, Any] | None = None, json_body: Any = None,
             query: dict[str, Any] | None = None, raw: bytes | None = None,
             headers: dict[str, str] | None = None) -> Reply:
        url = f"{self.base}{path}{'?' + urlencode(query) if query else ''}"
        data, headers = raw, dict(headers or {})
        if form is not None:
            data = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["X-API-Key"] = key
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Reply(response.status, response.headers, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, json.loads(error.read()))
