"""The portal's own database role: it reads and writes the working tables and may only add to
the logs. The tables, the migrations and so the history itself belong to the owning role.

The app role owns nothing, so it cannot TRUNCATE, ALTER or DROP a table, disable a trigger
or set `session_replication_role` (superusers only); on the logs it has only INSERT and
SELECT. `python -m portal migrate` (as the owner) creates the role when it is missing and
grants it exactly this, again after every migration.
"""

from __future__ import annotations

import re

from psycopg import sql
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

# Tables the portal only ever adds to: the audit trail of cases, accounts and administration,
# the supervision notices, the citizens' ratings, the history's digests and the API's calls.
LOG_TABLES = ("case_events", "admin_changes", "account_events", "supervision_notices",
              "feedback", "history_digests", "api_calls")
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def app_url(owner_url: str, role: str, password: str | None) -> str:
    """The owner's URL with the app role's name and password: same server, same database."""
    url = make_url(owner_url).set(username=role, password=password or None)
    return url.render_as_string(hide_password=False)


def ensure(connection: Connection, role: str, password: str | None) -> None:
    """Create the app role if missing (its password set when given) and grant it its rights."""
    if not ROLE_NAME.fullmatch(role):
        raise ValueError(f"not a role name: {role!r}")
    owner = connection.execute(text("SELECT current_user")).scalar_one()
    if owner == role:
        raise ValueError("the app role must not be the owner: migrations would run as it")
    if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() \
            is None:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    if password:
        raw = connection.connection.driver_connection
        connection.exec_driver_sql(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password)).as_string(raw))
    grant(connection, role)


def grant(connection: Connection, role: str) -> None:
    """Working tables: read and write. Logs: read and add. The migrations' table: nothing."""
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    logs = ", ".join(LOG_TABLES)
    for statement in (
        f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"',
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'REVOKE UPDATE, DELETE ON {logs} FROM "{role}"',
        f'REVOKE ALL ON alembic_version FROM "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
    ):
        connection.execute(text(statement))
