"""release dates of custodial cases

Revision ID: 0007
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "release_dates",
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.ForeignKey("case_record.id"),
                  primary_key=True),
        sa.Column("track", sa.String(16), nullable=False),
        sa.Column("remand_days", sa.Integer(), nullable=False),
        sa.Column("conditional_release_date", sa.Date(), nullable=False),
        sa.Column("release_day", sa.Date(), nullable=False),
        sa.Column("sentence_expiry", sa.Date(), nullable=False),
        sa.Column("licence_start", sa.Date(), nullable=True),
        sa.Column("licence_end", sa.Date(), nullable=True),
        sa.Column("tused", sa.Date(), nullable=True),
        sa.Column("pss_start", sa.Date(), nullable=True),
        sa.Column("pss_end", sa.Date(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("release_dates")
