"""Apply Alembic migrations from code (the start command and the tests use this)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig

from db.config import ROOT


def alembic_config(url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "db" / "migrations"))
    if url:
        cfg.attributes["url"] = url
    return cfg


def upgrade(url: str | None = None) -> None:
    """Bring the database at `url` (default: the configured one) to the newest schema."""
    command.upgrade(alembic_config(url), "head")
