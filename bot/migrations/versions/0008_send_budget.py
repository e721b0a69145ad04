"""send budget: one rate, one flood wait and one order per channel for every process

Revision ID: 0008_send_budget
Revises: 0007_pending_chats
Create Date: 2026-12-02 12:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_send_budget'
down_revision = '0007_pending_chats'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('send_budgets',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('next_at', sa.Float(), nullable=False),
    sa.Column('paused_until', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('channel', name=op.f('pk_send_budgets'))
    )
    op.create_table('user_turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_turns'))
    )
    with op.batch_alter_table('user_turns', schema=None) as batch_op:
        batch_op.create_index('ix_user_turns_user', ['channel', 'user_id', 'seq'], unique=False)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direct', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('direct')
    with op.batch_alter_table('user_turns', schema=None) as batch_op:
        batch_op.drop_index('ix_user_turns_user')
    op.drop_table('user_turns')
    op.drop_table('send_budgets')
