"""Fixtures: a fresh real PostgreSQL database per test run, and a clean state per test.

The server is the embedded one (pgserver, under var/test-pgdata) unless TEST_DATABASE_URL
names another, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test. Either way the run
creates its own database there, migrates it, loads the reference data, and drops it at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from db import demo, embedded, migrate
from db import engine as db_engine
from db.config import ROOT, config
from portal import clock, settings
from portal.access import Actor
from portal.accounts import accounts
from portal.uow import UnitOfWork

pytest_plugins = ["tests.browser"]  # the browser fixture
TRANSACTIONAL_TABLES = ("notifications, outbox, attachments, attachment_blobs, api_calls, "
                        "api_clients, message_templates, history_digests, daily_figures, "
                        "daily_figures_done, supervision_notices, "
                        "case_events, case_materials, rectifications, extensions, handoffs, "
                        "feedback, cases, citizens")


def _server_url() -> str:
    """A libpq URL to a maintenance database of the server the tests use."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    sa_url = embedded.start(ROOT / "var" / "test-pgdata", database="postgres")
    return sa_url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    server = _server_url()
    name = f"portal_test_{uuid.uuid4().hex[:8]}"
    embedded.create_database(server, name)
    url = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
    url_text = url.render_as_string(hide_password=False)
    os.environ["DATABASE_URL"] = url_text  # as the owner; the portal itself runs as its app role
    os.environ.pop("DATABASE_APP_URL", None)
    config.cache_clear()
    db_engine.forget()
    migrate.upgrade(url_text)
    with Session(db_engine.owner_engine()) as session:
        demo.load_reference(session, villages=(3, 3))
        session.commit()
    yield url_text
    db_engine.engine().dispose()
    db_engine.owner_engine().dispose()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch(database_url: str) -> Iterator[str]:
    """A database of its own on the test server, as its owner; dropped afterwards."""
    url = make_url(database_url).set(database=f"portal_scratch_{uuid.uuid4().hex[:8]}")
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    embedded.create_database(admin, url.database)
    yield url.render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


@pytest.fixture
def uow_factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions inside one outer transaction that is rolled back after the test."""
    connection = db_engine.engine().connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                           expire_on_commit=False)
    yield factory
    outer.rollback()
    connection.close()


@pytest.fixture
def uow(uow_factory) -> UnitOfWork:
    return UnitOfWork(uow_factory)


@pytest.fixture
def committed(database_url: str) -> Iterator[None]:
    """For tests whose writes must be seen by other connections: cases are wiped afterwards."""
    _wipe_cases()
    yield
    _wipe_cases()


def _wipe_cases() -> None:
    from components.shared_cache import SharedCache
    for cache in SharedCache.every:  # each waits for a refresh still reading the tables
        cache.clear()
    with db_engine.owner_engine().begin() as conn:  # the portal's own role may not TRUNCATE
        conn.execute(text(f"TRUNCATE {TRANSACTIONAL_TABLES} RESTART IDENTITY"))
        # A language picked in a test is kept with the account: every user starts in Chinese.
        conn.execute(text("UPDATE users SET language = 'zh' WHERE language <> 'zh'"))


def owner_delete(statement: str, **params: object) -> None:
    """Remove test rows from an append-only log: as the owner, with its triggers off."""
    with db_engine.owner_engine().begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(statement), params)


@pytest.fixture
def tuned(database_url: str) -> Iterator[Callable[..., None]]:
    """Tune settings for one test: committed, so every connection sees them; removed after."""
    def tune(**values: object) -> None:
        with db_engine.engine().begin() as conn:
            for key, value in values.items():
                conn.execute(text("INSERT INTO settings VALUES (:k, CAST(:v AS jsonb)) ON CONFLICT "
                                  "(key) DO UPDATE SET value = excluded.value"),
                             {"k": key, "v": json.dumps(value)})
        settings.forget()
    yield tune
    with db_engine.engine().begin() as conn:
        conn.execute(text("DELETE FROM settings"))
    settings.forget()


@pytest.fixture
def committed_user(committed, actors) -> Iterator[tuple[int, str]]:
    """A user committed for other connections to see, with factories.GOOD_PASSWORD; removed
    afterwards (the admin change recording its creation stays: that table is append-only)."""
    from tests.factories import make_user
    user_id, username = make_user(UnitOfWork(), actors["admin"])
    yield user_id, username
    owner_delete("DELETE FROM account_events WHERE user_id = :u", u=user_id)
    owner_delete("DELETE FROM users WHERE id = :u", u=user_id)


@pytest.fixture
def frozen_clock() -> Iterator[Callable[[dt.datetime | None], None]]:
    yield clock.freeze
    clock.freeze(None)


@pytest.fixture
def actors(database_url: str) -> dict[str, Actor]:
    """The demo users by username: agent, officer, manager, admin (and staff-<unit>)."""
    found = {}
    for username, *_ in demo.DEMO_USERS:
        found[username] = accounts.actor(UnitOfWork(), username)
    return found


def actor_for(username: str) -> Actor:
    actor = accounts.actor(UnitOfWork(), username)
    assert actor is not None, username
    return actor


@pytest.fixture(scope="session")
def api(database_url):
    """The API served by uvicorn on a port of 127.0.0.1, with a client calling it over HTTP."""
    from tests.api_client import ApiServer
    server = ApiServer()
    yield server
    server.stop()
