"""Intake: documents told and brought, contact phone, authorisation, the materials register.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_materials",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("copies", sa.SmallInteger(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("returned_copies", sa.SmallInteger(), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("copies > 0", name="copies_positive"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_case_materials_case_id"), "case_materials", ["case_id"])
    # Existing cases were taken in before documents were recorded: an empty list, not on behalf.
    op.add_column("cases", sa.Column("documents", postgresql.JSONB(astext_type=sa.Text()),
                                     nullable=False, server_default="[]"))
    op.add_column("cases", sa.Column("on_behalf", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column("cases", sa.Column("poa_signed", sa.Boolean(), nullable=True))
    op.add_column("cases", sa.Column("contact_phone", sa.String(length=20), nullable=False,
                                     server_default=""))
    op.execute("UPDATE cases SET contact_phone = citizens.phone FROM citizens "
               "WHERE citizens.id = cases.citizen_id")
    op.add_column("cases", sa.Column("poa_date", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("cases", "poa_date")
    op.drop_column("cases", "contact_phone")
    op.drop_column("cases", "poa_signed")
    op.drop_column("cases", "on_behalf")
    op.drop_column("cases", "documents")
    op.drop_index(op.f("ix_case_materials_case_id"), table_name="case_materials")
    op.drop_table("case_materials")
