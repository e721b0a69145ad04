"""Read-only figures for "người biết chỉ cho người không biết" and "Gia đình số", per village:
help requests and what became of them, learners brought in by family, and households with
someone who finished the core path. Citizens only (the terminal chat's learners are left
out), like every official figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from bot.storage.base import StoreBase
from bot.storage.outbox import as_utc
from bot.storage.reports import CONSOLE
from bot.storage.schema import communes, completions, help_requests, learners, villages


@dataclass
class CommunityCounts:
    village_id: int
    commune: str
    village: str
    households: int | None  # from the config, when it gives them
    requests: int = 0
    taken: int = 0
    take_seconds: list[float] = field(default_factory=list)  # asked → first taken, each
    resolved: int = 0  # taken, and ended by the learner or the helper
    thumbs_up: int = 0
    thumbs_down: int = 0
    by_link: int = 0  # learners who joined through someone's personal link or code
    on_phone: int = 0  # household members given a profile on someone's phone
    households_done: int = 0  # chats with a learner who finished the core path


class CommunityQueries(StoreBase):
    async def community_counts(
        self,
        core_lessons: tuple[str, ...],
        commune_id: int | None = None,
        households_done: Mapping[int, int] | None = None,
    ) -> list[CommunityCounts]:
        """``households_done`` per village when the caller has them (the progress report
        has them from its own counts): not counted a second time."""
        return await self.runner.read_in_thread(
            _community, core_lessons, commune_id, households_done
        )


def _community(
    conn: sa.Connection,
    core_lessons: tuple[str, ...],
    commune_id: int | None,
    households_done: Mapping[int, int] | None = None,
) -> list[CommunityCounts]:
    query = (
        sa.select(villages.c.id, communes.c.name, villages.c.name, villages.c.households)
        .join(communes)
        .where(villages.c.active)
    )
    if commune_id is not None:
        query = query.where(villages.c.commune_id == commune_id)
    rows = {row[0]: CommunityCounts(row[0], row[1], row[2], row[3]) for row in conn.execute(query)}
    ids = list(rows)

    asked = sa.select(help_requests).where(help_requests.c.village_id.in_(ids))
    for request in conn.execute(asked):
        row = rows[request.village_id]
        row.requests += 1
        if request.taken_at is not None:
            row.taken += 1
            waited = as_utc(request.taken_at) - as_utc(request.created_at)
            row.take_seconds.append(waited.total_seconds())
            if request.status == "closed" and request.closed_by in ("learner", "helper"):
                row.resolved += 1
        row.thumbs_up += request.rating == "up"
        row.thumbs_down += request.rating == "down"

    citizens = sa.and_(learners.c.village_id.in_(ids), learners.c.channel != CONSOLE)
    joined = (
        sa.select(learners.c.village_id, learners.c.joined_via, sa.func.count())
        .where(citizens, learners.c.joined_via.is_not(None))
        .group_by(learners.c.village_id, learners.c.joined_via)
    )
    for village_id, via, count in conn.execute(joined):
        if via == "link":
            rows[village_id].by_link += count
        elif via == "family":
            rows[village_id].on_phone += count

    if households_done is not None:
        for village_id, count in households_done.items():
            if village_id in rows:
                rows[village_id].households_done = count
    elif core_lessons:
        done = (
            sa.select(sa.func.count(sa.distinct(completions.c.lesson_id)))
            .where(
                completions.c.learner_id == learners.c.id,
                completions.c.lesson_id.in_(core_lessons),
            )
            .scalar_subquery()
        )
        chats = (
            sa.select(learners.c.village_id, learners.c.channel, learners.c.chat_id)
            .where(citizens, done == len(core_lessons))
            .distinct()
            .subquery()
        )
        households = sa.select(chats.c.village_id, sa.func.count()).group_by(chats.c.village_id)
        for village_id, count in conn.execute(households):
            rows[village_id].households_done = count
    return list(rows.values())
