"""Indexes for the dashboard: reopened events, and hand-offs by when they were answered.

Revision ID: 0013
Revises: 0012

Without the first, the league's reopen rate scanned every event (10 M rows at 2 M cases,
290 ms) for the few that are reopenings; the second finds the hand-offs pending at this time
yesterday (pending now, or answered since).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_events_reopened", "case_events", ["case_id"],
                    postgresql_where=sa.text("kind = 'reopened'"))
    op.create_index("ix_handoffs_answered_at", "handoffs", ["answered_at"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_answered_at", table_name="handoffs")
    op.drop_index("ix_case_events_reopened", table_name="case_events")
