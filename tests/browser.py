"""A real Streamlit server on the test database, and headless Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from db import roles
from db.config import ROOT, config
from portal import clients

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def portal_server(database_url: str, log: Path, address: str = "127.0.0.1",
                  **extra: str) -> Iterator[str]:
    """Start `streamlit run server.py` on a free port of `address` (with `extra` environment
    variables); yield its base URL; stop it afterwards."""
    port = free_port()
    # As in production: the server holds only the app role's URL, never the owner's.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_APP_URL"] = roles.app_url(database_url, config().app_role, None)
    env.update(clients.WEB_SERVER_ENV, **extra)
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"),
               "--server.port", str(port), "--server.address", address,
               "--server.headless", "true", "--server.fileWatcherType", "none"]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_healthy(base, server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=20)


def _wait_healthy(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{base} did not become healthy in {timeout} s")


ARTIFACTS = ROOT / "var" / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium for the browser tests")
        pytest.skip("no /usr/bin/chromium on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser(chromium, request):
    """The browser for one test. Afterwards its windows are closed, so that none keeps calling
    a server that has stopped; if the test failed, each is saved as a screenshot first."""
    from playwright.sync_api import Error as PlaywrightError

    yield chromium
    report = getattr(request.node, "rep_call", None)
    for n, context in enumerate(chromium.contexts):
        if report is not None and report.failed:
            for m, page in enumerate(context.pages):
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(PlaywrightError):  # a crashed page has no picture
                    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}-{m}.png"))
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, for fixtures that act on a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
