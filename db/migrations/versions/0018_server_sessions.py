"""Sessions kept on the server: one row per log-in, the browser holding only a random token
(its hash here) in an HttpOnly cookie. They replace the signed log-in cookie, which the server
could not revoke, and the users' `sessions_after` and `last_seen_at` that stood in for that.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(), nullable=False),
        sa.Column("handover_hash", sa.LargeBinary(), nullable=True),
        sa.Column("handover_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(20), nullable=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sa.UniqueConstraint("handover_hash"),
    )
    op.create_index("ix_user_sessions_user", "user_sessions", ["user_id"],
                    postgresql_where=sa.text("revoked_at IS NULL"))
    op.drop_column("users", "sessions_after")
    op.drop_column("users", "last_seen_at")


def downgrade() -> None:
    op.add_column("users", sa.Column("last_seen_at", sa.DateTime(timezone=True)))
    op.add_column("users", sa.Column("sessions_after", sa.DateTime(timezone=True)))
    op.drop_table("user_sessions")
