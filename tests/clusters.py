"""PostgreSQL clusters a test starts for itself: a primary, and a streaming replica or a
synchronous standby made from it with pg_basebackup. Built with the PostgreSQL 16 programs
pgserver ships (the same as the embedded server's), run as pgserver's system user when the
tests run as root, since PostgreSQL refuses to run as root."""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import psycopg

from db.config import ROOT
from tests.browser import free_port

BIN = Path(importlib.util.find_spec("pgserver").submodule_search_locations[0]) / "pginstall" / "bin"
HOME = ROOT / "var" / "test-clusters"
USER = "pgserver"


def _as_owner() -> list[str]:
    return ["runuser", "-u", USER, "--"] if os.geteuid() == 0 else []


def _run(*command: str) -> None:
    subprocess.run([*_as_owner(), *command], check=True, capture_output=True, text=True)


def _home() -> Path:
    """A directory the cluster's system user may enter, fresh for this cluster."""
    place = HOME / uuid.uuid4().hex[:8]
    place.mkdir(parents=True)
    for step in (place, *place.parents):
        if step == Path("/"):
            break
        step.chmod(step.stat().st_mode | 0o055)
    if os.geteuid() == 0:
        if subprocess.run(["id", USER], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "-s", "/bin/bash", USER], check=True)
        entry = pwd.getpwnam(USER)
        os.chown(place, entry.pw_uid, entry.pw_gid)
    return place


class Cluster:
    """One PostgreSQL server on 127.0.0.1 and a port of its own."""

    def __init__(self, data: Path, port: int) -> None:
        self.data, self.port = data, port

    @classmethod
    def primary(cls, **settings: str) -> Cluster:
        home = _home()
        cluster = cls(home / "data", free_port())
        _run(str(BIN / "initdb"), "-D", str(cluster.data), "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--locale=C")
        cluster.configure(wal_level="replica", max_wal_senders="10", **settings)
        cluster.start()
        return cluster

    def standby(self, name: str) -> Cluster:
        """A copy streaming from this one (a hot standby), known to it as `name`."""
        home = _home()
        copy = Cluster(home / "data", free_port())
        _run(str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
             "postgres", "-D", str(copy.data), "-R", "-X", "stream", "--checkpoint=fast",
             "-d", f"host=127.0.0.1 port={self.port} user=postgres application_name={name}")
        copy.start()
        return copy

    def configure(self, **settings: str) -> None:
        lines = "".join(f"{k} = '{v}'\n" for k, v in settings.items())
        conf = self.data / "postgresql.auto.conf"
        subprocess.run([*_as_owner(), "sh", "-c", f"cat >> {conf}"], input=lines, text=True,
                       check=True)

    def start(self) -> None:
        _run(str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "log.txt"),
             "-w", "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
             f"-c unix_socket_directories={self.data}", "start")

    def kill(self) -> None:
        """The server stops at once, as a machine that loses power would."""
        _run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")

    def promote(self) -> None:
        _run(str(BIN / "pg_ctl"), "-D", str(self.data), "-w", "promote")

    def stop(self) -> None:
        subprocess.run([*_as_owner(), str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                        "stop"], capture_output=True)
        shutil.rmtree(self.data.parent, ignore_errors=True)

    def libpq(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str, database: str = "postgres") -> list[tuple]:
        with psycopg.connect(self.libpq(database), autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def caught_up_with(self, primary: Cluster, database: str, timeout: float = 30) -> None:
        """Until this standby has replayed everything the primary has written."""
        [(lsn,)] = primary.execute("SELECT pg_current_wal_lsn()::text", database)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            [(done,)] = self.execute(
                f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", database)
            if done:
                return
            time.sleep(0.1)
        raise TimeoutError("the standby did not catch up")
