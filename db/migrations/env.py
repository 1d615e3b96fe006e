"""Alembic environment: migrate the database the portal is configured for."""

from alembic import context
from sqlalchemy import create_engine

from db.engine import owner_url
from db.models import Base

url = context.config.attributes.get("url") or owner_url()


def run() -> None:
    connectable = context.config.attributes.get("connection") or create_engine(url)
    if hasattr(connectable, "connect"):
        with connectable.connect() as connection:
            _migrate(connection)
    else:
        _migrate(connectable)


def _include(obj, name, kind, reflected, compare_to) -> bool:
    # The search indexes are over SQL functions (see 0010); the models do not declare them.
    return not (kind == "index" and name and name.endswith("_grams"))


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      include_object=_include)
    with context.begin_transaction():
        context.run_migrations()


run()
