"""Daily figures for the dashboard, folded from the cases once a day is over.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COUNTS = ("received", "resolved", "resolved_on_time", "open_at_end", "overdue_at_end",
          "rating_1", "rating_2", "rating_3", "rating_4", "rating_5")


def upgrade() -> None:
    op.create_table(
        "daily_figures",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("service_type_id", sa.Integer(), nullable=False),
        *(sa.Column(c, sa.Integer(), nullable=False, server_default="0") for c in COUNTS),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.ForeignKeyConstraint(["service_type_id"], ["service_types.id"]),
        sa.PrimaryKeyConstraint("day", "unit_id", "service_type_id"),
    )
    op.create_table(
        "daily_figures_done",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_index("ix_cases_resolved_at", "cases", ["resolved_at"])
    op.create_index("ix_feedback_recorded_at", "feedback", ["recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_feedback_recorded_at", table_name="feedback")
    op.drop_index("ix_cases_resolved_at", table_name="cases")
    op.drop_table("daily_figures_done")
    op.drop_table("daily_figures")
