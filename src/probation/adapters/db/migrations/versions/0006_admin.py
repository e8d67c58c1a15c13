"""administrator: per-provider contract settings, letters and their delivery log

Revision ID: 0006
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('provider_contract',
    sa.Column('organisation_code', sa.String(length=16), nullable=False),
    sa.Column('commissioned_options', sa.JSON(), nullable=False),
    sa.Column('timescale_overrides', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['organisation_code'], ['organisation.code'], ),
    sa.PrimaryKeyConstraint('organisation_code')
    )
    op.create_table('letter',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('case_id', BIG_ID, nullable=True),
    sa.Column('crn', sa.String(length=7), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_letter_case_id'), 'letter', ['case_id'], unique=False)
    op.create_index(op.f('ix_letter_crn'), 'letter', ['crn'], unique=False)
    op.create_index(op.f('ix_letter_kind'), 'letter', ['kind'], unique=False)
    op.create_table('letter_delivery',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('letter_id', BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('case_id', BIG_ID, nullable=True),
    sa.Column('crn', sa.String(length=7), nullable=True),
    sa.Column('recipient_organisation_code', sa.String(length=16), nullable=True),
    sa.Column('recipient_email', sa.String(length=200), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_record.id'], ),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], ),
    sa.ForeignKeyConstraint(['recipient_organisation_code'], ['organisation.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_letter_delivery_created', 'letter_delivery', ['created_at'], unique=False)
    op.create_index(op.f('ix_letter_delivery_letter_id'), 'letter_delivery', ['letter_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_letter_delivery_letter_id'), table_name='letter_delivery')
    op.drop_index('ix_letter_delivery_created', table_name='letter_delivery')
    op.drop_table('letter_delivery')
    op.drop_index(op.f('ix_letter_kind'), table_name='letter')
    op.drop_index(op.f('ix_letter_crn'), table_name='letter')
    op.drop_index(op.f('ix_letter_case_id'), table_name='letter')
    op.drop_table('letter')
    op.drop_table('provider_contract')
