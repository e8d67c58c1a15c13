"""em_alert.superseded_at: an alert that evaluation in fix-time order no longer raises

Revision ID: 0008
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column: an in-place ALTER TABLE on SQLite and PostgreSQL, no table copy.
    op.add_column("em_alert", sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("em_alert") as batch:
        batch.drop_column("superseded_at")
