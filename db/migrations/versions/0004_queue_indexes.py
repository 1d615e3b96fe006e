"""Queue indexes: open cases of a unit by due date, cases by citizen, trigram search.

Revision ID: 0004
Revises: 0003

The trigram indexes need the pg_trgm extension. The embedded server (pgserver) does not
ship it, so there they are skipped and the search scans; a shared server has it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN = "('received', 'in_progress', 'waiting_citizen', 'handoff_pending', 'reopened')"
TRIGRAM_INDEXES = """
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX ix_cases_receipt_trgm ON cases USING gin (receipt_no gin_trgm_ops);
    CREATE INDEX ix_cases_phone_trgm ON cases USING gin (contact_phone gin_trgm_ops);
    CREATE INDEX ix_citizens_name_trgm ON citizens USING gin (name gin_trgm_ops);
  END IF;
END $$;
"""


def upgrade() -> None:
    op.create_index("ix_cases_open_queue", "cases", ["unit_id", "due_date", "id"],
                    postgresql_where=sa.text(f"status IN {OPEN}"))
    op.create_index("ix_cases_citizen", "cases", ["citizen_id"])
    op.execute(TRIGRAM_INDEXES)


def downgrade() -> None:
    for name in ("ix_cases_receipt_trgm", "ix_cases_phone_trgm", "ix_citizens_name_trgm"):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_cases_citizen", table_name="cases")
    op.drop_index("ix_cases_open_queue", table_name="cases")
