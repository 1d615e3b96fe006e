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
from db.config import ROOT, config
from db.models import AccountEvent, Holiday, Unit, User
from portal.accounts import accounts
from portal.admin import users as admin_users
from portal.run import bootstrap
from portal.uow import UnitOfWork
from tests.browser import free_port
from tests.factories import GOOD_PASSWORD, make_user

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


@pytest.fixture
def in_production(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    config.cache_clear()
    yield
    monkeypatch.undo()
    config.cache_clear()


def test_in_production_the_demo_password_signs_nobody_in_at_any_log_in(uow, in_production):
    refused = accounts.log_in(uow, "agent", demo.DEMO_PASSWORD)
    assert not refused.ok and refused.demo_password
    with uow:  # recorded as a failed log-in
        kinds = uow.session.scalars(
            select(AccountEvent.kind).join(User, User.id == AccountEvent.user_id)
            .where(User.username == "agent").order_by(AccountEvent.id.desc()).limit(1)).all()
    assert kinds == ["login_failed"]


def test_the_demo_password_still_signs_in_in_development(uow):
    assert accounts.log_in(uow, "agent", demo.DEMO_PASSWORD).ok


def _deactivated(uow, actors, username: str) -> int:
    user = accounts.actor(uow, username)
    admin_users.deactivate(uow, actors["admin"], user.id, None)
    return user.id


def test_a_reactivated_account_with_the_demo_password_gets_a_temporary_one(uow, actors):
    user_id = _deactivated(uow, actors, "agent")
    password = admin_users.reactivate(uow, actors["admin"], user_id)
    assert password and password != demo.DEMO_PASSWORD
    assert not accounts.log_in(uow, "agent", demo.DEMO_PASSWORD).ok
    assert accounts.log_in(uow, "agent", password).ok
    assert accounts.signed_in(uow, "agent").must_change_password


def test_in_production_a_reactivated_account_must_choose_a_new_password(
        uow, actors, in_production):
    user_id, username = make_user(uow, actors["admin"])
    admin_users.deactivate(uow, actors["admin"], user_id, None)
    assert admin_users.reactivate(uow, actors["admin"], user_id) is None  # its own password
    assert accounts.log_in(uow, username, GOOD_PASSWORD).ok
    assert accounts.signed_in(uow, username).must_change_password
