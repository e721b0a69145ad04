"""The only module that knows the schema and speaks SQL.

Everything else calls domain-named async functions. SQLite (aiosqlite) by default in WAL
mode with a busy timeout; the URL picks the engine. Times are stored in UTC.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.config import Commune
from bot.core.messages import Learner, Village

log = logging.getLogger(__name__)

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
UtcDateTime = sa.DateTime(timezone=True)

communes = sa.Table(
    "communes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
)
villages = sa.Table(
    "villages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("commune_id", sa.ForeignKey("communes.id"), nullable=False),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("adults", sa.Integer, nullable=False, server_default="0"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.UniqueConstraint("commune_id", "name"),
)
learners = sa.Table(
    "learners",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("chat_id", sa.String(64), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("village_id", sa.ForeignKey("villages.id"), nullable=True, index=True),
    sa.Column("group", sa.String(16), nullable=True),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("consent_at", UtcDateTime, nullable=False),
    sa.Column("last_active_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("channel", "user_id"),
)
quiz_answers = sa.Table(
    "quiz_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=False, index=True),
    sa.Column("lesson_id", sa.String(48), nullable=False),
    sa.Column("lesson_version", sa.Integer, nullable=False),
    sa.Column("question", sa.Integer, nullable=False),
    sa.Column("option", sa.Integer, nullable=False),
    sa.Column("correct", sa.Boolean, nullable=False),
    sa.Column("answered_at", UtcDateTime, nullable=False),
)
quiz_attempts = sa.Table(
    "quiz_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=False, index=True),
    sa.Column("lesson_id", sa.String(48), nullable=False),
    sa.Column("lesson_version", sa.Integer, nullable=False),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("finished_at", UtcDateTime, nullable=False),
)
# One row per learner and lesson version: the unique key is what makes "completed once"
# hold however often a button is tapped. No foreign key into content (lessons are files).
completions = sa.Table(
    "completions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=False),
    sa.Column("lesson_id", sa.String(48), nullable=False),
    sa.Column("lesson_version", sa.Integer, nullable=False),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("pass_mark", sa.Integer, nullable=False),
    sa.Column("completed_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("learner_id", "lesson_id", "lesson_version"),
    sa.Index("ix_completions_lesson", "lesson_id"),
)
processed_updates = sa.Table(
    "processed_updates",
    metadata,
    sa.Column("channel", sa.String(16), primary_key=True),
    sa.Column("update_id", sa.String(64), primary_key=True),
    sa.Column("processed_at", UtcDateTime, nullable=False, index=True),
)
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("detail", sa.String(500), nullable=False, server_default=""),
)

PROCESSED_WINDOW = timedelta(days=2)
_PRUNE_EVERY = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


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
    """Domain operations over one database; implements bot.core.ports.LearnerStore."""

    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self._claims = 0
        dialect = engine.dialect.name
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    def _insert_ignore(self, table: sa.Table, **values: Any) -> Any:
        """INSERT that skips a row violating a unique key (rowcount 0), on either engine."""
        return self._insert(table).values(**values).on_conflict_do_nothing()

    @classmethod
    def open(cls, url: str) -> Storage:
        """Create the engine (and the SQLite file's folder); no I/O until first use."""
        if url.startswith("sqlite"):
            path = sa.engine.make_url(url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return cls(engine)

    async def close(self) -> None:
        await self.engine.dispose()

    async def upgrade(self) -> None:
        """Apply the Alembic migrations up to head."""
        from bot.migrate import upgrade_connection

        async with self.engine.begin() as conn:
            await conn.run_sync(upgrade_connection)

    async def current_revision(self) -> str | None:
        from bot.migrate import revision_of

        async with self.engine.connect() as conn:
            return await conn.run_sync(revision_of)

    # -- areas --------------------------------------------------------------------------

    async def sync_areas(self, configured: list[Commune]) -> None:
        """Make the areas table match the config; villages dropped from it become inactive."""
        async with self.engine.begin() as conn:
            wanted: set[tuple[int, str]] = set()
            for commune in configured:
                commune_id = await self._upsert_commune(conn, commune.name)
                for village in commune.villages:
                    wanted.add((commune_id, village.name))
                    found = await conn.scalar(
                        sa.select(villages.c.id).where(
                            villages.c.commune_id == commune_id, villages.c.name == village.name
                        )
                    )
                    values = {"adults": village.adults, "active": True}
                    if found is None:
                        await conn.execute(
                            villages.insert().values(
                                commune_id=commune_id, name=village.name, **values
                            )
                        )
                    else:
                        await conn.execute(
                            villages.update().where(villages.c.id == found).values(**values)
                        )
            rows = await conn.execute(
                sa.select(villages.c.id, villages.c.commune_id, villages.c.name)
            )
            for row in rows:
                if (row.commune_id, row.name) not in wanted:
                    await conn.execute(
                        villages.update().where(villages.c.id == row.id).values(active=False)
                    )

    async def _upsert_commune(self, conn: AsyncConnection, name: str) -> int:
        found = await conn.scalar(sa.select(communes.c.id).where(communes.c.name == name))
        if found is not None:
            return int(found)
        result = await conn.execute(communes.insert().values(name=name))
        return int(result.inserted_primary_key[0])

    async def villages(self) -> list[Village]:
        query = (
            sa.select(villages.c.id, villages.c.name, communes.c.name.label("commune"))
            .join(communes)
            .where(villages.c.active)
            .order_by(communes.c.name, villages.c.name)
        )
        async with self.engine.connect() as conn:
            return [Village(row.id, row.name, row.commune) for row in await conn.execute(query)]

    # -- learners -----------------------------------------------------------------------

    async def claim_update(self, channel: str, update_id: str, now: datetime) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(
                self._insert_ignore(
                    processed_updates, channel=channel, update_id=update_id, processed_at=now
                )
            )
            self._claims += 1
            if self._claims % _PRUNE_EVERY == 0:
                await conn.execute(
                    processed_updates.delete().where(
                        processed_updates.c.processed_at < now - PROCESSED_WINDOW
                    )
                )
            return result.rowcount == 1

    async def get_learner(self, channel: str, user_id: str) -> Learner | None:
        query = sa.select(learners).where(
            learners.c.channel == channel, learners.c.user_id == user_id
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _learner(row) if row else None

    async def create_learner(
        self, *, channel: str, user_id: str, chat_id: str, language: str, now: datetime
    ) -> Learner:
        async with self.engine.begin() as conn:
            await conn.execute(
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
            row = (
                await conn.execute(
                    sa.select(learners).where(
                        learners.c.channel == channel, learners.c.user_id == user_id
                    )
                )
            ).one()
        return _learner(row)

    async def update_learner(self, learner: Learner, now: datetime) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                learners.update()
                .where(learners.c.id == learner.id)
                .values(
                    chat_id=learner.chat_id,
                    language=learner.language,
                    village_id=learner.village_id,
                    group=learner.group,
                    state=learner.state,
                    last_active_at=now,
                )
            )

    async def delete_learner(self, learner_id: int, now: datetime) -> None:
        """Erase the learner and everything recorded about them; audit keeps no identity."""
        async with self.engine.begin() as conn:
            for table in (quiz_answers, quiz_attempts, completions):
                await conn.execute(table.delete().where(table.c.learner_id == learner_id))
            await conn.execute(learners.delete().where(learners.c.id == learner_id))
            await conn.execute(
                audit_log.insert().values(at=now, actor="learner", action="delete_own_data")
            )

    # -- lessons ------------------------------------------------------------------------

    async def record_answer(
        self,
        *,
        learner_id: int,
        lesson_id: str,
        version: int,
        question: int,
        option: int,
        correct: bool,
        now: datetime,
    ) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                quiz_answers.insert().values(
                    learner_id=learner_id,
                    lesson_id=lesson_id,
                    lesson_version=version,
                    question=question,
                    option=option,
                    correct=correct,
                    answered_at=now,
                )
            )

    async def record_attempt(
        self,
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
        async with self.engine.begin() as conn:
            await conn.execute(
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
            result = await conn.execute(
                self._insert_ignore(
                    completions,
                    learner_id=learner_id,
                    lesson_id=lesson_id,
                    lesson_version=version,
                    score=score,
                    total=total,
                    pass_mark=pass_mark,
                    completed_at=now,
                )
            )
            return result.rowcount == 1

    async def completed_lessons(self, learner_id: int) -> set[str]:
        query = sa.select(completions.c.lesson_id).where(completions.c.learner_id == learner_id)
        async with self.engine.connect() as conn:
            return set((await conn.scalars(query)).all())

    async def attempts_by_lesson(self, learner_id: int) -> dict[str, int]:
        query = (
            sa.select(quiz_attempts.c.lesson_id, sa.func.count())
            .where(quiz_attempts.c.learner_id == learner_id)
            .group_by(quiz_attempts.c.lesson_id)
        )
        async with self.engine.connect() as conn:
            return {row[0]: row[1] for row in await conn.execute(query)}

    # -- reports ------------------------------------------------------------------------

    async def learners_per_village(self) -> list[tuple[str, str, int, int]]:
        """(commune, village, adults, learners) for every active village."""
        count = sa.func.count(learners.c.id)
        query = (
            sa.select(communes.c.name, villages.c.name, villages.c.adults, count)
            .select_from(villages.join(communes).outerjoin(learners))
            .where(villages.c.active)
            .group_by(communes.c.name, villages.c.name, villages.c.adults)
            .order_by(communes.c.name, villages.c.name)
        )
        async with self.engine.connect() as conn:
            return [tuple(row) for row in await conn.execute(query)]  # type: ignore[misc]

    async def completions_per_village(self) -> list[tuple[str | None, str | None, str, int]]:
        """(commune, village, lesson id, learners who completed it); no village = None."""
        count = sa.func.count(sa.distinct(completions.c.learner_id))
        query = (
            sa.select(communes.c.name, villages.c.name, completions.c.lesson_id, count)
            .select_from(completions.join(learners).outerjoin(villages).outerjoin(communes))
            .group_by(communes.c.name, villages.c.name, completions.c.lesson_id)
        )
        async with self.engine.connect() as conn:
            return [tuple(row) for row in await conn.execute(query)]  # type: ignore[misc]

    async def learners_without_village(self) -> int:
        query = sa.select(sa.func.count()).where(learners.c.village_id.is_(None))
        async with self.engine.connect() as conn:
            return int(await conn.scalar(query) or 0)
