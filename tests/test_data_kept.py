"""Data kept safe: a database holding data migrates from the first revision to the newest and
loses nothing; a backup restores into an empty database with every row and the same history."""

from __future__ import annotations

import os
import subprocess
import sys

from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import sessionmaker

from db import migrate
from db.config import ROOT
from portal import audit
from portal.uow import UnitOfWork
from tests.factories import digest_covering_now, worked_cases

FIRST_REVISION_DATA = """
INSERT INTO departments (code, name_zh, name_en) VALUES ('civil', '民政局', 'Civil Affairs');
INSERT INTO units (code, name_zh, name_en, tier, parent_id, department_id, path, active) VALUES
    ('city', '行政服务大厅', 'Hall', 'city', NULL, NULL, '/city/', true),
    ('city-civil', '民政窗口', 'Civil Window', 'city', 1, 1, '/city/city-civil/', true);
INSERT INTO users (username, display_name, role, unit_id, password_hash, language, active) VALUES
    ('agent', '姜秀英', 'agent', 1, 'x', 'zh', true),
    ('officer', '王建国', 'officer', 2, 'x', 'zh', true);
INSERT INTO service_types (code, name_zh, name_en, category, department_id, min_tier,
                           time_limit_days, documents, form_fields, active)
    VALUES ('DIBAO', '最低生活保障', 'Minimum living allowance', 'civil_affairs', 1, 'township',
            20, '[{"name_zh": "身份证", "name_en": "ID card", "required": true}]', '[]', true);
INSERT INTO holidays VALUES ('2026-10-01', 'holiday', '国庆节', 'National Day');
INSERT INTO citizens (name, id_number, phone) VALUES ('王秀英', '11010519491231002X', '13812345678');
INSERT INTO cases (receipt_no, service_type_id, citizen_id, intake_unit_id, unit_id, assignee_id,
                   status, priority, channel, note, answers, received_at, due_date, version)
    SELECT 'LX-20260105-' || lpad(n::text, 6, '0'), 1, 1, 1, 1, 1, 'in_progress', 'normal',
           'walk_in', '第' || n || '件', '{"members": 3}', timestamptz '2026-01-05 09:00+08'
           + n * interval '1 minute', date '2026-02-02', 1
      FROM generate_series(1, 30) n;
INSERT INTO case_events (case_id, at, actor_id, unit_id, kind, from_status, to_status, data)
    SELECT c.id, c.received_at + k * interval '1 hour', 1, 1,
           (ARRAY['created', 'claimed', 'note_added'])[k], NULL,
           (ARRAY['received', 'in_progress', NULL])[k], jsonb_build_object('k', k)
      FROM cases c, generate_series(1, 3) k ORDER BY c.id, k;
INSERT INTO handoffs (case_id, from_unit_id, to_unit_id, state, reason, requested_by, requested_at)
    VALUES (1, 1, 2, 'pending', '需民政窗口审核', 1, '2026-01-05 10:00+08');
INSERT INTO feedback (case_id, rating, comment, recorded_at, recorded_by)
    VALUES (2, 5, '很满意', '2026-01-06 10:00+08', 1);
"""
KEPT = {
    "cases": "receipt_no, note, answers::text, received_at, due_date, status",
    "case_events": "case_id, at, kind, to_status, data::text",
    "citizens": "name, id_number, phone",
    "handoffs": "case_id, reason, state",
    "feedback": "case_id, rating, comment",
    "users": "username, display_name, role",
    "units": "code, name_zh, path",
}


def rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {table: [tuple(r) for r in conn.execute(text(
                f"SELECT {columns} FROM {table} ORDER BY 1, 2"))] for table, columns in KEPT.items()}
    finally:
        engine.dispose()


def history(url: str) -> audit.Verification:
    engine = create_engine(url)
    try:
        return audit.verify(UnitOfWork(sessionmaker(engine)))
    finally:
        engine.dispose()


def test_data_of_the_first_revision_migrates_to_the_newest_whole(scratch):
    command.upgrade(migrate.alembic_config(scratch), "0001")
    engine = create_engine(scratch)
    with engine.begin() as conn:
        conn.exec_driver_sql(FIRST_REVISION_DATA)
    engine.dispose()
    before = rows(scratch)
    migrate.upgrade(scratch)
    assert rows(scratch) == before
    assert len(before["case_events"]) == 90
    checked = history(scratch)  # the events already there were chained in their order
    assert checked.intact and (checked.cases, checked.events) == (30, 90)


def test_a_backup_restores_every_row_and_the_same_history(committed, actors, database_url,
                                                          scratch, tmp_path, frozen_clock):
    worked_cases(actors, 4)
    digest = digest_covering_now(frozen_clock)
    run = {"cwd": ROOT, "capture_output": True, "text": True, "timeout": 300}
    file = tmp_path / "portal.backup"
    done = subprocess.run([sys.executable, "-m", "portal", "backup", str(file)],
                          env={**os.environ, "DATABASE_URL": database_url}, **run)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "portal", "restore", str(file)],
                          env={**os.environ, "DATABASE_URL": scratch}, **run)
    assert done.returncode == 0, done.stderr
    assert rows(scratch) == rows(database_url)
    engine = create_engine(scratch)
    original = create_engine(database_url)
    try:
        for table in inspect(original).get_table_names():
            count = f"SELECT count(*) FROM {table}"
            with engine.connect() as a, original.connect() as b:
                assert a.execute(text(count)).scalar() == b.execute(text(count)).scalar(), table
        hashes = "SELECT case_id, seq, hash FROM case_events ORDER BY case_id, seq"
        with engine.connect() as a, original.connect() as b:
            assert a.execute(text(hashes)).all() == b.execute(text(hashes)).all()
    finally:
        engine.dispose()
        original.dispose()
    restored = history(scratch)
    assert restored.intact and restored.digests == [(digest, True)]


def test_a_restore_refuses_a_database_that_is_not_empty(database_url, tmp_path):
    done = subprocess.run([sys.executable, "-m", "portal", "restore", str(tmp_path / "x")],
                          env={**os.environ, "DATABASE_URL": database_url}, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "not empty" in done.stderr
