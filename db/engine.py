"""The one engine and sessionmaker of this process, built from the configuration."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from db import embedded
from db.config import config


def database_url() -> str:
    """DATABASE_URL, or the embedded server's URL (started on demand)."""
    cfg = config()
    return cfg.database_url or embedded.start(cfg.pgdata)


@cache
def engine() -> Engine:
    # Kept out of st.cache_resource on purpose: any client can clear that cache.
    return make_engine(database_url())


def make_engine(url: str) -> Engine:
    return create_engine(
        url,
        pool_size=10,
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
