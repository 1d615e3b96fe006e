"""The engines of this process, built once from the configuration: the portal's own role for
everything the app does, the owning role for migrations, seeding and backups."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from db import embedded, roles
from db.config import ConfigError, config


def owner_url() -> str:
    """DATABASE_URL, or the embedded server's URL (started on demand) as its superuser."""
    cfg = config()
    if cfg.database_url:
        return cfg.database_url
    if cfg.app_database_url:
        raise ConfigError("this process has only the app role's URL (DATABASE_APP_URL)")
    return embedded.start(cfg.pgdata)


def app_url() -> str:
    """DATABASE_APP_URL, or the owner's URL with the app role's name and password."""
    cfg = config()
    return cfg.app_database_url or roles.app_url(owner_url(), cfg.app_role, cfg.app_password)


def app_role() -> str:
    """The name of the role the portal connects as."""
    cfg = config()
    if cfg.app_database_url:
        return make_url(cfg.app_database_url).username or ""
    return cfg.app_role


@cache
def engine() -> Engine:
    # Kept out of st.cache_resource on purpose: any client can clear that cache.
    return make_engine(app_url())


@cache
def read_engine() -> Engine:
    """For reads that may lag a moment behind the writes (the dashboard, exports): a streaming
    replica's when DATABASE_READ_URL names one, else the portal's own engine."""
    url = config().database_read_url
    return make_engine(url) if url else engine()


@cache
def owner_engine() -> Engine:
    return make_engine(owner_url(), pool_size=2)


def make_engine(url: str, pool_size: int = 10) -> Engine:
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=20,
        pool_pre_ping=True,  # a restarted database costs one failed check, not a user's error
        pool_recycle=1800,
        # psycopg prepares a statement after five runs; PostgreSQL may then switch to a generic
        # plan, and a name-or-receipt search that took 3 ms took 2.9 s. Plan every query afresh.
        # JIT compiling a dashboard query cost 40-50 ms of every run and saved nothing here.
        connect_args={"prepare_threshold": None, "options": "-c jit=off"},
    )


@cache
def session_factory() -> sessionmaker[Session]:
    return sessionmaker(engine(), expire_on_commit=False)


@cache
def read_session_factory() -> sessionmaker[Session]:
    return sessionmaker(read_engine(), expire_on_commit=False)


def forget() -> None:
    """Build the engines again from the configuration (after it changed: tests, benchmarks)."""
    for cached in (engine, read_engine, owner_engine, session_factory, read_session_factory):
        cached.cache_clear()
