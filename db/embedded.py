"""Embedded PostgreSQL (pgserver) for machines without a DATABASE_URL."""

from __future__ import annotations

import warnings
from pathlib import Path

import psycopg

_servers: dict[Path, object] = {}


def start(pgdata: Path, database: str = "portal") -> str:
    """Start (or join) the embedded server in `pgdata` and return a SQLAlchemy URL to `database`.

    The server stops when the last process that started or joined it exits.
    """
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")  # harmless, from platformdirs
    import pgserver  # imported here: only needed without DATABASE_URL

    pgdata.mkdir(parents=True, exist_ok=True)
    server = _servers.get(pgdata) or pgserver.get_server(pgdata, cleanup_mode="stop")
    _servers[pgdata] = server
    libpq_uri = server.get_uri()
    create_database(libpq_uri, database)
    return server.get_uri(database).replace("postgresql://", "postgresql+psycopg://", 1)


def stop(pgdata: Path) -> None:
    """Stop the embedded server this process started in `pgdata`."""
    server = _servers.pop(pgdata, None)
    if server is not None:
        server.cleanup()


def create_database(libpq_uri: str, database: str) -> None:
    """Create `database` on the server at `libpq_uri` unless it exists."""
    with psycopg.connect(libpq_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
