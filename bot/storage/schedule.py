"""What the scheduler keeps: the 10/10 event details per commune, staff-queued messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from bot.storage.base import StoreBase, reads, writes
from bot.storage.outbox import as_utc
from bot.storage.schema import communes, events, villages, weekly_queue


@dataclass(frozen=True)
class Event:
    commune_id: int
    commune: str
    place: str
    starts_at: datetime  # UTC


@dataclass(frozen=True)
class QueuedMessage:
    id: int
    text: str


class ScheduleQueries(StoreBase):
    @reads
    def commune_id(self, conn: sa.Connection, name: str) -> int | None:
        return conn.scalar(sa.select(communes.c.id).where(communes.c.name == name))

    @reads
    def village_commune(self, conn: sa.Connection, village_id: int) -> int | None:
        return conn.scalar(sa.select(villages.c.commune_id).where(villages.c.id == village_id))

    @reads
    def commune_names(self, conn: sa.Connection) -> list[str]:
        return list(conn.scalars(sa.select(communes.c.name).order_by(communes.c.name)))

    @writes
    def set_event(
        self,
        conn: sa.Connection,
        *,
        commune_id: int,
        place: str,
        starts_at: datetime,
        now: datetime,
    ) -> None:
        starts_at = starts_at.astimezone(UTC)  # SQLite keeps no zone: store UTC only
        values = {"place": place, "starts_at": starts_at, "updated_at": now}
        found = conn.scalar(
            sa.select(events.c.id).where(
                events.c.commune_id == commune_id, events.c.year == starts_at.year
            )
        )
        if found is None:
            conn.execute(
                events.insert().values(commune_id=commune_id, year=starts_at.year, **values)
            )
        else:
            conn.execute(events.update().where(events.c.id == found).values(**values))

    @reads
    def events_for(self, conn: sa.Connection, year: int) -> list[Event]:
        query = (
            sa.select(events.c.commune_id, communes.c.name, events.c.place, events.c.starts_at)
            .join(communes)
            .where(events.c.year == year)
            .order_by(communes.c.name)
        )
        return [
            Event(row.commune_id, row.name, row.place, as_utc(row.starts_at))
            for row in conn.execute(query)
        ]

    @writes
    def queue_weekly(
        self, conn: sa.Connection, *, week: str, text: str, created_by: str, now: datetime
    ) -> int:
        result = conn.execute(
            weekly_queue.insert().values(
                week=week, text=text, created_by=created_by, created_at=now
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    @reads
    def queued_for(self, conn: sa.Connection, week: str) -> list[QueuedMessage]:
        query = sa.select(weekly_queue.c.id, weekly_queue.c.text).where(weekly_queue.c.week == week)
        return [QueuedMessage(row.id, row.text) for row in conn.execute(query.order_by("id"))]
