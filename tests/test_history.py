"""History that cannot be rewritten: the app's role may only add to the logs, and each case's
events are a hash chain that the verifier checks link by link, anchored by digests."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from db import roles
from db.config import ROOT
from db.engine import engine, owner_engine
from portal import audit
from portal.casework import casework, supervision
from portal.uow import UnitOfWork
from tests.factories import at_once, digest_covering_now, worked_cases

TAMPERING = [
    "UPDATE {t} SET id = id",
    "DELETE FROM {t}",
    "TRUNCATE {t}",
    "ALTER TABLE {t} DISABLE TRIGGER ALL",
    "ALTER TABLE {t} ADD COLUMN forged integer",
    "DROP TABLE {t}",
    "CREATE TRIGGER forged BEFORE INSERT ON {t} FOR EACH ROW EXECUTE FUNCTION refuse_change()",
    "DROP TRIGGER {t}_append_only ON {t}",
    "SET session_replication_role = replica",
    "ALTER TABLE {t} OWNER TO CURRENT_USER",
]


def as_app(statement: str) -> None:
    with engine().connect() as conn, conn.begin():
        conn.execute(text(statement))


def as_owner(*statements: str, **params: object) -> None:
    """Edit the history as its owner could, with the triggers that guard it switched off."""
    with owner_engine().begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            conn.execute(text(statement), params)


@pytest.mark.parametrize("table", roles.LOG_TABLES)
@pytest.mark.parametrize("statement", TAMPERING, ids=lambda s: s.split(" {")[0])
def test_the_portals_role_cannot_rewrite_a_log(database_url, table, statement):
    with pytest.raises(DBAPIError, match="permission denied|must be owner"):
        as_app(statement.format(t=table))


def test_the_portals_role_owns_nothing_and_is_no_superuser(database_url):
    with engine().connect() as conn:
        role = conn.execute(text("SELECT current_user")).scalar_one()
        superuser = conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        owned = conn.execute(text("SELECT count(*) FROM pg_tables WHERE tableowner = current_user"))
        assert role == "portal_app" and superuser.scalar_one() is False
        assert owned.scalar_one() == 0


def event_id(case_id: int, seq: int) -> int:
    with owner_engine().connect() as conn:
        return conn.execute(text("SELECT id FROM case_events WHERE case_id = :c AND seq = :s"),
                            {"c": case_id, "s": seq}).scalar_one()


def test_a_worked_history_verifies(committed, actors):
    worked_cases(actors)
    result = audit.verify(UnitOfWork())
    assert result.intact and result.cases == 3 and result.events == 9


def test_an_event_edited_by_the_owner_is_named(committed, actors):
    cases = worked_cases(actors)
    edited = event_id(cases[1], 2)
    as_owner("UPDATE case_events SET actor_id = NULL WHERE id = :id", id=edited)
    result = audit.verify(UnitOfWork())
    assert not result.intact
    broken = result.first_break
    assert (broken.case_id, broken.seq, broken.event_id, broken.problem) == \
        (cases[1], 2, edited, "changed")
    assert broken.receipt_no.startswith("LX-") and broken.receipt_no in broken.describe()


def test_an_event_taken_out_of_the_middle_is_named(committed, actors):
    cases = worked_cases(actors)
    as_owner("DELETE FROM case_events WHERE id = :id", id=event_id(cases[0], 2))
    broken = audit.verify(UnitOfWork()).first_break
    assert (broken.case_id, broken.seq, broken.problem) == (cases[0], 2, "missing")


def test_an_event_cut_from_the_end_is_caught_by_the_digest(committed, actors, frozen_clock):
    cases = worked_cases(actors)
    recorded = digest_covering_now(frozen_clock)
    as_owner("DELETE FROM case_events WHERE id = :id", id=event_id(cases[2], 3))
    result = audit.verify(UnitOfWork())
    assert result.first_break is None  # every remaining link holds
    assert result.digests == [(recorded, False)] and not result.intact


def test_a_chain_recomputed_by_the_owner_is_caught_by_a_digest_kept_elsewhere(
        committed, actors, frozen_clock):
    cases = worked_cases(actors)
    exported = digest_covering_now(frozen_clock)
    # The owner edits an event and recomputes every hash after it, and the digests too.
    as_owner("UPDATE case_events SET data = '{\"text\": \"forged\"}' WHERE id = :id",
             id=event_id(cases[0], 3))
    as_owner(f"UPDATE case_events e SET hash = sha256(p.hash || convert_to({audit.BODY}, 'UTF8')) "
             "FROM case_events p WHERE p.case_id = e.case_id AND p.seq = e.seq - 1 "
             "AND e.case_id = :c AND e.seq = 3", c=cases[0])
    as_owner("DELETE FROM history_digests")
    assert audit.verify(UnitOfWork()).intact  # nothing inside the database shows it now
    assert audit.verify(UnitOfWork(), [exported]).digests == [(exported, False)]


def test_verify_history_names_the_broken_link_and_fails(committed, actors, database_url):
    cases = worked_cases(actors, 1)
    command = [sys.executable, "-m", "portal", "verify-history"]
    env = {**os.environ, "DATABASE_URL": database_url}
    intact = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert intact.returncode == 0 and "3 events of 1 cases checked" in intact.stdout
    as_owner("UPDATE case_events SET kind = 'forged' WHERE id = :id", id=event_id(cases[0], 1))
    broken = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1
    assert "BROKEN: case LX-" in broken.stdout and "event 1 " in broken.stdout


def test_a_digest_is_recorded_every_hour_or_as_often_as_set(committed, actors, frozen_clock,
                                                           tuned):
    import datetime as dt

    from portal import clock
    worked_cases(actors, 1)
    frozen_clock(clock.now())
    assert audit.record_if_due(UnitOfWork()) is not None
    assert audit.record_if_due(UnitOfWork()) is None
    frozen_clock(clock.now() + dt.timedelta(minutes=61))
    assert audit.record_if_due(UnitOfWork()) is not None
    tuned(history_digest_minutes=10)
    frozen_clock(clock.now() + dt.timedelta(minutes=11))
    assert audit.record_if_due(UnitOfWork()) is not None
    assert len(audit.recorded(UnitOfWork())) == 3


def test_a_cut_that_took_a_change_of_status_names_its_case(committed, actors, frozen_clock,
                                                          database_url):
    cases = worked_cases(actors)
    digest_covering_now(frozen_clock)
    # The claim and the note after it cut from the second case: it is in progress, but what
    # is left of its history leaves it received.
    as_owner("DELETE FROM case_events WHERE case_id = :c AND seq >= 2", c=cases[1])
    result = audit.verify(UnitOfWork())
    assert result.first_break is None and not result.intact
    with UnitOfWork() as uow:
        receipt = uow.session.scalar(text("SELECT receipt_no FROM cases WHERE id = :c"),
                                     {"c": cases[1]})
    assert [(c.receipt_no, c.status, c.history_says) for c in result.cut_short] == [
        (receipt, "in_progress", "received")]
    command = [sys.executable, "-m", "portal", "verify-history"]
    run = subprocess.run(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and f"CUT: case {receipt} is in_progress" in run.stdout


def test_events_written_at_once_to_one_case_still_form_one_chain(committed, actors):
    """The supervision sweep adds events beside the people working the case."""
    import datetime as dt

    from db.models import Case
    case_id = worked_cases(actors, 1)[0]
    with UnitOfWork() as uow:
        uow.session.get(Case, case_id).due_date = dt.date.today() - dt.timedelta(days=30)
        uow.commit()
    at_once(lambda action: action(), [
        (lambda: supervision.sweep(UnitOfWork()),),
        (lambda: casework.add_note(UnitOfWork(), actors["agent"], case_id, "补充说明"),),
        (lambda: casework.add_note(UnitOfWork(), actors["agent"], case_id, "再次联系"),),
    ])
    result = audit.verify(UnitOfWork())
    assert result.intact and result.events >= 7
