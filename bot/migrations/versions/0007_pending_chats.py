"""pending chats: the step a chat is at before consent

Revision ID: 0007_pending_chats
Revises: 0006_snapshots
Create Date: 2026-12-02 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_pending_chats'
down_revision = '0006_snapshots'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pending_chats',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'user_id', name=op.f('pk_pending_chats'))
    )
    with op.batch_alter_table('pending_chats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_chats_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pending_chats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_chats_updated_at'))
    op.drop_table('pending_chats')
