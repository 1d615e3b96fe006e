"""Case resolution: the outcome and the result told to the citizen.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("outcome", sa.String(length=10), nullable=True))
    op.add_column("cases", sa.Column("result", sa.Text(), nullable=False, server_default=""))
    op.create_check_constraint(
        "outcome_valid", "cases",
        "outcome IS NULL OR outcome IN ('approved', 'rejected', 'answered', 'referred')")


def downgrade() -> None:
    op.drop_constraint("outcome_valid", "cases", type_="check")
    op.drop_column("cases", "result")
    op.drop_column("cases", "outcome")
