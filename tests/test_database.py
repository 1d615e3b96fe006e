"""The database side: restarts keep every case, an outage is survived, migrations run both ways."""

from __future__ import annotations

import psycopg
import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from db import demo, embedded, migrate
from db.engine import make_engine, owner_engine
from db.models import Case
from portal.accounts import accounts
from portal.casework import queue
from portal.messages import t
from portal.uow import UnitOfWork
from tests.factories import new_case


@pytest.fixture
def own_server(tmp_path):
    """An embedded server of this test's own, in a temporary data directory."""
    pgdata = tmp_path / "pgdata"
    url = embedded.start(pgdata)
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        demo.load_reference(session, villages=(1, 1))
        session.commit()
    yield pgdata, engine
    engine.dispose()
    embedded.stop(pgdata)


def uow_on(engine) -> UnitOfWork:
    return UnitOfWork(sessionmaker(engine, expire_on_commit=False))


def test_stopping_and_restarting_the_embedded_database_keeps_every_case(own_server):
    pgdata, engine = own_server
    agent = accounts.actor(uow_on(engine), "agent")
    receipts = [new_case(uow_on(engine), agent).receipt_no for _ in range(3)]
    engine.dispose()
    embedded.stop(pgdata)
    with pytest.raises(OperationalError):
        queue.badge_counts(uow_on(engine), agent)  # really down
    embedded.start(pgdata)
    with uow_on(engine) as uow:
        stored = uow.session.scalars(select(Case.receipt_no).order_by(Case.id)).all()
    assert stored == receipts


def test_a_database_that_goes_away_and_comes_back_costs_one_failed_action(own_server):
    pgdata, engine = own_server
    agent = accounts.actor(uow_on(engine), "agent")
    new_case(uow_on(engine), agent)
    embedded.stop(pgdata)  # pooled connections are now dead
    with pytest.raises(DBAPIError):
        new_case(uow_on(engine), agent, name="赵春生")
    embedded.start(pgdata)
    # The pool notices the dead connections and reconnects; nothing half-written remains.
    new_case(uow_on(engine), agent, name="孙海燕")
    with uow_on(engine) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Case)) == 2


def test_a_lost_database_is_a_message_not_a_crash():
    def script():
        from sqlalchemy.exc import OperationalError

        from components.feedback import reported
        with reported():
            raise OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"))

    at = AppTest.from_function(script).run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("error.database", "zh")]


def test_migrations_go_down_and_up_again(database_url):
    scratch = make_url(database_url).set(database="portal_migrations_check")
    url = scratch.render_as_string(hide_password=False)
    admin = scratch.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    embedded.create_database(admin, scratch.database)
    try:
        migrate.upgrade(url)
        command.downgrade(migrate.alembic_config(url), "base")
        migrate.upgrade(url)
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0
        engine.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)')


def test_case_events_are_append_only_even_for_the_owner(committed, actors):
    receipt = new_case(UnitOfWork(), actors["agent"])
    for statement in ("UPDATE case_events SET kind = 'forged'", "DELETE FROM case_events"):
        with owner_engine().connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))
    with UnitOfWork() as uow:
        kinds = uow.session.scalars(text("SELECT kind FROM case_events WHERE case_id = :id"),
                                    {"id": receipt.case_id}).all()
    assert kinds == ["created"]


def test_the_models_and_the_migrations_describe_the_same_schema(database_url):
    # Fails when a model changes without a migration (or the other way round).
    command.check(migrate.alembic_config(database_url))


def test_queries_are_never_turned_into_prepared_statements(committed, actors):
    # A prepared statement can switch to a generic plan that ignores the search's indexes.
    from db.engine import engine
    for _ in range(8):
        queue.unit_queue(UnitOfWork(), actors["agent"], "zh")
    with engine().connect() as conn:
        assert conn.connection.driver_connection.prepare_threshold is None
        for _ in range(8):
            conn.execute(text("SELECT count(*) FROM cases WHERE receipt_no LIKE :p"), {"p": "%1%"})
        assert conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one() == 0


def test_the_portals_connections_do_not_jit_compile_queries(database_url):
    # JIT compiling added 40-50 ms to each dashboard query on PostgreSQL 15 and saved nothing.
    from db.engine import engine
    with engine().connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar_one() == "off"


def test_ratings_and_call_backs_already_recorded_survive_revision_0019(scratch):
    """Ratings typed by staff before 0019 count in no figure, a paper ledger's stay the
    citizens', and every closed rectification keeps its call-back (append-only triggers on)."""
    from db import seed
    migrate.upgrade(scratch)
    engine = make_engine(scratch)
    config = migrate.alembic_config(scratch)
    try:
        seed.seed(engine, 400)
        command.downgrade(config, "0018")
        with engine.begin() as conn:
            ledger_case, unit = conn.execute(text(
                "SELECT f.case_id, c.unit_id FROM feedback f JOIN cases c ON c.id = f.case_id "
                "ORDER BY f.id LIMIT 1")).one()
            conn.execute(text("INSERT INTO case_events (case_id, at, unit_id, kind, data) "
                              "VALUES (:c, now(), :u, 'imported', '{}')"),
                         {"c": ledger_case, "u": unit})
            called = conn.scalar(text("SELECT count(*) FROM rectifications WHERE called_back"))
        command.upgrade(config, "head")
        with engine.connect() as conn:
            sources = dict(conn.execute(text(
                "SELECT source, count(*) FROM feedback GROUP BY source")).all())
            kept = conn.scalar(text("SELECT count(*) FROM rectifications WHERE called_at = "
                                    "closed_at AND called_by = closed_by"))
            with pytest.raises(DBAPIError):
                conn.execute(text("UPDATE feedback SET rating = 5"))
        assert sources["ledger"] == 1 and sources["window"] > 0 and "citizen" not in sources
        assert called > 0 and kept == called
    finally:
        engine.dispose()
