"""Sessions kept on the server: the browser's token is checked on every run, ends when it
should, and a copied cookie ends with it; only hashes are stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from db.models import UserSession
from portal import clock, settings
from portal.accounts import accounts, sessions
from portal.admin import users
from portal.errors import NotFound
from tests.factories import make_user

MOMENT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=clock.TZ)


@pytest.fixture
def person(uow, actors, frozen_clock):
    frozen_clock(MOMENT)
    return make_user(uow, actors["admin"])


def at(frozen_clock, **delta) -> None:
    frozen_clock(MOMENT + dt.timedelta(**delta))


def test_a_log_in_signs_in_by_its_token_and_stores_only_hashes(uow, person):
    user_id, username = person
    started = sessions.start(uow, user_id, "192.0.2.1", "Chromium")
    found = sessions.current(uow, started.token, touch=False)
    assert found.actor.username == username and not found.must_change_password
    with uow:
        row = uow.session.scalar(select(UserSession).where(UserSession.user_id == user_id))
        stored = f"{row.token_hash!r}{row.handover_hash!r}"
        where = (row.client, row.user_agent)
    assert started.token not in stored and started.handover not in stored
    assert where == ("192.0.2.1", "Chromium")


def test_the_handover_gives_the_cookie_a_new_token_once_within_a_minute(uow, person, frozen_clock):
    user_id, _ = person
    started = sessions.start(uow, user_id, "192.0.2.1", "Chromium")
    cookie = sessions.hand_over(uow, started.handover)
    assert cookie and cookie != started.token
    assert sessions.hand_over(uow, started.handover) is None  # used
    assert sessions.current(uow, cookie, touch=False).actor.id == user_id
    assert sessions.current(uow, started.token, touch=False) == "login.session_ended"
    late = sessions.start(uow, user_id, "192.0.2.1", "Chromium")
    at(frozen_clock, seconds=61)
    assert sessions.hand_over(uow, late.handover) is None
    assert sessions.hand_over(uow, "made-up") is None


def test_log_out_ends_the_session_and_any_copy_of_its_cookie(uow, person):
    user_id, _ = person
    token = sessions.start(uow, user_id, "192.0.2.1", "Chromium").token
    copied = token  # what someone copied off the screen or the disk before the log-out
    sessions.end(uow, token)
    assert sessions.current(uow, copied, touch=False) == "login.logged_out"


def test_a_session_ends_after_the_idle_limit_unless_clicks_keep_it(uow, person, frozen_clock):
    user_id, _ = person
    token = sessions.start(uow, user_id, "192.0.2.1", "Chromium").token
    at(frozen_clock, minutes=29)
    assert not isinstance(sessions.current(uow, token, touch=True), str)  # a click
    at(frozen_clock, minutes=58)
    assert not isinstance(sessions.current(uow, token, touch=False), str)
    at(frozen_clock, minutes=89)
    assert sessions.current(uow, token, touch=False) == "login.session_expired"
    at(frozen_clock, minutes=90)  # and it stays ended
    assert sessions.current(uow, token, touch=True) == "login.session_ended"


def test_a_session_ends_at_its_expiry_however_busy(uow, person, frozen_clock, tuned):
    user_id, _ = person
    tuned(session_idle_minutes=90)
    token = sessions.start(uow, user_id, "192.0.2.1", "Chromium").token
    for hours in range(1, 24):
        at(frozen_clock, hours=hours)
        assert not isinstance(sessions.current(uow, token, touch=True), str)
    at(frozen_clock, hours=24)
    assert sessions.current(uow, token, touch=True) == "login.session_expired"


def test_a_reset_and_a_deactivation_end_every_session(uow, actors, person):
    user_id, _ = person
    tokens = [sessions.start(uow, user_id, "192.0.2.1", "x").token for _ in range(2)]
    users.reset_password(uow, actors["admin"], user_id)
    assert {sessions.current(uow, t, touch=False) for t in tokens} == {"login.session_ended"}
    again = sessions.start(uow, user_id, "192.0.2.1", "x").token
    users.deactivate(uow, actors["admin"], user_id, None)
    assert sessions.current(uow, again, touch=False) == "login.session_ended"


def test_an_admin_sees_the_live_sessions_and_ends_one_or_all(uow, actors, person):
    user_id, _ = person
    here = sessions.start(uow, user_id, "192.0.2.1", "Firefox").token
    sessions.start(uow, user_id, "192.0.2.2", "Chromium")
    live = sessions.live(uow, actors["admin"], user_id)
    assert sorted(s.client for s in live) == ["192.0.2.1", "192.0.2.2"]
    chromium = next(s.id for s in live if s.user_agent == "Chromium")
    sessions.end_for_user(uow, actors["admin"], user_id, chromium)
    assert [s.client for s in sessions.live(uow, actors["admin"], user_id)] == ["192.0.2.1"]
    sessions.end_for_user(uow, actors["admin"], user_id)
    assert sessions.live(uow, actors["admin"], user_id) == []
    assert sessions.current(uow, here, touch=False) == "login.session_ended"


def test_an_admin_sees_only_the_sessions_of_the_units_below(uow, actors, person):
    _, village_admin = make_user(uow, actors["admin"], unit="jiangshan-v01", role="admin")
    below = accounts.actor(uow, village_admin)
    for call in (lambda: sessions.live(uow, below, actors["manager"].id),
                 lambda: sessions.end_for_user(uow, below, actors["manager"].id)):
        with pytest.raises(NotFound):
            call()


def test_a_rerun_checks_its_session_with_one_small_statement(uow, person, frozen_clock):
    user_id, _ = person
    token = sessions.start(uow, user_id, "192.0.2.1", "Chromium").token
    statements: list[str] = []
    with uow:
        connection = uow.session.connection()
    engine = connection.engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        for touch in (False, True):
            statements.clear()
            at(frozen_clock, minutes=1)
            settings.current()  # shared by every session of the process, read every 5 s
            statements.clear()
            assert not isinstance(sessions.current(uow, token, touch=touch), str)
            queries = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE",
                                                                  "ROLLBACK"))]
            assert len(queries) == 1 and "user_sessions" in queries[0], queries
    finally:
        event.remove(engine, "before_cursor_execute", count)
