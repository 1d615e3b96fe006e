"""The API's refusals counted per client address: an index for the count of a minute.

Revision ID: 0021
Revises: 0020
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_api_calls_address", "api_calls", ["address", "at"])


def downgrade() -> None:
    op.drop_index("ix_api_calls_address", table_name="api_calls")
