"""Backups of the portal's database with pg_dump and pg_restore, as the owning role.

The programs come from `PG_BINDIR` when set, else from the PostgreSQL that pgserver ships
(version 16, which dumps and restores servers from 9.2 on), else from the PATH. A backup is
pg_dump's custom format; a restore goes into an empty database, and the app role's rights
are granted again afterwards (privileges are not restored: the role may be named otherwise).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """pg_dump or pg_restore failed, or the target is not empty."""


def program(name: str) -> str:
    """The path of a PostgreSQL client program."""
    candidates = []
    if bindir := os.environ.get("PG_BINDIR"):
        candidates.append(Path(bindir) / name)
    if spec := importlib.util.find_spec("pgserver"):  # the embedded server's own binaries
        candidates.extend(Path(p) / "pginstall" / "bin" / name
                          for p in spec.submodule_search_locations or ())
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    if found := shutil.which(name):
        return found
    raise BackupError(f"{name} not found: set PG_BINDIR to PostgreSQL's bin directory")


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and an environment carrying it (not on the command
    line, where any user of the machine could read it)."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return (parsed.set(drivername="postgresql", password=None)
            .render_as_string(hide_password=False), env)


def dump(owner_url: str, path: Path) -> None:
    uri, env = _libpq(owner_url)
    _run([program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={path}", f"--dbname={uri}"], env)


def restore(owner_url: str, path: Path) -> None:
    """Restore a backup into the (empty) database at `owner_url`, all or nothing."""
    engine = create_engine(owner_url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(f"the database is not empty ({len(tables)} tables): restore into a "
                          "new, empty database")
    uri, env = _libpq(owner_url)
    _run([program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", f"--dbname={uri}", str(path)], env)


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or f"{command[0]} failed")
