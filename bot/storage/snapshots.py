"""Weekly snapshots of each village's progress: the history the "on track?" pace reads.

A snapshot counts citizens as of the moment it is taken (completions and consents up to
then), once per ISO week and village: the unique key makes taking it again a no-op, so the
scheduler, a report and a second process may all try.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from bot.storage.base import StoreBase, reads, writes
from bot.storage.outbox import as_utc
from bot.storage.reports import core_done_by_village, counted, learners_by_village
from bot.storage.schema import learners, progress_snapshots, villages


@dataclass(frozen=True)
class Snapshot:
    week: str  # ISO week in local time, "2026-W48"
    taken_at: datetime  # UTC
    village_id: int
    adults: int
    learners: int
    core_done: int


class SnapshotQueries(StoreBase):
    async def take_snapshot(self, *, week: str, at: datetime, core_lessons: tuple[str, ...]) -> int:
        """The week's row for every active village that has none yet; how many were added.

        The counting reads many rows, so it runs like a report (in a worker thread on
        SQLite) and only the few rows are written; a row another process wrote meanwhile
        wins, by the unique key."""
        at = at.astimezone(UTC)  # stored UTC; SQLite compares the text
        rows = await self.runner.read_in_thread(_missing_rows, week, at, core_lessons)
        if not rows:
            return 0
        return await self._insert_snapshots(rows)

    @writes
    def _insert_snapshots(self, conn: sa.Connection, rows: list[dict[str, object]]) -> int:
        added = 0
        for row in rows:
            added += conn.execute(self._insert_ignore(progress_snapshots, **row)).rowcount
        return added

    @reads
    def snapshots(self, conn: sa.Connection, commune_id: int | None = None) -> list[Snapshot]:
        """Every snapshot of the commune's villages (or all), oldest first."""
        query = sa.select(progress_snapshots).order_by(
            progress_snapshots.c.taken_at, progress_snapshots.c.village_id
        )
        if commune_id is not None:
            query = query.join(villages).where(villages.c.commune_id == commune_id)
        return [
            Snapshot(
                row.week, as_utc(row.taken_at), row.village_id, row.adults, row.learners,
                row.core_done,
            )
            for row in conn.execute(query)
        ]  # fmt: skip


def _missing_rows(
    conn: sa.Connection, week: str, at: datetime, core_lessons: tuple[str, ...]
) -> list[dict[str, object]]:
    """Counts as of ``at`` for the active villages without a row for ``week``."""
    taken = set(
        conn.scalars(
            sa.select(progress_snapshots.c.village_id).where(progress_snapshots.c.week == week)
        )
    )
    query = sa.select(villages.c.id, villages.c.adults).where(villages.c.active)
    active = {row.id: row.adults for row in conn.execute(query) if row.id not in taken}
    if not active:
        return []  # the usual case: the week is taken, nothing is counted again
    in_scope = sa.and_(learners.c.village_id.in_(list(active)), counted(at=at))
    people = learners_by_village(conn, in_scope)
    done = core_done_by_village(conn, core_lessons, in_scope, at)
    return [
        {
            "week": week, "taken_at": at, "village_id": village_id, "adults": adults,
            "learners": people.get(village_id, 0), "core_done": done.get(village_id, 0),
        }
        for village_id, adults in active.items()
    ]  # fmt: skip
