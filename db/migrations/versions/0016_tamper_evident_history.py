"""Tamper-evident case history: each event is chained to its case's previous one by a hash;
digests over every case's latest hash anchor the whole; all logs refuse UPDATE and DELETE.

Each case's events carry `seq` (1, 2, 3, ... per case), `written_at` (when the row was
written, set by the database) and `hash` = sha256(previous event's hash || this event's
content). A trigger sets all three, so no path that writes events can skip the chain. The
chain is per case: the case row is locked by every transaction that writes its events, while
one chain for the whole city would serialise every write. Existing events are chained here in
the order they were written.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# The content an event's hash covers, as PostgreSQL writes it: jsonb text is canonical.
BODY = """convert_to(jsonb_build_array(
    {e}.case_id, {e}.seq, extract(epoch FROM {e}.at)::text, {e}.actor_id, {e}.unit_id, {e}.kind,
    {e}.from_status, {e}.to_status, {e}.data, extract(epoch FROM {e}.written_at)::text)::text,
    'UTF8')"""

CHAIN = f"""
CREATE FUNCTION chain_case_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_seq integer;
    last_hash bytea;
BEGIN
    -- Writers of one case take turns, so that its events form one chain.
    PERFORM 1 FROM cases WHERE id = NEW.case_id FOR NO KEY UPDATE;
    SELECT seq, hash INTO last_seq, last_hash FROM case_events
        WHERE case_id = NEW.case_id ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.written_at := clock_timestamp();
    NEW.hash := sha256(coalesce(last_hash, ''::bytea) || {BODY.format(e="NEW")});
    RETURN NEW;
END $$;
CREATE TRIGGER case_events_chain BEFORE INSERT ON case_events
    FOR EACH ROW EXECUTE FUNCTION chain_case_event();
"""

# The chain of the events already written, one link of every case at a time.
BACKFILL = f"""
DO $$
DECLARE
    link integer := 1;
BEGIN
    LOOP
        UPDATE case_events e
           SET hash = sha256(coalesce(previous.hash, ''::bytea) || {BODY.format(e="e")})
          FROM case_events this
          LEFT JOIN case_events previous
                 ON previous.case_id = this.case_id AND previous.seq = this.seq - 1
         WHERE this.seq = link AND e.id = this.id;
        EXIT WHEN NOT FOUND;
        link := link + 1;
    END LOOP;
END $$;
"""

NEWLY_APPEND_ONLY = ("account_events", "feedback", "supervision_notices", "history_digests")


def upgrade() -> None:
    op.add_column("case_events", sa.Column("seq", sa.Integer()))
    op.add_column("case_events", sa.Column("written_at", sa.DateTime(timezone=True)))
    op.add_column("case_events", sa.Column("hash", sa.LargeBinary()))
    op.execute("ALTER TABLE case_events DISABLE TRIGGER case_events_append_only")
    op.execute("""
        UPDATE case_events e SET seq = numbered.seq, written_at = e.at
          FROM (SELECT id, row_number() OVER (PARTITION BY case_id ORDER BY id) AS seq
                  FROM case_events) numbered
         WHERE numbered.id = e.id""")
    op.create_index("ux_case_events_case_seq", "case_events", ["case_id", "seq"], unique=True)
    op.execute(BACKFILL)
    op.execute("ALTER TABLE case_events ENABLE TRIGGER case_events_append_only")
    for column in ("seq", "written_at", "hash"):
        op.alter_column("case_events", column, nullable=False)
    op.drop_index("ix_case_events_case_id", table_name="case_events")  # the new one serves
    op.execute(CHAIN)

    op.create_table(
        "history_digests",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("upto", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for table in NEWLY_APPEND_ONLY:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_change()")


def downgrade() -> None:
    for table in NEWLY_APPEND_ONLY:
        op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
    op.drop_table("history_digests")
    op.execute("DROP TRIGGER case_events_chain ON case_events")
    op.execute("DROP FUNCTION chain_case_event()")
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    op.drop_index("ux_case_events_case_seq", table_name="case_events")
    for column in ("hash", "written_at", "seq"):
        op.drop_column("case_events", column)
