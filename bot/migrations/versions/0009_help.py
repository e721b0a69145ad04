"""help from people and families: help requests, household profiles, personal invites,
households per village and the commune office for people nobody could help

Revision ID: 0009_help
Revises: 0008_send_budget
Create Date: 2026-12-02 04:00:57.152113
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_help'
down_revision = '0008_send_budget'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('help_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('asker_name', sa.String(length=64), server_default='', nullable=False),
    sa.Column('helper_name', sa.String(length=64), server_default='', nullable=False),
    sa.Column('question', sa.String(length=400), server_default='', nullable=False),
    sa.Column('context', sa.String(length=400), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=8), nullable=True),
    sa.Column('rating', sa.String(length=4), nullable=True),
    sa.Column('offers', sa.Integer(), server_default='0', nullable=False),
    sa.Column('messages', sa.Integer(), server_default='0', nullable=False),
    sa.Column('learner_wrote_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('helper_wrote_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('swept', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_help_requests_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_requests'))
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_requests_helper_id'), ['helper_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index('ix_help_requests_status', ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_village_id'), ['village_id'], unique=False)

    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_hours', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('office_address', sa.String(length=200), nullable=True))

    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('profile_name', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('active_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ref_code', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('referred_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('joined_via', sa.String(length=8), nullable=True))
        batch_op.create_index(batch_op.f('ix_learners_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learners_referred_by'), ['referred_by'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_learners_ref_code'), ['ref_code'])

    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('households', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_column('households')

    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_learners_ref_code'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_learners_referred_by'))
        batch_op.drop_index(batch_op.f('ix_learners_owner_id'))
        batch_op.drop_column('joined_via')
        batch_op.drop_column('referred_by')
        batch_op.drop_column('ref_code')
        batch_op.drop_column('active_id')
        batch_op.drop_column('profile_name')
        batch_op.drop_column('owner_id')

    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.drop_column('office_address')
        batch_op.drop_column('office_hours')

    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_village_id'))
        batch_op.drop_index('ix_help_requests_status')
        batch_op.drop_index(batch_op.f('ix_help_requests_learner_id'))
        batch_op.drop_index(batch_op.f('ix_help_requests_helper_id'))

    op.drop_table('help_requests')
