"""The storage facade: one object with every domain operation, composed by topic."""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.areas import AreaQueries
from bot.storage.base import reads, writes
from bot.storage.learners import LearnerQueries
from bot.storage.reports import ReportQueries
from bot.storage.runner import open_runner


class Storage(AreaQueries, LearnerQueries, ReportQueries):
    """Implements bot.core.ports.LearnerStore, plus areas, delivery and reports."""

    @classmethod
    def open(cls, url: str) -> Storage:
        """Nothing is connected until the first query."""
        return cls(open_runner(url))

    async def close(self) -> None:
        await self.runner.dispose()

    @writes
    def upgrade(self, conn: sa.Connection) -> None:
        """Apply the Alembic migrations up to head."""
        from bot.migrate import upgrade_connection

        upgrade_connection(conn)

    @reads
    def current_revision(self, conn: sa.Connection) -> str | None:
        from bot.migrate import revision_of

        return revision_of(conn)
