"""The citizen's own rating and a recorded call-back.

A rating now says where it came from: the citizen on the public status page, a paper ledger
imported, or (before this revision) typed by staff at delivery. Only the citizens' own count
in the figures, so the days already folded are folded again. A rectification's call-back is
recorded as who called, when, what was said and the citizen's new rating, instead of a tick.
The pension enrolment's start month becomes a month field.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None
# The pension enrolment's start month asked for a whole date; it is a month field now.
MONTH_FIELD = """
UPDATE service_types SET form_fields = (
    SELECT jsonb_agg(CASE WHEN f->>'key' = 'start_month' AND f->>'type' = '{old}'
                          THEN jsonb_set(f, '{{type}}', '"{new}"') ELSE f END ORDER BY n)
    FROM jsonb_array_elements(form_fields) WITH ORDINALITY AS e(f, n))
WHERE code = 'PENSION-ENROL' AND jsonb_array_length(form_fields) > 0
"""


def upgrade() -> None:
    op.add_column("feedback", sa.Column("source", sa.String(10), nullable=False,
                                        server_default="window"))
    op.alter_column("feedback", "source", server_default=None)
    op.create_check_constraint("source_valid", "feedback",
                               "source IN ('citizen', 'ledger', 'window')")
    op.execute("ALTER TABLE feedback DISABLE TRIGGER feedback_append_only")
    op.execute("UPDATE feedback f SET source = 'ledger' FROM case_events e "
               "WHERE e.case_id = f.case_id AND e.kind = 'imported'")
    op.execute("ALTER TABLE feedback ENABLE TRIGGER feedback_append_only")
    op.create_index("ux_feedback_one_per_case", "feedback", ["case_id"], unique=True,
                    postgresql_where=sa.text("source <> 'window'"))
    op.add_column("rectifications", sa.Column("called_at", sa.DateTime(timezone=True)))
    op.add_column("rectifications", sa.Column("called_by", sa.Integer(),
                                              sa.ForeignKey("users.id")))
    op.add_column("rectifications", sa.Column("call_note", sa.Text(), nullable=False,
                                              server_default=""))
    op.add_column("rectifications", sa.Column("new_rating", sa.SmallInteger()))
    op.create_check_constraint("new_rating_valid", "rectifications",
                               "new_rating IS NULL OR new_rating BETWEEN 1 AND 5")
    op.execute("UPDATE rectifications SET called_at = closed_at, called_by = closed_by "
               "WHERE called_back")
    op.drop_column("rectifications", "called_back")
    op.execute("DELETE FROM daily_figures_done")
    op.execute(MONTH_FIELD.format(old="date", new="month"))


def downgrade() -> None:
    op.add_column("rectifications", sa.Column("called_back", sa.Boolean(), nullable=False,
                                              server_default=sa.false()))
    op.execute("UPDATE rectifications SET called_back = called_at IS NOT NULL")
    for column in ("new_rating", "call_note", "called_by", "called_at"):
        op.drop_column("rectifications", column)
    op.drop_index("ux_feedback_one_per_case", "feedback")
    op.drop_column("feedback", "source")
    op.execute("DELETE FROM daily_figures_done")
    op.execute(MONTH_FIELD.format(old="month", new="date"))
