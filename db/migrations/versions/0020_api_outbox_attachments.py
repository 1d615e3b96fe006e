"""Open to the systems around the portal: API clients and their calls, messages through an
outbox (with staff's in-app notifications and editable templates), and scanned documents.

A case may carry the citizen's e-mail address (given by the hotline, or at intake), for the
messages sent to them by e-mail as well as by text message.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger(), sa.Identity(always=False), primary_key=True)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("cases", sa.Column("contact_email", sa.String(120), nullable=True))
    op.create_table(
        "api_clients", _id(),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("scopes", JSONB(), nullable=False),
        sa.Column("key_prefix", sa.String(16), nullable=False, unique=True),
        sa.Column("key_hash", sa.LargeBinary(), nullable=False, unique=True),
        _at("created_at"),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _at("revoked_at", True),
        sa.Column("revoked_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        _at("last_used_at", True))
    op.create_table(
        "api_calls", _id(),
        sa.Column("client_id", sa.BigInteger(), sa.ForeignKey("api_clients.id"), nullable=True),
        _at("at"),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("path", sa.String(200), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("address", sa.String(64), nullable=False))
    op.create_index("ix_api_calls_client", "api_calls", ["client_id", "at"])
    op.execute("CREATE TRIGGER api_calls_append_only BEFORE UPDATE OR DELETE ON api_calls "
               "FOR EACH ROW EXECUTE FUNCTION refuse_change()")
    op.create_table(
        "message_templates",
        sa.Column("event", sa.String(30), primary_key=True),
        sa.Column("language", sa.String(2), primary_key=True),
        sa.Column("subject", sa.String(120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False))
    op.create_table(
        "outbox", _id(),
        sa.Column("event", sa.String(30), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("recipient", sa.String(120), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("case_id", sa.BigInteger(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("idempotency_key", sa.String(160), nullable=False, unique=True),
        sa.Column("state", sa.String(8), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.SmallInteger(), nullable=False, server_default="0"),
        _at("next_attempt_at"),
        sa.Column("last_error", sa.Text(), nullable=False, server_default=""),
        _at("created_at"),
        _at("sent_at", True),
        sa.CheckConstraint("channel IN ('sms', 'email', 'app')", name="channel_valid"),
        sa.CheckConstraint("state IN ('pending', 'sent', 'dead')", name="state_valid"))
    op.create_index("ix_outbox_due", "outbox", ["next_attempt_at"],
                    postgresql_where=sa.text("state = 'pending'"))
    op.create_index("ix_outbox_case", "outbox", ["case_id"])
    op.create_table(
        "notifications", _id(),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("message_id", sa.BigInteger(), sa.ForeignKey("outbox.id"), nullable=False,
                  unique=True),
        sa.Column("case_id", sa.BigInteger(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _at("created_at"),
        _at("read_at", True))
    op.create_index("ix_notifications_user", "notifications", ["user_id", "created_at"])
    op.create_table(
        "attachment_blobs", _id(),
        sa.Column("content", sa.LargeBinary(), nullable=False))
    op.create_table(
        "attachments", _id(),
        sa.Column("case_id", sa.BigInteger(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(120), nullable=False),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("uploaded_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _at("uploaded_at"),
        sa.CheckConstraint("kind IN ('document', 'photo', 'power_of_attorney')",
                           name="kind_valid"))
    op.create_index("ix_attachments_case", "attachments", ["case_id"])


def downgrade() -> None:
    for table in ("attachments", "attachment_blobs", "notifications", "outbox",
                  "message_templates", "api_calls", "api_clients"):
        op.drop_table(table)
    op.drop_column("cases", "contact_email")
