"""em_fix: drop the (case_id, t_ms) index; a case's fixes are read by device through the key

Revision ID: 0009
Revises: 0008
"""
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Each ingest batch rewrote one leaf of this index per device: half of the commit's writes.
    op.drop_index("ix_em_fix_case_time", table_name="em_fix")


def downgrade() -> None:
    op.create_index("ix_em_fix_case_time", "em_fix", ["case_id", "t_ms"])
