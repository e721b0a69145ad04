"""Read-only numbers for reports; on SQLite they run in a worker thread (many rows).

Every count is driven from the villages asked for, through the learners' village index and
the completions' (learner, lesson) key, so one commune's report reads only that commune.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from bot.storage.base import StoreBase
from bot.storage.schema import communes, completions, learners, villages


@dataclass
class VillageCounts:
    village_id: int | None  # None: learners who chose no village
    commune: str
    village: str
    adults: int
    learners: int = 0
    core_done: int = 0  # learners who completed every lesson of the core path
    lessons: dict[str, int] = field(default_factory=dict)  # lesson id → learners who passed


class ReportQueries(StoreBase):
    async def village_counts(
        self, core_lessons: tuple[str, ...], commune_id: int | None = None
    ) -> list[VillageCounts]:
        """One row per active village (of one commune, or all with a no-village row)."""
        return await self.runner.read_in_thread(_village_counts, core_lessons, commune_id)


def _village_counts(
    conn: sa.Connection, core_lessons: tuple[str, ...], commune_id: int | None
) -> list[VillageCounts]:
    query = (
        sa.select(villages.c.id, communes.c.name, villages.c.name, villages.c.adults)
        .join(communes)
        .where(villages.c.active)
        .order_by(communes.c.name, villages.c.name)
    )
    if commune_id is not None:
        query = query.where(villages.c.commune_id == commune_id)
    rows: dict[int | None, VillageCounts] = {
        row[0]: VillageCounts(row[0], row[1], row[2], row[3]) for row in conn.execute(query)
    }
    ids = [village_id for village_id in rows if village_id is not None]
    in_scope = learners.c.village_id.in_(ids)
    if commune_id is None:
        rows[None] = VillageCounts(None, "", "", 0)
        in_scope = sa.or_(in_scope, learners.c.village_id.is_(None))

    people = sa.select(learners.c.village_id, sa.func.count()).where(in_scope)
    for village_id, count in conn.execute(people.group_by(learners.c.village_id)):
        if village_id in rows:
            rows[village_id].learners = count

    passed = (
        sa.select(
            learners.c.village_id,
            completions.c.lesson_id,
            sa.func.count(sa.distinct(completions.c.learner_id)),
        )
        .select_from(learners.join(completions, completions.c.learner_id == learners.c.id))
        .where(in_scope)
        .group_by(learners.c.village_id, completions.c.lesson_id)
    )
    for village_id, lesson_id, count in conn.execute(passed):
        if village_id in rows:
            rows[village_id].lessons[lesson_id] = count

    if core_lessons:
        done = (
            sa.select(sa.func.count(sa.distinct(completions.c.lesson_id)))
            .where(
                completions.c.learner_id == learners.c.id,
                completions.c.lesson_id.in_(core_lessons),
            )
            .scalar_subquery()
        )
        finished = (
            sa.select(learners.c.village_id, sa.func.count())
            .where(in_scope, done == len(core_lessons))
            .group_by(learners.c.village_id)
        )
        for village_id, count in conn.execute(finished):
            if village_id in rows:
                rows[village_id].core_done = count

    if None in rows and not rows[None].learners:
        del rows[None]
    return list(rows.values())
