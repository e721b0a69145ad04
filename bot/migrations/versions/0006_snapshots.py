"""weekly progress snapshots

Revision ID: 0006_snapshots
Revises: 0005_chat_index
Create Date: 2026-11-24 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0006_snapshots'
down_revision = '0005_chat_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('progress_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('adults', sa.Integer(), nullable=False),
    sa.Column('learners', sa.Integer(), nullable=False),
    sa.Column('core_done', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_progress_snapshots_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_snapshots')),
    sa.UniqueConstraint('week', 'village_id', name=op.f('uq_progress_snapshots_week_village_id'))
    )
    with op.batch_alter_table('progress_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_snapshots_village_id'), ['village_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('progress_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_snapshots_village_id'))

    op.drop_table('progress_snapshots')
