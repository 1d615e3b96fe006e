"""No demo accounts in production: a production start loads no demo data and refuses to serve
while any account has the published demo password; the first admin comes from create-admin."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from db import demo, migrate
from db.config import ROOT
from db.models import Holiday, Unit, User
from portal.accounts import accounts
from portal.run import bootstrap
from portal.uow import UnitOfWork
from tests.browser import free_port

pytestmark = pytest.mark.server


def production(url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_APP_URL",)}
    return {**env, "DATABASE_URL": url, "PORTAL_ENV": "production", **extra}


def users(url: str) -> list[User]:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(User).order_by(User.username)))
    finally:
        engine.dispose()


def start(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "portal", "run", "--port", str(free_port()),
                             *args], cwd=ROOT, env=production(url), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def read_until(process: subprocess.Popen, pattern: str, timeout: float = 120) -> str:
    """What the process printed, up to the line matching `pattern`."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if re.search(pattern, line):
            return "".join(seen)
    raise AssertionError(f"no {pattern!r} in: {''.join(seen)}")


def test_a_production_start_on_an_empty_database_creates_no_account(scratch):
    server = start(scratch)
    try:
        printed = read_until(server, "Service Agent Portal: http")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert users(scratch) == [] and demo.DEMO_PASSWORD not in printed
    assert "create-admin" in printed


def test_production_refuses_to_start_while_an_account_has_the_demo_password(scratch):
    migrate.upgrade(scratch)
    engine = create_engine(scratch)
    with Session(engine) as session:
        demo.load_reference(session, villages=(1, 1))  # the demo logins, published password
        session.commit()
    engine.dispose()
    refused = start(scratch)
    printed, _ = refused.communicate(timeout=120)
    assert refused.returncode == 2
    assert "demo password" in printed and "admin, agent, manager, officer" in printed


def test_demo_data_asked_for_in_production_gets_passwords_that_must_be_changed(
        scratch):
    server = start(scratch, "--demo", "--cases", "10")
    try:
        printed = read_until(server, "Service Agent Portal: http")
    finally:
        server.terminate()
        server.wait(timeout=30)
    password = re.search(r"password for each: (\S+);", printed).group(1)
    assert password != demo.DEMO_PASSWORD
    logins = {u.username: u for u in users(scratch) if u.username in
              {name for name, *_ in demo.DEMO_USERS}}
    assert len(logins) == 4 and all(u.must_change_password for u in logins.values())


def test_the_first_admin_comes_from_create_admin_and_must_change_the_password(scratch):
    done = subprocess.run([sys.executable, "-m", "portal", "create-admin", "--username", "it-wang",
                           "--name", "王工"], cwd=ROOT, env=production(scratch),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    password = re.search(r"Password \(shown once\): (\S+)", done.stdout).group(1)
    [admin] = users(scratch)
    assert (admin.username, admin.role, admin.must_change_password) == ("it-wang", "admin", True)
    engine = create_engine(scratch)
    uow = UnitOfWork(sessionmaker(engine))
    try:
        assert accounts.log_in(uow, "it-wang", password).ok
        assert bootstrap.demo_password_accounts(uow) == []
        with Session(engine) as session:
            assert session.scalar(select(Unit.name_zh).where(Unit.parent_id.is_(None))) == \
                "行政服务大厅"
            assert session.scalar(select(text("count(*)")).select_from(Holiday)) > 20
    finally:
        engine.dispose()


def test_no_one_may_choose_the_demo_password(database_url):
    assert accounts.password_error(demo.DEMO_PASSWORD, "someone") == "password.error.trivial"
