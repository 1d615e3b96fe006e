"""The public lookup: a random lookup code printed on each case's receipt, and the failed
lookups counted in the database (per receipt number and per client address).

The code comes from a database default, so every way a case is written (intake, ledger
import, demo history by COPY) gets one: 8 characters of an alphabet without 0, O, 1 and I,
each from 5 bits of a random UUID (gen_random_uuid, PostgreSQL's own random source).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

NEW_CODE = """
CREATE FUNCTION new_lookup_code() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ',
                             get_byte(bytes, i) % 32 + 1, 1), '' ORDER BY i)
      FROM (SELECT uuid_send(gen_random_uuid()) AS bytes) random,
           unnest(ARRAY[0, 1, 2, 3, 4, 5, 10, 11]) AS i
$$;
"""


def upgrade() -> None:
    op.execute(NEW_CODE)
    op.add_column("cases", sa.Column("lookup_code", sa.String(8),
                                     server_default=sa.text("new_lookup_code()")))
    op.execute("UPDATE cases SET lookup_code = new_lookup_code()")
    op.alter_column("cases", "lookup_code", nullable=False)
    op.create_table(
        "lookup_failures",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("receipt_no", sa.String(40), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_lookup_failures_receipt", "lookup_failures", ["receipt_no", "at"])
    op.create_index("ix_lookup_failures_client", "lookup_failures", ["client", "at"])


def downgrade() -> None:
    op.drop_table("lookup_failures")
    op.drop_column("cases", "lookup_code")
    op.execute("DROP FUNCTION new_lookup_code()")
