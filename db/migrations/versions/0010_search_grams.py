"""Search indexes that need no extension: GIN over arrays of n-grams.

Revision ID: 0010
Revises: 0009

The embedded server (pgserver) has no pg_trgm, so 0004's trigram indexes exist only on a
shared server and a search on the embedded one scanned every row. These indexes use only
built-in GIN array support, so the queue search takes the same indexed path on both; the
trigram indexes are dropped. Names are short (two or three Chinese characters), so they are
indexed by single characters and pairs; phone and receipt numbers by triples, and only for
open cases, the ones the queue searches.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OPEN = "status IN ('received', 'in_progress', 'waiting_citizen', 'handoff_pending', 'reopened')"
FUNCTIONS = """
CREATE FUNCTION portal_name_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
    SELECT substr(lower(t), i, n) AS g
    FROM generate_series(1, length(t)) AS i, (VALUES (1), (2)) AS sizes(n)
    WHERE i + n - 1 <= length(t)) AS grams $$;
CREATE FUNCTION portal_trigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 3)), '{}')
  FROM generate_series(1, greatest(length(t) - 2, 1)) AS i $$;
"""
TRIGRAM_INDEXES = ("ix_cases_receipt_trgm", "ix_cases_phone_trgm", "ix_citizens_name_trgm")


def upgrade() -> None:
    op.execute(FUNCTIONS)
    op.execute("CREATE INDEX ix_citizens_name_grams ON citizens "
               "USING gin (portal_name_grams(name))")
    op.execute("CREATE INDEX ix_cases_phone_grams ON cases "
               f"USING gin (portal_trigrams(contact_phone)) WHERE {OPEN}")
    op.execute("CREATE INDEX ix_cases_receipt_grams ON cases "
               f"USING gin (portal_trigrams(receipt_no)) WHERE {OPEN}")
    for name in TRIGRAM_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")


def downgrade() -> None:
    for name in ("ix_cases_receipt_grams", "ix_cases_phone_grams", "ix_citizens_name_grams"):
        op.execute(f"DROP INDEX {name}")
    op.execute("DROP FUNCTION portal_trigrams(text)")
    op.execute("DROP FUNCTION portal_name_grams(text)")
