"""spaced review, certificates, push slots

Revision ID: 0010_review
Revises: 0009_help
Create Date: 2026-12-02 04:03:20.519424

Questions answered wrong before this revision enter the review queue, due a day after the
upgrade (the core path's questions are added by the scheduler, which knows the content).
"""

from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


revision = '0010_review'
down_revision = '0009_help'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('certificates',
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_certificates_learner_id_learners')),
    sa.PrimaryKeyConstraint('learner_id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('token', name=op.f('uq_certificates_token'))
    )
    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.String(length=48), nullable=False),
    sa.Column('question', sa.Integer(), nullable=False),
    sa.Column('box', sa.Integer(), server_default='0', nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lapses', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_review_items_learner_id_learners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items')),
    sa.UniqueConstraint('learner_id', 'lesson_id', 'question', name=op.f('uq_review_items_learner_id_lesson_id_question'))
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index('ix_review_items_learner_due', ['learner_id', 'due_at'], unique=False)

    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('push_day', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('push_hour', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ignored_pushes', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_review_push', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('weekly_week', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('national_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_learners_push_slot', ['push_day', 'push_hour'], unique=False)
    registered = sa.text('national_at IS NOT NULL')
    op.create_index(
        'ix_learners_national', 'learners', ['village_id'], unique=False,
        sqlite_where=registered, postgresql_where=registered,
    )

    _queue_past_mistakes()


def _queue_past_mistakes() -> None:
    """One review item per question a learner ever got wrong."""
    answers = sa.table(
        'quiz_answers',
        sa.column('learner_id', sa.Integer), sa.column('lesson_id', sa.String),
        sa.column('question', sa.Integer), sa.column('correct', sa.Boolean),
    )
    items = sa.table(
        'review_items',
        sa.column('learner_id', sa.Integer), sa.column('lesson_id', sa.String),
        sa.column('question', sa.Integer), sa.column('box', sa.Integer),
        sa.column('due_at', sa.DateTime(timezone=True)),
        sa.column('added_at', sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    wrong = (
        sa.select(
            answers.c.learner_id, answers.c.lesson_id, answers.c.question, sa.literal(0),
            sa.literal(now + timedelta(days=1), sa.DateTime(timezone=True)),
            sa.literal(now, sa.DateTime(timezone=True)),
        )
        .where(answers.c.correct.is_(False))
        .group_by(answers.c.learner_id, answers.c.lesson_id, answers.c.question)
    )
    columns = ['learner_id', 'lesson_id', 'question', 'box', 'due_at', 'added_at']
    op.execute(items.insert().from_select(columns, wrong))



def downgrade() -> None:
    op.drop_index('ix_learners_national', table_name='learners')
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.drop_index('ix_learners_push_slot')
        batch_op.drop_column('national_at')
        batch_op.drop_column('weekly_week')
        batch_op.drop_column('last_review_push')
        batch_op.drop_column('ignored_pushes')
        batch_op.drop_column('push_hour')
        batch_op.drop_column('push_day')

    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index('ix_review_items_learner_due')

    op.drop_table('review_items')
    op.drop_table('certificates')
