"""Automatic assignment (per-unit mode, leave, qualifications) and supervision notices.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("units", sa.Column("auto_assign", sa.String(length=12), nullable=False,
                                     server_default="off"))
    op.add_column("units", sa.Column("auto_assign_qualified", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column("units", sa.Column("auto_assign_last", sa.Integer(), nullable=True))
    op.create_foreign_key("units_auto_assign_last_fkey", "units", "users",
                          ["auto_assign_last"], ["id"])
    op.create_check_constraint("auto_assign_valid", "units",
                               "auto_assign IN ('off', 'round_robin', 'fewest_open')")
    op.add_column("users", sa.Column("on_leave", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.create_table(
        "user_qualifications",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"]),
        sa.PrimaryKeyConstraint("user_id", "department_id"),
    )
    op.create_table(
        "supervision_notices",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level IN ('reminder', 'supervision', 'report')", name="level_valid"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "level", "due_date", name="supervision_notices_once"),
    )
    op.create_index("ix_supervision_notices_unit", "supervision_notices", ["unit_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_supervision_notices_unit", table_name="supervision_notices")
    op.drop_table("supervision_notices")
    op.drop_table("user_qualifications")
    op.drop_column("users", "on_leave")
    op.drop_constraint("auto_assign_valid", "units", type_="check")
    op.drop_constraint("units_auto_assign_last_fkey", "units", type_="foreignkey")
    for column in ("auto_assign_last", "auto_assign_qualified", "auto_assign"):
        op.drop_column("units", column)
