"""Learners, their conversation state, quiz answers and completions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.core.messages import Learner
from bot.storage.base import StoreBase, reads, writes
from bot.storage.schema import (
    audit_log,
    completions,
    learners,
    processed_updates,
    quiz_answers,
    quiz_attempts,
)

PROCESSED_WINDOW = timedelta(days=2)
_PRUNE_EVERY = 5000

# Statements on the per-message path are built once: constructing a SQLAlchemy statement
# costs more than running it on SQLite.
_GET_LEARNER = sa.select(learners).where(
    learners.c.channel == sa.bindparam("channel"), learners.c.user_id == sa.bindparam("user_id")
)
_UPDATE_LEARNER = (
    learners.update()
    .where(learners.c.id == sa.bindparam("learner_id"))
    .values(
        chat_id=sa.bindparam("chat_id"),
        language=sa.bindparam("language"),
        village_id=sa.bindparam("village_id"),
        group=sa.bindparam("group_"),
        state=sa.bindparam("state"),
        weekly=sa.bindparam("weekly"),
        blocked=False,  # they just wrote to us, so the chat works
        last_active_at=sa.bindparam("now"),
    )
)
_COMPLETED = sa.select(completions.c.lesson_id).where(
    completions.c.learner_id == sa.bindparam("learner_id")
)


def _learner(row: sa.Row[Any]) -> Learner:
    return Learner(
        id=row.id,
        channel=row.channel,
        user_id=row.user_id,
        chat_id=row.chat_id,
        language=row.language,
        village_id=row.village_id,
        group=row.group,
        state=dict(row.state or {}),
        weekly=row.weekly,
    )


class LearnerQueries(StoreBase):
    _claims = 0

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._claim = self._insert(processed_updates).on_conflict_do_nothing()
        self._complete = self._insert(completions).on_conflict_do_nothing()

    # -- learners -----------------------------------------------------------------------

    @writes
    def claim_update(
        self, conn: sa.Connection, channel: str, update_id: str, now: datetime
    ) -> bool:
        values = {"channel": channel, "update_id": update_id, "processed_at": now}
        result = conn.execute(self._claim, values)
        self._claims += 1
        if self._claims % _PRUNE_EVERY == 0:
            conn.execute(
                processed_updates.delete().where(
                    processed_updates.c.processed_at < now - PROCESSED_WINDOW
                )
            )
        return result.rowcount == 1

    @reads
    def get_learner(self, conn: sa.Connection, channel: str, user_id: str) -> Learner | None:
        row = conn.execute(_GET_LEARNER, {"channel": channel, "user_id": user_id}).first()
        return _learner(row) if row else None

    @writes
    def create_learner(
        self,
        conn: sa.Connection,
        *,
        channel: str,
        user_id: str,
        chat_id: str,
        language: str,
        now: datetime,
    ) -> Learner:
        conn.execute(
            self._insert_ignore(
                learners,
                channel=channel,
                user_id=user_id,
                chat_id=chat_id,
                language=language,
                state={},
                consent_at=now,
                last_active_at=now,
            )
        )
        return _learner(conn.execute(_GET_LEARNER, {"channel": channel, "user_id": user_id}).one())

    @writes
    def update_learner(self, conn: sa.Connection, learner: Learner, now: datetime) -> None:
        conn.execute(
            _UPDATE_LEARNER,
            {
                "learner_id": learner.id,
                "chat_id": learner.chat_id,
                "language": learner.language,
                "village_id": learner.village_id,
                "group_": learner.group,
                "state": learner.state,
                "weekly": learner.weekly,
                "now": now,
            },
        )

    @writes
    def delete_learner(self, conn: sa.Connection, learner_id: int, now: datetime) -> None:
        """Erase the learner and everything recorded about them; the audit keeps no identity."""
        for table in (quiz_answers, quiz_attempts, completions):
            conn.execute(table.delete().where(table.c.learner_id == learner_id))
        conn.execute(learners.delete().where(learners.c.id == learner_id))
        conn.execute(audit_log.insert().values(at=now, actor="learner", action="delete_own_data"))

    # -- lessons ------------------------------------------------------------------------

    @writes
    def record_answer(
        self,
        conn: sa.Connection,
        *,
        learner_id: int,
        lesson_id: str,
        version: int,
        question: int,
        option: int,
        correct: bool,
        now: datetime,
    ) -> None:
        conn.execute(
            quiz_answers.insert(),
            {
                "learner_id": learner_id,
                "lesson_id": lesson_id,
                "lesson_version": version,
                "question": question,
                "option": option,
                "correct": correct,
                "answered_at": now,
            },
        )

    @writes
    def record_attempt(
        self,
        conn: sa.Connection,
        *,
        learner_id: int,
        lesson_id: str,
        version: int,
        score: int,
        total: int,
        pass_mark: int,
        passed: bool,
        now: datetime,
    ) -> bool:
        conn.execute(
            quiz_attempts.insert().values(
                learner_id=learner_id,
                lesson_id=lesson_id,
                lesson_version=version,
                score=score,
                total=total,
                passed=passed,
                finished_at=now,
            )
        )
        if not passed:
            return False
        result = conn.execute(
            self._complete,
            {
                "learner_id": learner_id,
                "lesson_id": lesson_id,
                "lesson_version": version,
                "score": score,
                "total": total,
                "pass_mark": pass_mark,
                "completed_at": now,
            },
        )
        return result.rowcount == 1

    @reads
    def completed_lessons(self, conn: sa.Connection, learner_id: int) -> set[str]:
        return set(conn.scalars(_COMPLETED, {"learner_id": learner_id}).all())

    @reads
    def attempts_by_lesson(self, conn: sa.Connection, learner_id: int) -> dict[str, int]:
        query = (
            sa.select(quiz_attempts.c.lesson_id, sa.func.count())
            .where(quiz_attempts.c.learner_id == learner_id)
            .group_by(quiz_attempts.c.lesson_id)
        )
        return {row[0]: row[1] for row in conn.execute(query)}
