"""Learners, their conversation state, quiz answers and completions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.core.messages import Learner
from bot.core.turn import normalise_state
from bot.storage.base import StoreBase, reads, writes
from bot.storage.family import leave_household
from bot.storage.helpdesk import forget_learner_help
from bot.storage.schema import (
    audit_log,
    certificates,
    communes,
    completions,
    dashboard_links,
    dashboard_sessions,
    invites,
    learners,
    outbox,
    pending_chats,
    processed_updates,
    pushes,
    quiz_answers,
    quiz_attempts,
    review_items,
    roles,
    villages,
    weekly_queue,
)

PROCESSED_WINDOW = timedelta(days=2)
PENDING_WINDOW = timedelta(days=1)
DELETED = "deleted learner"
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
        push_day=sa.bindparam("push_day"),
        push_hour=sa.bindparam("push_hour"),
        blocked=False,  # they just wrote to us, so the chat works
        ignored_pushes=0,  # and so they answered: nudges and reviews may come again
        last_active_at=sa.bindparam("now"),
    )
)
_COMPLETED = sa.select(completions.c.lesson_id).where(
    completions.c.learner_id == sa.bindparam("learner_id")
)
_GET_PROFILE = sa.select(learners).where(
    learners.c.id == sa.bindparam("profile_id"), learners.c.owner_id == sa.bindparam("owner_id")
)


def learner_from_row(row: sa.Row[Any], shared: bool = False) -> Learner:
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
        owner_id=row.owner_id,
        name=row.profile_name,
        shared=shared,
        push_day=row.push_day,
        push_hour=row.push_hour,
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
        """The learner this chat speaks as now: on a phone shared by several learners, the
        profile chosen last ("Đổi người học"), else the chat's own learner."""
        row = conn.execute(_GET_LEARNER, {"channel": channel, "user_id": user_id}).first()
        if row is None:
            return None
        if row.active_id is not None and row.active_id != row.id:
            values = {"profile_id": row.active_id, "owner_id": row.id}
            profile = conn.execute(_GET_PROFILE, values).first()
            if profile is not None:
                return learner_from_row(profile, shared=True)
        return learner_from_row(row, shared=row.active_id is not None)

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
        return learner_from_row(
            conn.execute(_GET_LEARNER, {"channel": channel, "user_id": user_id}).one()
        )

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
                "push_day": learner.push_day,
                "push_hour": learner.push_hour,
                "now": now,
            },
        )

    @writes
    def delete_learner(self, conn: sa.Connection, learner_id: int, now: datetime) -> None:
        """Erase the learner and every row that names them, for every role they held.

        The audit keeps that a deletion happened and which roles were given up, never who:
        older audit lines, queued messages and announcements that named the learner by id
        are rewritten to "deleted learner"."""
        row = conn.execute(sa.select(learners).where(learners.c.id == learner_id)).first()
        if row is None:
            return
        held = _held(conn, learner_id)
        forget_learner_help(conn, learner_id, now)
        named_tables = (
            quiz_answers, quiz_attempts, completions, roles, outbox, review_items, certificates,
            dashboard_links, dashboard_sessions,
        )  # fmt: skip
        for table in named_tables:
            conn.execute(table.delete().where(table.c.learner_id == learner_id))
        on_chat = (learners.c.channel == row.channel) & (learners.c.chat_id == row.chat_id)
        if conn.scalar(sa.select(sa.func.count()).where(on_chat)) == 1:  # nobody else on it
            conn.execute(
                outbox.delete().where(
                    outbox.c.channel == row.channel, outbox.c.chat_id == row.chat_id
                )
            )
        conn.execute(
            learners.update().where(learners.c.referred_by == learner_id).values(referred_by=None)
        )
        conn.execute(invites.update().where(invites.c.used_by == learner_id).values(used_by=None))
        conn.execute(
            pushes.update()
            .where(pushes.c.creator_id == learner_id)
            .values(creator_id=None, created_by=DELETED)
        )
        name = f"learner {learner_id}"
        conn.execute(
            weekly_queue.update()
            .where(weekly_queue.c.created_by == name)
            .values(created_by=DELETED)
        )
        conn.execute(audit_log.update().where(audit_log.c.actor == name).values(actor=DELETED))
        pattern = re.compile(rf"\blearner {learner_id}\b")
        named = conn.execute(
            sa.select(audit_log.c.id, audit_log.c.detail).where(
                audit_log.c.detail.like(f"%learner {learner_id}%")
            )
        ).all()
        for entry in named:
            detail = pattern.sub(DELETED, entry.detail)
            conn.execute(audit_log.update().where(audit_log.c.id == entry.id).values(detail=detail))
        conn.execute(
            pending_chats.delete().where(
                pending_chats.c.channel == row.channel, pending_chats.c.user_id == row.user_id
            )
        )
        leave_household(conn, learner_id, row.owner_id, row.user_id)
        for role, scope in held:
            _audit_anonymous(conn, now, "role_given_up", f"{role} {scope}".strip())
        _audit_anonymous(conn, now, "delete_own_data", "")

    @writes
    def show_step(self, conn: sa.Connection, learner_id: int, shown: dict[str, Any]) -> None:
        """A message with choices reached the learner outside their own turn (a help
        request offered to a helper): it becomes their step, so a typed "1" picks its first
        choice, as on any message with choices."""
        row = conn.execute(sa.select(learners.c.state).where(learners.c.id == learner_id)).first()
        if row is None:
            return
        state = normalise_state(row.state)  # rows older than 0.2 kept their state flat
        state["shown"] = shown
        conn.execute(learners.update().where(learners.c.id == learner_id).values(state=state))

    @reads
    def roles_held(self, conn: sa.Connection, learner_id: int) -> list[tuple[str, str]]:
        """(role, village or commune name) for each role the learner holds now."""
        return _held(conn, learner_id)

    # -- before consent: the step a chat is at ----------------------------------------------

    @reads
    def get_pending(self, conn: sa.Connection, channel: str, user_id: str) -> dict[str, Any]:
        where = (pending_chats.c.channel == channel) & (pending_chats.c.user_id == user_id)
        row = conn.execute(sa.select(pending_chats.c.state).where(where)).first()
        return dict(row.state) if row and isinstance(row.state, dict) else {}

    @writes
    def save_pending(
        self, conn: sa.Connection, channel: str, user_id: str, state: dict[str, Any], now: datetime
    ) -> None:
        """Keep (or, for an empty state, drop) the step of a chat that has not consented."""
        where = (pending_chats.c.channel == channel) & (pending_chats.c.user_id == user_id)
        conn.execute(pending_chats.delete().where(where))
        conn.execute(
            pending_chats.delete().where(pending_chats.c.updated_at < now - PENDING_WINDOW)
        )
        if state:
            conn.execute(
                pending_chats.insert().values(
                    channel=channel, user_id=user_id, state=state, updated_at=now
                )
            )

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


def _audit_anonymous(conn: sa.Connection, now: datetime, action: str, detail: str) -> None:
    conn.execute(audit_log.insert().values(at=now, actor=DELETED, action=action, detail=detail))


def _held(conn: sa.Connection, learner_id: int) -> list[tuple[str, str]]:
    rows = conn.execute(
        sa.select(roles.c.role, villages.c.name.label("village"), communes.c.name)
        .select_from(roles.outerjoin(villages, villages.c.id == roles.c.village_id))
        .outerjoin(communes, communes.c.id == roles.c.commune_id)
        .where(roles.c.learner_id == learner_id, roles.c.revoked_at.is_(None))
    ).all()
    return [(row.role, row.village or row.name or "") for row in rows]
