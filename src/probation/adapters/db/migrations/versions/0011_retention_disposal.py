"""retention_disposal: when a person's identity or case history was anonymised, and by whom

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retention_disposal",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.ForeignKey("person.id"),
                  nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("disposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disposed_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_retention_disposal_person", "retention_disposal", ["person_id", "kind"])


def downgrade() -> None:
    op.drop_index("ix_retention_disposal_person", table_name="retention_disposal")
    op.drop_table("retention_disposal")
