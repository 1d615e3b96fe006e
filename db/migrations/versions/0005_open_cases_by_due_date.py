"""Open cases by due date across units, for the queues of managers who oversee many units.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OPEN = "('received', 'in_progress', 'waiting_citizen', 'handoff_pending', 'reopened')"


def upgrade() -> None:
    op.create_index("ix_cases_open_by_due", "cases", ["due_date", "id"],
                    postgresql_where=sa.text(f"status IN {OPEN}"))


def downgrade() -> None:
    op.drop_index("ix_cases_open_by_due", table_name="cases")
