"""Apply Alembic migrations from code (the start command and the tests use this), as the
owning role, then grant the portal's own role what it may do."""

from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine

from db import roles
from db.config import ROOT, config
from db.engine import app_role, owner_url


def alembic_config(url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "db" / "migrations"))
    if url:
        cfg.attributes["url"] = url
    return cfg


def upgrade(url: str | None = None) -> None:
    """Bring the database at `url` (default: the configured owner's) to the newest schema, and
    the app role's rights with it."""
    url = url or owner_url()
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            roles.ensure(connection, app_role(), config().app_password)
    finally:
        engine.dispose()
