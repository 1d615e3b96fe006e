"""The benchmarks' databases: a fresh one on a server, and pointing the portal's own engines
(its app role's, which services such as settings.current() use) at it."""

from __future__ import annotations

import os

import psycopg
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from db import config, embedded
from db import engine as db_engine
from db.config import ROOT


def fresh_url(server: str | None, database: str) -> str:
    """A new empty database for a benchmark, on the given server or the embedded one."""
    if server is None:
        server = embedded.start(ROOT / "var" / "bench-pgdata", database="postgres")
    url = make_url(server)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    embedded.create_database(admin, database)
    return url.set(database=database).render_as_string(hide_password=False)


def use(url: str) -> Engine:
    """Make `url` (the owner's, migrated) the portal's database in this process, as
    DATABASE_URL would; returns the portal's own engine, which runs as its app role."""
    os.environ["DATABASE_URL"] = url
    os.environ.pop("DATABASE_APP_URL", None)
    config.config.cache_clear()
    db_engine.forget()
    return db_engine.engine()
