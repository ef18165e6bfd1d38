"""create write_off: debts written off by decision

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('write_off',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('decision_ref', sa.String(length=80), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('fund', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_write_off_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_off')),
    sa.UniqueConstraint('decision_ref', 'employer_id', 'month', 'fund', 'kind',
                        name=op.f('uq_write_off_decision_ref_employer_id_month_fund_kind'))
    )
    with op.batch_alter_table('write_off', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_write_off_employer_id'), ['employer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('write_off', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_write_off_employer_id'))
    op.drop_table('write_off')
