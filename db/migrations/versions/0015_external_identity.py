"""A portal user's account at the city's identity provider, for signing in with st.login.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("external_id", sa.String(200)))
    op.create_unique_constraint("users_external_id_key", "users", ["external_id"])


def downgrade() -> None:
    op.drop_constraint("users_external_id_key", "users", type_="unique")
    op.drop_column("users", "external_id")
