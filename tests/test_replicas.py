"""Past one machine: the dashboard and exports read from a streaming replica when one is
configured; the portal fails over to a synchronous standby through libpq's multi-host URL,
and no case it acknowledged is lost when the primary dies in the middle of an intake burst.

Each test starts its own PostgreSQL clusters (tests/clusters.py) and runs the portal in a
process of its own, configured as a deployment would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from db import migrate
from db.config import ROOT
from tests.clusters import Cluster

pytestmark = [pytest.mark.once]
DATABASE = "portal"

PREPARE = """
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from db import demo
engine = create_engine({owner!r})
with Session(engine) as session:
    demo.load_reference(session, villages=(1, 1))
    session.commit()
"""


@pytest.fixture
def primary():
    cluster = Cluster.primary()
    yield cluster
    cluster.stop()


def prepared(primary: Cluster) -> str:
    primary.execute(f"CREATE DATABASE {DATABASE}")
    owner = primary.url(DATABASE)
    migrate.upgrade(owner)
    done = subprocess.run([sys.executable, "-c", PREPARE.format(owner=owner)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return owner


def test_the_dashboard_reads_from_a_streaming_replica(primary):
    owner = prepared(primary)
    replica = primary.standby("replica1")
    try:
        script = """
        import json
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError
        from components import dashboard_data
        from portal.accounts import accounts
        from portal.dashboard import metrics
        from portal.uow import UnitOfWork
        from tests.factories import new_case
        agent = accounts.actor(UnitOfWork(), "agent")
        new_case(UnitOfWork(), agent)  # written to the primary
        import subprocess, sys
        print("written", flush=True)
        sys.stdin.readline()  # until the replica has replayed it
        with UnitOfWork.reading() as uow:
            on_replica = uow.session.scalar(text("SELECT pg_is_in_recovery()"))
            try:
                uow.session.execute(text("CREATE TEMP TABLE t (x int)"))
                refused = False
            except DBAPIError:
                refused = True
        drawn = dashboard_data.figures(metrics.scope_for(accounts.actor(UnitOfWork(), "manager")))
        print(json.dumps({"on_replica": on_replica, "write_refused": refused,
                          "received_today": drawn.data.tiles["received_today"].value}))
        """
        process = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")},
                 "DATABASE_URL": owner,
                 "DATABASE_READ_URL": replica.url(DATABASE, "portal_app")})
        assert process.stdout.readline().strip() == "written", process.stderr.read()[-3000:]
        replica.caught_up_with(primary, DATABASE)
        out, err = process.communicate("go\n", timeout=300)
        assert process.returncode == 0, err[-3000:]
        result = json.loads(out.strip().splitlines()[-1])
        assert result == {"on_replica": True, "write_refused": True, "received_today": 1}
    finally:
        replica.stop()


BURST = """
import json, sys, threading, time
from portal.accounts import accounts
from portal.uow import UnitOfWork
from tests.factories import new_case
agent = accounts.actor(UnitOfWork(), "agent")
acknowledged, failed, stop = [], [0], threading.Event()

def intake():
    while not stop.is_set():
        try:
            acknowledged.append(new_case(UnitOfWork(), agent).receipt_no)
        except Exception:  # the primary is gone: the agent sees an error and tries again
            failed[0] += 1
            time.sleep(0.2)

threads = [threading.Thread(target=intake) for _ in range(4)]
for thread in threads:
    thread.start()
print("started", flush=True)
sys.stdin.readline()  # the primary is killed and the standby promoted meanwhile
time.sleep(3)
before = len(acknowledged)
time.sleep(4)
stop.set()
for thread in threads:
    thread.join()
print(json.dumps({"acknowledged": acknowledged, "failed": failed[0],
                  "after_failover": len(acknowledged) - before}))
"""


def test_no_acknowledged_case_is_lost_when_the_primary_dies_mid_burst(primary):
    owner = prepared(primary)
    standby = primary.standby("standby1")
    try:
        # From now on a commit returns only once the standby has it too.
        primary.execute("ALTER SYSTEM SET synchronous_standby_names = 'standby1'")
        primary.execute("SELECT pg_reload_conf()")
        for _ in range(100):  # until the standby confirms every commit (synchronous)
            if primary.execute("SELECT sync_state FROM pg_stat_replication") == [("sync",)]:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the standby never became synchronous")
        both = (f"postgresql+psycopg://portal_app@/{DATABASE}?host=127.0.0.1:{primary.port}"
                f"&host=127.0.0.1:{standby.port}&target_session_attrs=read-write")
        process = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(BURST)], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")},
                 "DATABASE_URL": owner, "DATABASE_APP_URL": both})
        assert process.stdout.readline().strip() == "started", process.stderr.read()[-3000:]
        time.sleep(3)  # intakes go on
        threading.Thread(target=primary.kill).start()  # mid-burst, as a power cut would
        time.sleep(1)
        standby.promote()
        out, err = process.communicate("go\n", timeout=300)
        assert process.returncode == 0, err[-3000:]
        result = json.loads(out.strip().splitlines()[-1])
        kept = {r for (r,) in standby.execute("SELECT receipt_no FROM cases", DATABASE)}
        assert result["acknowledged"] and set(result["acknowledged"]) <= kept
        assert result["after_failover"] > 0  # intake went on, on the new primary
    finally:
        standby.stop()
