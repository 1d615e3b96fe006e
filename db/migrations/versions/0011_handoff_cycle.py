"""The whole hand-off cycle: returns with a reason, withdrawal, disputes, joint parts, bouncing.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

RETURN_CATEGORIES = "('not_our_department', 'documents_incomplete', 'wrong_tier', 'other')"
USER_COLUMNS = ("completed_by", "disputed_by", "decided_by")


def upgrade() -> None:
    add = op.add_column
    add("handoffs", sa.Column("kind", sa.String(8), nullable=False, server_default="transfer"))
    add("handoffs", sa.Column("note", sa.Text(), nullable=False, server_default=""))
    add("handoffs", sa.Column("part", sa.Text(), nullable=False, server_default=""))
    add("handoffs", sa.Column("from_status", sa.String(20), nullable=True))
    add("handoffs", sa.Column("return_category", sa.String(24), nullable=True))
    add("handoffs", sa.Column("result", sa.Text(), nullable=False, server_default=""))
    add("handoffs", sa.Column("disputed_at", sa.DateTime(timezone=True), nullable=True))
    add("handoffs", sa.Column("dispute_reason", sa.Text(), nullable=False, server_default=""))
    add("handoffs", sa.Column("dispute_unit_id", sa.Integer(), nullable=True))
    add("handoffs", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    add("handoffs", sa.Column("decided_unit_id", sa.Integer(), nullable=True))
    for column in USER_COLUMNS:
        add("handoffs", sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(f"handoffs_{column}_fkey", "handoffs", "users", [column], ["id"])
    for column in ("dispute_unit_id", "decided_unit_id"):
        op.create_foreign_key(f"handoffs_{column}_fkey", "handoffs", "units", [column], ["id"])
    op.create_check_constraint("kind_valid", "handoffs", "kind IN ('transfer', 'joint')")
    op.create_check_constraint("return_category_valid", "handoffs",
                               f"return_category IS NULL OR return_category IN {RETURN_CATEGORIES}")
    op.create_index("ix_handoffs_from_unit", "handoffs", ["from_unit_id", "answered_at"])
    add("cases", sa.Column("bounced", sa.Boolean(), nullable=False, server_default=sa.false()))
    add("cases", sa.Column("first_responsible_unit_id", sa.Integer(), nullable=True))
    op.create_foreign_key("cases_first_responsible_unit_id_fkey", "cases", "units",
                          ["first_responsible_unit_id"], ["id"])


def downgrade() -> None:
    op.drop_constraint("cases_first_responsible_unit_id_fkey", "cases", type_="foreignkey")
    op.drop_column("cases", "first_responsible_unit_id")
    op.drop_column("cases", "bounced")
    op.drop_index("ix_handoffs_from_unit", table_name="handoffs")
    op.drop_constraint("return_category_valid", "handoffs", type_="check")
    op.drop_constraint("kind_valid", "handoffs", type_="check")
    for column in ("kind", "note", "part", "from_status", "return_category", "result",
                   "disputed_at", "dispute_reason", "dispute_unit_id", "decided_at",
                   "decided_unit_id", *USER_COLUMNS):
        op.drop_column("handoffs", column)
