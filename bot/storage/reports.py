"""Read-only numbers for reports; run in a worker thread on SQLite (they read many rows)."""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.base import StoreBase
from bot.storage.schema import communes, completions, learners, villages


class ReportQueries(StoreBase):
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
