"""audit_subject: every record an audited read showed, indexed by subject

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_subject",
        sa.Column("audit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  sa.ForeignKey("audit_log.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("subject", sa.String(40), primary_key=True),
    )
    op.create_index("ix_audit_subject_subject", "audit_subject", ["subject", "audit_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_subject_subject", table_name="audit_subject")
    op.drop_table("audit_subject")
