"""Accounts that PostgreSQL guards, and the settings IT staff tune.

Revision ID: 0014
Revises: 0013

The lockout counter lives on the user row, so it survives restarts and is shared by every
server process. `sessions_after` ends every session begun (and every cookie issued) before
it: deactivation, a password change and an admin reset set it. `last_seen_at` lets a cookie
be refused after the inactivity limit, even from a browser that was closed meanwhile.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("failed_logins", sa.SmallInteger(), nullable=False,
                                     server_default="0"))
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.add_column("users", sa.Column("sessions_after", sa.DateTime(timezone=True)))
    op.add_column("users", sa.Column("last_seen_at", sa.DateTime(timezone=True)))
    op.add_column("users", sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                     server_default=sa.text("false")))
    op.create_table(
        "account_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.CheckConstraint("kind IN ('logged_in', 'login_failed', 'locked', 'password_changed', "
                           "'password_reset', 'deactivated', 'reactivated')", name="kind_valid"),
    )
    op.create_index("ix_account_events_user", "account_events", ["user_id", "at"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", postgresql.JSONB(), nullable=False),
    )
    op.create_index("ix_admin_changes_at", "admin_changes", ["at"])


def downgrade() -> None:
    op.drop_index("ix_admin_changes_at", table_name="admin_changes")
    op.drop_table("settings")
    op.drop_index("ix_account_events_user", table_name="account_events")
    op.drop_table("account_events")
    for column in ("must_change_password", "last_seen_at", "sessions_after", "locked_until",
                   "failed_logins"):
        op.drop_column("users", column)
