"""Domain operations over one database. The rest of the code never writes SQL.

Each method is a plain function over a Connection; ``@reads`` / ``@writes`` hand it to the
runner (inline on SQLite, awaited on PostgreSQL) and make it awaitable for callers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.config import Commune
from bot.core.messages import Learner, Village
from bot.storage.runner import Runner, open_runner
from bot.storage.schema import (
    audit_log,
    communes,
    completions,
    learners,
    processed_updates,
    quiz_answers,
    quiz_attempts,
    villages,
)

P = ParamSpec("P")
R = TypeVar("R")
Method = Callable[Concatenate["Storage", sa.Connection, P], R]

PROCESSED_WINDOW = timedelta(days=2)
_PRUNE_EVERY = 5000


def reads(method: Method[P, R]) -> Callable[Concatenate[Storage, P], Awaitable[R]]:
    @wraps(method)
    async def run(self: Storage, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self.runner.read(lambda conn: method(self, conn, *args, **kwargs))

    return run


def writes(method: Method[P, R]) -> Callable[Concatenate[Storage, P], Awaitable[R]]:
    """One transaction: everything the method does is committed together or not at all."""

    @wraps(method)
    async def run(self: Storage, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self.runner.write(lambda conn: method(self, conn, *args, **kwargs))

    return run


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
    )


class Storage:
    """Implements bot.core.ports.LearnerStore, plus areas and reports."""

    def __init__(self, runner: Runner):
        self.runner = runner
        self._claims = 0
        self._insert = postgresql.insert if runner.dialect == "postgresql" else sqlite.insert
        self._claim = self._insert(processed_updates).on_conflict_do_nothing()
        self._complete = self._insert(completions).on_conflict_do_nothing()

    @classmethod
    def open(cls, url: str) -> Storage:
        return cls(open_runner(url))

    async def close(self) -> None:
        await self.runner.dispose()

    def _insert_ignore(self, table: sa.Table, **values: Any) -> Any:
        """INSERT that skips a row violating a unique key (rowcount 0), on either engine."""
        return self._insert(table).values(**values).on_conflict_do_nothing()

    # -- schema -------------------------------------------------------------------------

    @writes
    def upgrade(self, conn: sa.Connection) -> None:
        """Apply the Alembic migrations up to head."""
        from bot.migrate import upgrade_connection

        upgrade_connection(conn)

    @reads
    def current_revision(self, conn: sa.Connection) -> str | None:
        from bot.migrate import revision_of

        return revision_of(conn)

    # -- areas --------------------------------------------------------------------------

    @writes
    def sync_areas(self, conn: sa.Connection, configured: list[Commune]) -> None:
        """Make the areas match the config; villages dropped from it become inactive."""
        wanted: set[tuple[int, str]] = set()
        for commune in configured:
            commune_id = conn.scalar(
                sa.select(communes.c.id).where(communes.c.name == commune.name)
            )
            if commune_id is None:
                inserted = conn.execute(communes.insert().values(name=commune.name))
                commune_id = inserted.inserted_primary_key[0]
            for village in commune.villages:
                wanted.add((commune_id, village.name))
                values = {"adults": village.adults, "active": True}
                found = conn.scalar(
                    sa.select(villages.c.id).where(
                        villages.c.commune_id == commune_id, villages.c.name == village.name
                    )
                )
                if found is None:
                    conn.execute(
                        villages.insert().values(commune_id=commune_id, name=village.name, **values)
                    )
                else:
                    conn.execute(villages.update().where(villages.c.id == found).values(**values))
        for row in conn.execute(sa.select(villages.c.id, villages.c.commune_id, villages.c.name)):
            if (row.commune_id, row.name) not in wanted:
                conn.execute(villages.update().where(villages.c.id == row.id).values(active=False))

    @reads
    def villages(self, conn: sa.Connection) -> list[Village]:
        query = (
            sa.select(villages.c.id, villages.c.name, communes.c.name.label("commune"))
            .join(communes)
            .where(villages.c.active)
            .order_by(communes.c.name, villages.c.name)
        )
        return [Village(row.id, row.name, row.commune) for row in conn.execute(query)]

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

    # -- reports (read-only; may run in a thread on SQLite) -------------------------------

    async def learners_per_village(self) -> list[tuple[str, str, int, int]]:
        """(commune, village, adults, learners) for every active village."""
        return await self.runner.read_in_thread(_learners_per_village)

    async def completions_per_village(self) -> list[tuple[str | None, str | None, str, int]]:
        """(commune, village, lesson id, learners who completed it); no village = None."""
        return await self.runner.read_in_thread(_completions_per_village)

    async def learners_without_village(self) -> int:
        return await self.runner.read_in_thread(_learners_without_village)


def _learners_per_village(conn: sa.Connection) -> list[tuple[str, str, int, int]]:
    count = sa.func.count(learners.c.id)
    query = (
        sa.select(communes.c.name, villages.c.name, villages.c.adults, count)
        .select_from(villages.join(communes).outerjoin(learners))
        .where(villages.c.active)
        .group_by(communes.c.name, villages.c.name, villages.c.adults)
        .order_by(communes.c.name, villages.c.name)
    )
    return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]


def _completions_per_village(conn: sa.Connection) -> list[tuple[str | None, str | None, str, int]]:
    count = sa.func.count(sa.distinct(completions.c.learner_id))
    query = (
        sa.select(communes.c.name, villages.c.name, completions.c.lesson_id, count)
        .select_from(completions.join(learners).outerjoin(villages).outerjoin(communes))
        .group_by(communes.c.name, villages.c.name, completions.c.lesson_id)
    )
    return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]


def _learners_without_village(conn: sa.Connection) -> int:
    query = sa.select(sa.func.count()).where(learners.c.village_id.is_(None))
    return int(conn.scalar(query) or 0)
