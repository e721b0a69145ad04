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
    @writes
    def take_snapshot(
        self, conn: sa.Connection, *, week: str, at: datetime, core_lessons: tuple[str, ...]
    ) -> int:
        """The week's row for every active village that has none yet; how many were added."""
        at = at.astimezone(UTC)  # stored UTC; SQLite compares the text
        active = {
            row.id: row.adults
            for row in conn.execute(
                sa.select(villages.c.id, villages.c.adults).where(villages.c.active)
            )
        }
        taken = set(
            conn.scalars(
                sa.select(progress_snapshots.c.village_id).where(progress_snapshots.c.week == week)
            )
        )
        active = {vid: adults for vid, adults in active.items() if vid not in taken}
        if not active:
            return 0  # the usual case: the week is taken, nothing is counted again
        in_scope = sa.and_(learners.c.village_id.in_(list(active)), counted(at=at))
        people = learners_by_village(conn, in_scope)
        done = core_done_by_village(conn, core_lessons, in_scope, at)
        added = 0
        for village_id, adults in active.items():
            result = conn.execute(
                self._insert_ignore(
                    progress_snapshots, week=week, taken_at=at, village_id=village_id,
                    adults=adults, learners=people.get(village_id, 0),
                    core_done=done.get(village_id, 0),
                )
            )  # fmt: skip
            added += result.rowcount
        return added

    @reads
    def has_snapshot(self, conn: sa.Connection, week: str) -> bool:
        query = sa.select(progress_snapshots.c.id).where(progress_snapshots.c.week == week)
        return conn.scalar(query.limit(1)) is not None

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
